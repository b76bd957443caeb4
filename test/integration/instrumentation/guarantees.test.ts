/**
 * What the instrumentation promises beyond telemetry: it never changes what the application
 * sees, can be turned off and on, and honours its options. All on the real broker.
 */
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { SpanKind } from '@opentelemetry/api';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup } from '../../support/names';
import { waitFor } from '../../support/wait-for';

const { harness, instrumentation, kafkajs, createKafka, createTopic, shutdown } =
  instrumentKafkaJs();
const nodeRequire = createRequire(import.meta.url);
let kafka: Kafka;

beforeAll(() => {
  kafka = createKafka('guarantees');
});
afterAll(shutdown);

const newTopic = (partitions = 1) => createTopic(partitions, 'guarantee');

/** Consumes `count` messages of a topic from the beginning with a fresh group. */
async function consume(topic: string, count: number, client = kafka) {
  const received: KafkaMessage[] = [];
  const consumer = client.consumer({ groupId: randomGroup('g'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        received.push(message);
        return Promise.resolve();
      },
    });
    await waitFor(() => received.length >= count, { description: `${count} messages` });
    // Spans end after the handler's promise settles; let the last one finish.
    await waitFor(() => harness.spansNamed(`process ${topic}`).length >= count || count === 0, {
      description: 'process spans',
      timeoutMs: 5_000,
    }).catch(() => undefined);
  } finally {
    await consumer.disconnect();
  }
  return received;
}

