'use strict';
// The HTTP side the e2e apps share (app.cjs on KafkaJS, confluent-app.cjs on Confluent's client):
// routes, the server, start-up and SIGTERM. Plain CommonJS with no OpenTelemetry code; the app
// hands over its producer and how it starts its consumer.
//
//   POST /publish?topic=T&count=N   sends N messages (keys k0..kN-1) in one producer.send
//   GET  /consumed                  {"consumed": n} messages handled so far
//   POST /consumer/stop             disconnects the consumer (its offsets are committed)
//
// Environment: CONSUME_TOPIC + CONSUMER_GROUP start a consumer. Prints `listening <port>` once
// ready to serve.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: the --require path */
const http = require('node:http');

/**
 * Runs the service. `startConsumer(topic, groupId, onMessage)` resolves, once the consumer has
 * joined its group, to a consumer whose handler calls `onMessage` for each message.
 */
function runService({ producer, startConsumer }) {
  let consumer;
  let consumed = 0;

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
      consumer = await startConsumer(process.env.CONSUME_TOPIC, process.env.CONSUMER_GROUP, () => {
        consumed += 1;
      });
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
}

module.exports = { runService };
