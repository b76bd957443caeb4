'use strict';
// app.cjs on Confluent's client: the same plain CommonJS service (no OpenTelemetry code), with
// the same routes and output, producing and consuming through @confluentinc/kafka-javascript's
// KafkaJS API. The client is not a dependency of the project: the tests start this app with
// NODE_PATH=<install>/node_modules (scripts/confluent-client), and with
// `node --require <repo>/dist/cjs/register.js confluent-app.cjs` for zero-code telemetry.
//
//   POST /publish?topic=T&count=N   sends N messages (keys k0..kN-1) in one producer.send
//   GET  /consumed                  {"consumed": n} messages handled so far
//   POST /consumer/stop             disconnects the consumer (its offsets are committed)
//
// Environment: KAFKA_BROKERS (required); CONSUME_TOPIC + CONSUMER_GROUP start a consumer
// (from the beginning of the topic). Prints `listening <port>` once ready to serve.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: the --require path */
const http = require('node:http');
const { setTimeout: sleep } = require('node:timers/promises');
const { KafkaJS } = require('@confluentinc/kafka-javascript');

const kafka = new KafkaJS.Kafka({
  kafkaJS: {
    clientId: process.env.OTEL_SERVICE_NAME || 'e2e-confluent-app',
    brokers: (process.env.KAFKA_BROKERS || '').split(','),
    logLevel: KafkaJS.logLevel.ERROR,
  },
});
// Idempotent as in app.cjs: a Produce retried on a loaded machine must not write twice.
const producer = kafka.producer({
  kafkaJS: { allowAutoTopicCreation: false, idempotent: true },
});
let consumer;
let consumed = 0;

async function startConsumer(topic, groupId) {
  // This client has no GROUP_JOIN event (consumer.on is not implemented): the consumer has
  // joined once the group gave it partitions.
  consumer = kafka.consumer({ kafkaJS: { groupId, fromBeginning: true } });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic] });
  await consumer.run({
    eachMessage: async () => {
      consumed += 1;
    },
  });
  const deadline = Date.now() + 60_000;
  while (consumer.assignment().length === 0) {
    if (Date.now() > deadline) throw new Error(`no partitions of ${topic} assigned in 60 s`);
    await sleep(100);
  }
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
  Promise.all([producer.disconnect(), consumer && consumer.disconnect()]).catch(() => undefined);
});
