'use strict';
// app.cjs on Confluent's client: the same plain CommonJS service (no OpenTelemetry code), with
// the same routes and output, producing and consuming through @confluentinc/kafka-javascript's
// KafkaJS API. The client is not a dependency of the project: the tests start this app with
// NODE_PATH=<install>/node_modules (scripts/confluent-client), and with
// `node --require <repo>/dist/cjs/register.js confluent-app.cjs` for zero-code telemetry.
// Its routes and start-up are service.cjs.
//
// Environment: KAFKA_BROKERS (required); CONSUME_TOPIC + CONSUMER_GROUP start a consumer
// (from the beginning of the topic).
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: the --require path */
const { setTimeout: sleep } = require('node:timers/promises');
const { KafkaJS } = require('@confluentinc/kafka-javascript');
const { runService } = require('./service.cjs');

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

runService({
  producer,
  async startConsumer(topic, groupId, onMessage) {
    // This client has no GROUP_JOIN event (consumer.on is not implemented): the consumer has
    // joined once the group gave it partitions.
    const consumer = kafka.consumer({ kafkaJS: { groupId, fromBeginning: true } });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({
      eachMessage: async () => onMessage(),
    });
    const deadline = Date.now() + 60_000;
    while (consumer.assignment().length === 0) {
      if (Date.now() > deadline) throw new Error(`no partitions of ${topic} assigned in 60 s`);
      await sleep(100);
    }
    return consumer;
  },
});
