// A plain ES-module service: KafkaJS and node:http, no OpenTelemetry code at all. The e2e tests
// start it with `node --import <repo>/dist/esm/register.mjs app.mjs` and find its traces in
// Jaeger and its metrics in Prometheus. app.cjs is the same service as CommonJS; keep the two
// in step.
//
//   POST /publish?topic=T&count=N   sends N messages (keys k0..kN-1) in one producer.send
//   GET  /consumed                  {"consumed": n} messages handled so far
//   POST /consumer/stop             disconnects the consumer (its offsets are committed)
//
// Environment: KAFKA_BROKERS (required); CONSUME_TOPIC + CONSUMER_GROUP start a consumer
// (from the beginning of the topic). Prints `listening <port>` once ready to serve.
import http from 'node:http';
import { Kafka, Partitioners, logLevel } from 'kafkajs';

const kafka = new Kafka({
  clientId: process.env.OTEL_SERVICE_NAME || 'e2e-app',
  brokers: (process.env.KAFKA_BROKERS || '').split(','),
  logLevel: logLevel.ERROR,
});
const producer = kafka.producer({
  createPartitioner: Partitioners.DefaultPartitioner,
  allowAutoTopicCreation: false,
  // The tests count records in the log (lag): a Produce retried on a loaded machine must not
  // write its batch twice.
  idempotent: true,
  maxInFlightRequests: 1,
});
let consumer;
let consumed = 0;

async function startConsumer(topic, groupId) {
  consumer = kafka.consumer({ groupId });
  const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async () => {
      consumed += 1;
    },
  });
  await joined;
}

async function handle(request, response) {
  const url = new URL(request.url, 'http://app');
  const reply = (status, body) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  if (request.method === 'POST' && url.pathname === '/publish') {
    const topic = url.searchParams.get('topic');
    const count = Number(url.searchParams.get('count') || '1');
    const messages = Array.from({ length: count }, (_, i) => ({
      key: `k${i}`,
      value: `message ${i}`,
    }));
    await producer.send({ topic, messages });
    return reply(200, { sent: count });
  }
  if (request.method === 'GET' && url.pathname === '/consumed') return reply(200, { consumed });
  if (request.method === 'POST' && url.pathname === '/consumer/stop') {
    if (consumer) await consumer.disconnect();
    consumer = undefined;
    return reply(200, { consumed });
  }
  return reply(404, { error: `no route ${request.method} ${url.pathname}` });
}

const server = http.createServer((request, response) => {
  handle(request, response).catch((error) => {
    response.writeHead(500, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: String(error) }));
  });
});

async function main() {
  await producer.connect();
  if (process.env.CONSUME_TOPIC && process.env.CONSUMER_GROUP) {
    await startConsumer(process.env.CONSUME_TOPIC, process.env.CONSUMER_GROUP);
  }
  server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
}

// Let the event loop end on its own after SIGTERM, so register's exit flush still runs.
process.once('SIGTERM', () => {
  server.close();
  Promise.all([producer.disconnect(), consumer && consumer.disconnect()]).catch(() => undefined);
});

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
  server.close();
});
