'use strict';
// A plain CommonJS service: KafkaJS and node:http, no OpenTelemetry code at all. The e2e tests
// start it with `node --require <repo>/dist/cjs/register.js app.cjs` and find its traces in
// Jaeger and its metrics in Prometheus. Its routes and start-up are service.cjs; app.mjs is the
// same service as an ES module; keep the two in step.
//
// Environment: KAFKA_BROKERS (required); CONSUME_TOPIC + CONSUMER_GROUP start a consumer
// (from the beginning of the topic).
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: the --require path */
const { Kafka, Partitioners, logLevel } = require('kafkajs');
const { runService } = require('./service.cjs');

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

runService({
  producer,
  async startConsumer(topic, groupId, onMessage) {
    const consumer = kafka.consumer({ groupId });
    const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async () => onMessage(),
    });
    await joined;
    return consumer;
  },
});
