/**
 * The `payments-api` service, a child process of the live demo: an HTTP server whose
 * `POST /payments` publishes the payment to Kafka, instrumented without code by
 * `kafka-otel/register` (KafkaJS, HTTP and Node runtime), which pushes OTLP to the Collector.
 */
import 'kafka-otel/register';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type * as KafkaJs from 'kafkajs';
import { TOPIC } from '../payments';
import { jsonLog, kafkaJsLogCreator } from './json-log';
import { report, serveCommands } from './service-channel';

const SERVICE = 'payments-api';
const log = jsonLog(SERVICE);

async function main(): Promise<void> {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  // Loaded after `register` (the first import), so the instrumentation's hooks apply.
  const { Kafka, logLevel } = createRequire(__filename)('kafkajs') as typeof KafkaJs;
  const kafka = new Kafka({
    clientId: SERVICE,
    brokers,
    logLevel: logLevel.WARN,
    logCreator: kafkaJsLogCreator(log),
  });
  // One request in flight per broker keeps payments in order across retries; sends that arrive
  // meanwhile queue in the client, which kafka.client.request.queue.size shows (KafkaJS reports
  // its queue only when maxInFlightRequests is set).
  const producer = kafka.producer({ maxInFlightRequests: 1 });
  await producer.connect();

  let nextPaymentId = 0;
  const server = http.createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/payments') {
      response.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body: { account?: string };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString()) as { account?: string };
      } catch {
        response.writeHead(400).end();
        return;
      }
      const paymentId = nextPaymentId++;
      const payment = { paymentId, ...body };
      const account = body.account ?? 'unknown';
      producer
        .send({ topic: TOPIC, messages: [{ key: account, value: JSON.stringify(payment) }] })
        .then(() => {
          response.writeHead(202, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ paymentId }));
        })
        .catch((error: Error) => {
          // Still inside the HTTP server span: the line carries the trace of the failed send.
          log('error', 'payment not published', {
            event: 'payment.rejected',
            paymentId,
            account,
            bytes: Buffer.byteLength(JSON.stringify(payment)),
            error: `${error.name}: ${error.message}`,
          });
          response.writeHead(502, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: error.message }));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  log('info', 'payments API listening', { event: 'service.ready', port });
  report({ type: 'ready', httpPort: port });

  serveCommands(
    () => undefined,
    async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await producer.disconnect();
      log('info', 'payments API stopped', { event: 'service.stopped' });
    },
  );
}

main().catch((error: unknown) => {
  log('error', 'payments API failed', { error: String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
