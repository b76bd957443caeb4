/**
 * The instrumentation against the real single-node Kafka: a producer sends N messages, a
 * consumer group reads them back; spans, links and metrics must account for exactly those N.
 */
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Kafka as KafkaClient, KafkaMessage, Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup, randomTopic } from '../../support/names';
import { waitFor } from '../../support/wait-for';

const { harness, brokers, createKafka, shutdown } = instrumentKafkaJs();
const unique = randomTopic;

let kafka: KafkaClient;

beforeAll(() => {
  kafka = createKafka('otel-test');
});

afterAll(shutdown);

async function createTopic(topic: string, numPartitions: number) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

describe('producer and consumer on a real broker', () => {
  it('accounts for every message in spans, links and metrics', async () => {
    const topic = unique('orders');
    const groupId = randomGroup('billing');
    const count = 12;
    await createTopic(topic, 3);

    const messages: Message[] = Array.from({ length: count }, (_, i) => ({
      key: `customer-${i % 4}`,
      value: JSON.stringify({ order: i }),
      headers: { 'x-origin': 'test' },
    }));
    const snapshot = JSON.stringify(messages);

    const producer = kafka.producer(IDEMPOTENT_PRODUCER);
    await producer.connect();
    const metadata = await producer.send({ topic, messages: messages.slice(0, 8) });
    await producer.sendBatch({ topicMessages: [{ topic, messages: messages.slice(8) }] });
    await producer.disconnect();

    // The application's message objects are untouched: no trace header was added to them.
    expect(JSON.stringify(messages)).toBe(snapshot);
    expect(metadata.length).toBeGreaterThan(0);

    const consumed: { partition: number; message: KafkaMessage }[] = [];
    const consumer = kafka.consumer({ groupId });
    // Batches KafkaJS hands over: end-to-end latency is one point per batch (its first record).
    let batches = 0;
    consumer.on(consumer.events.START_BATCH_PROCESS, ({ payload }) => {
      if (payload.topic === topic) batches++;
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        consumed.push({ partition, message });
        return Promise.resolve();
      },
    });
    await waitFor(() => harness.spansNamed(`process ${topic}`).length >= count, {
      description: `${count} process spans`,
    });
    await consumer.disconnect();

    const sendSpans = harness.spansNamed(`send ${topic}`);
    const processSpans = harness.spansNamed(`process ${topic}`);
    expect(sendSpans).toHaveLength(count);
    expect(processSpans).toHaveLength(count);

    for (const { partition, message } of consumed) {
      // Headers written by the producer survived the broker, and the user's own header too.
      expect(message.headers?.['x-origin']?.toString()).toBe('test');
      const process = processSpans.find(
        (span) =>
          span.attributes['kafka.offset'] === Number(message.offset) &&
          span.attributes['messaging.destination.partition.id'] === String(partition),
      );
      expect(process, `process span for ${partition}/${message.offset}`).toBeDefined();
      const send = sendSpans.find(
        (span) => span.spanContext().spanId === process!.parentSpanContext?.spanId,
      );
      expect(send, 'the process span is the child of its send span').toBeDefined();
      expect(send!.spanContext().traceId).toBe(process!.spanContext().traceId);
      expect(send!.kind).toBe(SpanKind.PRODUCER);
      expect(process!.kind).toBe(SpanKind.CONSUMER);
      // The send span learned partition and offset from the broker's answer.
      expect(send!.attributes['messaging.destination.partition.id']).toBe(String(partition));
      expect(send!.attributes['kafka.offset']).toBe(Number(message.offset));
      expect(send!.attributes['kafka.message.key']).toBe(message.key?.toString());
      expect(send!.attributes['kafka.cluster.id']).toEqual(expect.stringMatching(/^[\w-]{22}$/));
      expect(process!.attributes['kafka.cluster.id']).toBe(send!.attributes['kafka.cluster.id']);
      expect(process!.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.operation.name': 'process',
        'messaging.operation.type': 'process',
        'messaging.destination.name': topic,
        'messaging.consumer.group.name': groupId,
        'messaging.client.id': 'otel-test',
        'kafka.message.key': message.key?.toString(),
      });
    }
    expect(sendSpans[0]!.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': topic,
      'messaging.client.id': 'otel-test',
      'server.address': brokers[0]!.split(':')[0],
      'server.port': Number(brokers[0]!.split(':')[1]),
    });

    expect(
      await harness.total('messaging.client.sent.messages', {
        'messaging.destination.name': topic,
      }),
    ).toBe(count);
    expect(
      await harness.total('messaging.client.consumed.messages', {
        'messaging.destination.name': topic,
        'messaging.consumer.group.name': groupId,
      }),
    ).toBe(count);
    const perPartition = await harness.points('messaging.client.sent.messages', {
      'messaging.destination.name': topic,
    });
    expect(
      new Set(perPartition.map((p) => p.attributes['messaging.destination.partition.id'])),
    ).toEqual(new Set(consumed.map((c) => String(c.partition))));
    expect(
      await harness.total('messaging.process.duration', { 'messaging.destination.name': topic }),
    ).toBe(count);
    expect(
      await harness.total('messaging.client.operation.duration', {
        'messaging.destination.name': topic,
        'messaging.operation.name': 'send',
      }),
    ).toBe(2);
    // At least one batch per partition that had messages; one latency point per batch.
    expect(batches).toBeGreaterThanOrEqual(new Set(consumed.map((c) => c.partition)).size);
    expect(
      await harness.total('kafka.consumer.end_to_end.latency', {
        'messaging.destination.name': topic,
      }),
    ).toBe(batches);

    const sentBytes = messages.reduce(
      (sum, m) => sum + Buffer.byteLength(String(m.key)) + Buffer.byteLength(String(m.value)),
      0,
    );
    expect(
      await harness.total('kafka.client.sent.bytes', { 'messaging.destination.name': topic }),
    ).toBe(sentBytes);
    expect(
      await harness.total('kafka.client.consumed.bytes', { 'messaging.destination.name': topic }),
    ).toBe(sentBytes);
  });

  it('describes instruments with units and records protocol requests per API and broker', async () => {
    const metrics = await harness.metrics();
    const units = Object.fromEntries(metrics.map((m) => [m.descriptor.name, m.descriptor.unit]));
    expect(units).toMatchObject({
      'messaging.client.sent.messages': '{message}',
      'messaging.client.consumed.messages': '{message}',
      'messaging.client.operation.duration': 's',
      'messaging.process.duration': 's',
      'kafka.client.request.duration': 's',
      'kafka.client.request.size': 'By',
      'kafka.client.response.size': 'By',
      'kafka.consumer.end_to_end.latency': 's',
    });
    for (const metric of metrics)
      expect(metric.descriptor.description, metric.descriptor.name).not.toBe('');

    const [host, port] = brokers[0]!.split(':');
    for (const api of ['Produce', 'Fetch', 'Metadata', 'JoinGroup', 'OffsetCommit']) {
      const points = await harness.points('kafka.client.request.duration', {
        'kafka.api.name': api,
        'server.address': host,
        'server.port': Number(port),
      });
      expect(points.length, api).toBeGreaterThan(0);
      expect(points[0]!.attributes['kafka.api.key']).toEqual(expect.any(Number));
      expect(points[0]!.attributes['kafka.api.version']).toEqual(expect.any(Number));
    }
    const produceSizes = await harness.points('kafka.client.request.size', {
      'kafka.api.name': 'Produce',
    });
    expect(produceSizes[0]!.sum).toBeGreaterThan(100);
  });

  it('records UNKNOWN_TOPIC_OR_PARTITION on the request metric and the send span, and rethrows the same error', async () => {
    const topic = unique('missing');
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      retry: { retries: 1, initialRetryTime: 50 },
    });
    await producer.connect();
    const thrown = await producer
      .send({ topic, messages: [{ value: 'lost?' }] })
      .catch((e: unknown) => e);
    await producer.disconnect();

    expect(thrown).toBeInstanceOf(Error);
    const send = harness.spansNamed(`send ${topic}`);
    expect(send).toHaveLength(1);
    expect(send[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(send[0]!.attributes['error.type']).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(send[0]!.events.some((e) => e.name === 'exception')).toBe(true);
    expect(
      await harness.total('messaging.client.sent.messages', {
        'messaging.destination.name': topic,
        'error.type': 'UNKNOWN_TOPIC_OR_PARTITION',
      }),
    ).toBe(1);
    expect(
      await harness.total('kafka.client.request.duration', {
        'kafka.api.name': 'Metadata',
        'error.type': 'UNKNOWN_TOPIC_OR_PARTITION',
      }),
    ).toBeGreaterThan(0);
  });

  it('ends every span it started', () => {
    expect(harness.spanCounter.started).toBeGreaterThan(0);
    expect(harness.spanCounter.ended).toBe(harness.spanCounter.started);
  });
});
