// A plain CommonJS application with no telemetry code: an HTTP endpoint that produces to Kafka
// and a consumer of the same topic. The register tests start it with `--require kafka-otel/register`.
// Events go to stdout as JSON lines. APP_OWN_SIGTERM=1 installs the app's own SIGTERM handler,
// which closes everything and ends with exit code 7.
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS app, on purpose */
const http = require('node:http');
const { Kafka, logLevel, Partitioners } = require('kafkajs');

const { KAFKA_BROKERS, TOPIC, GROUP, APP_OWN_SIGTERM } = process.env;
const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

const kafka = new Kafka({
  clientId: 'register-app-cjs',
  brokers: KAFKA_BROKERS.split(','),
  logLevel: logLevel.NOTHING,
});
// Idempotent: a Produce retried on a loaded machine must not duplicate what the test counts.
const producer = kafka.producer({
  createPartitioner: Partitioners.DefaultPartitioner,
  idempotent: true,
  maxInFlightRequests: 1,
});
const consumer = kafka.consumer({ groupId: GROUP, maxWaitTimeInMs: 100 });

const server = http.createServer((request, response) => {
  const count = Number(new URL(request.url, 'http://app').searchParams.get('count') ?? 1);
  const messages = Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `m${i}` }));
  producer.send({ topic: TOPIC, messages }).then(
    () => response.end(JSON.stringify({ sent: count })),
    (error) => {
      response.statusCode = 500;
      response.end(String(error));
    },
  );
});

async function start() {
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => emit({ event: 'consumed', offset: message.offset }),
  });
  server.listen(0, '127.0.0.1', () => emit({ event: 'listening', port: server.address().port }));
}

if (APP_OWN_SIGTERM === '1') {
  process.on('SIGTERM', () => {
    emit({ event: 'app-sigterm' });
    server.close();
    Promise.all([producer.disconnect(), consumer.disconnect()]).then(() => {
      process.exitCode = 7;
    });
  });
}

start().catch((error) => {
  emit({ event: 'failed', message: String(error) });
  process.exitCode = 1;
});
