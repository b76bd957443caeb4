/**
 * The KafkaJS instrumentation over the secure local cluster's listeners, SASL_SSL with each
 * mechanism and mTLS: messages sent and consumed are counted and traced producer-to-consumer
 * exactly as over plaintext, the SASL exchange is measured like any request (SaslHandshake, then
 * one SaslAuthenticate round trip per step of the mechanism: two for SCRAM), and no password,
 * token or key reaches a span or a metric.
 */
import { SpanKind } from '@opentelemetry/api';
import type { Kafka } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { uniqueName } from '../../support/names';
import {
  ACCESS_NAMES,
  accesses,
  leakedSecrets,
  securedCluster,
} from '../../support/secured-access';
import { waitFor } from '../../support/wait-for';

const { ways, secrets } = accesses(securedCluster());
const { harness, kafkajs, shutdown } = instrumentKafkaJs();
afterAll(shutdown);

const MESSAGES = 3;

describe.each(ACCESS_NAMES)('KafkaJS instrumented, over %s', (name) => {
  const access = ways[name];
  const clientId = uniqueName(`secured-${name}`);
  const topic = uniqueName(`secured-${name}`);
  const kafka: Kafka = new kafkajs.Kafka({
    clientId,
    brokers: access.brokers,
    ...access.kafkaJs,
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
  });

  it('counts and traces what is sent and consumed, and measures the SASL exchange', async () => {
    // Request metrics are per API and broker, not per client: this way's exchange is what its
    // clients add to the totals (the ways run one after another).
    const requests = (api: string) =>
      harness.total('kafka.client.request.duration', { 'kafka.api.name': api });
    const before = {
      handshakes: await requests('SaslHandshake'),
      authenticates: await requests('SaslAuthenticate'),
    };
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: MESSAGES }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName(`secured-${name}`) });
    const handled: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        handled.push(String(message.value));
        return Promise.resolve();
      },
    });
    await waitFor(() => handled.length >= MESSAGES, {
      description: `${MESSAGES} messages consumed`,
    });
    await consumer.disconnect();
    expect(handled).toEqual(['v0', 'v1', 'v2']);

    const byTopic = { 'messaging.destination.name': topic };
    expect(await harness.total('messaging.client.sent.messages', byTopic)).toBe(MESSAGES);
    expect(await harness.total('messaging.client.consumed.messages', byTopic)).toBe(MESSAGES);
    const sends = harness.spansNamed(`send ${topic}`);
    const processes = harness.spansNamed(`process ${topic}`);
    expect(sends).toHaveLength(MESSAGES);
    expect(processes).toHaveLength(MESSAGES);
    expect(processes.every((span) => span.kind === SpanKind.CONSUMER)).toBe(true);
    // Each process span is the child of the send span of its message, across the secure listener.
    const sendIds = new Set(sends.map((span) => span.spanContext().spanId));
    expect(
      processes.filter((span) => sendIds.has(span.parentSpanContext?.spanId ?? '')),
    ).toHaveLength(MESSAGES);

    const handshakes = (await requests('SaslHandshake')) - before.handshakes;
    const authenticates = (await requests('SaslAuthenticate')) - before.authenticates;
    if (access.saslRounds === 0) {
      expect([handshakes, authenticates]).toEqual([0, 0]);
    } else {
      // One handshake per connection the clients opened, each followed by the mechanism's steps.
      expect(handshakes).toBeGreaterThan(0);
      expect(authenticates).toBe(handshakes * access.saslRounds);
    }

    const spans = JSON.stringify(harness.spans().map((s) => [s.name, s.attributes, s.events]));
    const metrics = JSON.stringify(await harness.metrics());
    expect(leakedSecrets(spans + metrics, secrets)).toEqual([]);
  });
});