describe('instrumentation guarantees', () => {
  it('survives throwing hooks: the send result and the consumed messages are unchanged', async () => {
    instrumentation.setConfig({
      producerHook: () => {
        throw new Error('producer hook bug');
      },
      consumerHook: () => {
        throw new Error('consumer hook bug');
      },
    });
    try {
      const topic = await newTopic();
      const producer = kafka.producer(IDEMPOTENT_PRODUCER);
      await producer.connect();
      const result = await producer.send({ topic, messages: [{ key: 'a', value: 'one' }] });
      await producer.disconnect();
      expect(result).toEqual([
        expect.objectContaining({ topicName: topic, partition: 0, errorCode: 0, baseOffset: '0' }),
      ]);
      const [message] = await consume(topic, 1);
      expect(message!.value?.toString()).toBe('one');
      expect(harness.spansNamed(`send ${topic}`)).toHaveLength(1);
    } finally {
      instrumentation.setConfig({});
    }
  });

  it('restores the originals on disable, records nothing while disabled, and resumes on enable', async () => {
    const { Kafka: KafkaClass } = kafkajs;
    const connection = nodeRequire('kafkajs/src/network/connection.js') as {
      prototype: { send: { __wrapped?: boolean } };
    };
    expect(connection.prototype.send.__wrapped).toBe(true);

    instrumentation.disable();
    try {
      expect(connection.prototype.send.__wrapped).toBeUndefined();
      // The exported class was never replaced nor wrapped: KafkaJS's own, before and after.
      const exported = (nodeRequire('kafkajs') as typeof kafkajs).Kafka;
      expect(exported).toBe(KafkaClass);
      expect((exported.prototype.producer as { __wrapped?: boolean }).__wrapped).toBeUndefined();

      const topic = await newTopic();
      const producer = kafka.producer(IDEMPOTENT_PRODUCER);
      await producer.connect();
      await producer.send({ topic, messages: [{ value: 'unseen' }] });
      await producer.disconnect();
      expect(harness.spansNamed(`send ${topic}`)).toHaveLength(0);
      expect(
        await harness.total('messaging.client.sent.messages', {
          'messaging.destination.name': topic,
        }),
      ).toBe(0);
    } finally {
      instrumentation.enable();
    }
    expect(connection.prototype.send.__wrapped).toBe(true);
    const topic = await newTopic();
    const producer = kafka.producer(IDEMPOTENT_PRODUCER);
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'seen' }] });
    await producer.disconnect();
    // Enabled again (and enable() twice would not wrap twice): exactly one span per message.
    instrumentation.enable();
    expect(harness.spansNamed(`send ${topic}`)).toHaveLength(1);
  });

  it('ignores and counts a malformed traceparent: the process span starts a new trace', async () => {
    const topic = await newTopic();
    instrumentation.disable();
    try {
      const producer = kafka.producer(IDEMPOTENT_PRODUCER);
      await producer.connect();
      await producer.send({
        topic,
        messages: [{ value: 'corrupt', headers: { traceparent: 'not-a-trace-context' } }],
      });
      await producer.disconnect();
    } finally {
      instrumentation.enable();
    }
    const [message] = await consume(topic, 1);
    expect(message!.headers?.traceparent?.toString()).toBe('not-a-trace-context');
    const [process] = harness.spansNamed(`process ${topic}`);
    expect(process!.parentSpanContext).toBeUndefined();
    expect(await harness.total('kafka.consumer.invalid_trace_context')).toBeGreaterThanOrEqual(1);
  });

  it('links instead of parenting in link mode, and emits one span per call in call mode', async () => {
    instrumentation.setConfig({ consumerContextRelation: 'link', producerSpanMode: 'call' });
    try {
      const topic = await newTopic();
      const producer = kafka.producer(IDEMPOTENT_PRODUCER);
      await producer.connect();
      await producer.send({ topic, messages: [{ value: '1' }, { value: '2' }, { value: '3' }] });
      await producer.disconnect();
      const sends = harness.spansNamed(`send ${topic}`);
      expect(sends).toHaveLength(1);
      expect(sends[0]!.attributes['messaging.batch.message_count']).toBe(3);

      await consume(topic, 3);
      const processes = harness.spansNamed(`process ${topic}`);
      expect(processes).toHaveLength(3);
      for (const process of processes) {
        expect(process.kind).toBe(SpanKind.CONSUMER);
        expect(process.parentSpanContext).toBeUndefined();
        expect(process.links.map((link) => link.context.spanId)).toEqual([
          sends[0]!.spanContext().spanId,
        ]);
      }
    } finally {
      instrumentation.setConfig({});
    }
  });

  it('drops partition attributes from metrics on request and emits legacy names on request', async () => {
    instrumentation.setConfig({ metricPartitionAttribute: false, emitLegacyKafkaAttributes: true });
    try {
      const topic = await newTopic(2);
      const producer = kafka.producer(IDEMPOTENT_PRODUCER);
      await producer.connect();
      await producer.send({
        topic,
        messages: [
          { key: 'x', value: '1' },
          { key: 'y', value: '2' },
        ],
      });
      await producer.disconnect();
      await consume(topic, 2);
      for (const name of ['messaging.client.sent.messages', 'messaging.client.consumed.messages']) {
        const points = await harness.points(name, { 'messaging.destination.name': topic });
        expect(points).toHaveLength(1);
        expect(points[0]!.value).toBe(2);
        expect(points[0]!.attributes['messaging.destination.partition.id']).toBeUndefined();
      }
      const [send] = harness.spansNamed(`send ${topic}`);
      expect(send!.attributes['kafka.offset']).toEqual(expect.any(Number));
      expect(send!.attributes['messaging.kafka.offset']).toBe(send!.attributes['kafka.offset']);
      expect(send!.attributes['messaging.kafka.message.key']).toBe(
        send!.attributes['kafka.message.key'],
      );
    } finally {
      instrumentation.setConfig({});
    }
  });

  it('parents transactional sends under a transaction span that ends on commit', async () => {
    const topic = await newTopic();
    const producer = kafka.producer({
      transactionalId: randomGroup('txn'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const transaction = await producer.transaction();
    await transaction.send({ topic, messages: [{ value: 'a' }, { value: 'b' }] });
    await transaction.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: 'c' }] });
    await aborted.abort();
    await producer.disconnect();

    const transactions = harness.spansNamed('transaction');
    const committed = transactions.find(
      (t) => t.attributes['kafka.transaction.outcome'] === 'commit',
    );
    const abortedSpan = transactions.find(
      (t) => t.attributes['kafka.transaction.outcome'] === 'abort',
    );
    expect(committed).toBeDefined();
    expect(abortedSpan).toBeDefined();
    const sends = harness.spansNamed(`send ${topic}`);
    expect(sends).toHaveLength(3);
    const underCommitted = sends.filter(
      (s) => s.parentSpanContext?.spanId === committed!.spanContext().spanId,
    );
    expect(underCommitted).toHaveLength(2);
  });

  it('leaves no span open', () => {
    expect(harness.spanCounter.ended).toBe(harness.spanCounter.started);
  });
});
