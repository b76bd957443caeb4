/**
 * The instrumentation against the real single-node Kafka: a producer sends N messages, a
 * consumer group reads them back; spans, links and metrics must account for exactly those N.
 */
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type {
  Kafka as KafkaClient,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaMessage,
  Message,
} from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeProcessed } from '../../support/consume-processed';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup, randomTopic } from '../../support/names';
import { waitFor } from '../../support/wait-for';

const { harness, kafkajs, brokers, createKafka, shutdown } = instrumentKafkaJs();
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

/** Sends `messages` in one `send` call of a new idempotent producer. */
async function produce(topic: string, messages: Message[]) {
  const producer = kafka.producer(IDEMPOTENT_PRODUCER);
  await producer.connect();
  try {
    return await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

/** Consumes all `count` messages of `topic` with a new group, their process spans ended. */
const consumeAll = (topic: string, groupId: string, count: number) =>
  consumeProcessed(kafka, harness, { topic, groupId, count });

/**
 * Protocol requests recorded so far to one broker, by `<api> <error.type or ok>`; every point
 * carries the API's key and version.
 */
async function requestsOnBroker(host: string, port: number) {
  const points = await harness.points('kafka.client.request.duration', {
    'server.address': host,
    'server.port': port,
  });
  const counts = new Map<string, number>();
  for (const { attributes, value } of points) {
    const api = String(attributes['kafka.api.name']);
    expect(attributes['kafka.api.key'], api).toEqual(expect.any(Number));
    expect(attributes['kafka.api.version'], api).toEqual(expect.any(Number));
    const key = `${api} ${String(attributes['error.type'] ?? 'ok')}`;
    counts.set(key, (counts.get(key) ?? 0) + value);
  }
  return counts;
}

/** The position of a message of the first test in the application's array. */
const messageIndex = (message: KafkaMessage) =>
  (JSON.parse(message.value!.toString()) as { order: number }).order;

/**
 * Runs `work` and returns, with its result, every KafkaJS error constructed meanwhile, in order.
 * Each KafkaJS error class calls `Error.captureStackTrace(this, ...)` as it is built: watching
 * that call shows which error objects KafkaJS itself made, so what a caller received can be
 * compared by identity with what KafkaJS rejected with.
 */
async function kafkaJsErrorsDuring<T>(work: () => Promise<T>) {
  const created: Error[] = [];
  const capture = Error.captureStackTrace.bind(Error);
  type ConstructorOpt = Parameters<typeof Error.captureStackTrace>[1];
  Error.captureStackTrace = (target: object, constructor?: ConstructorOpt) => {
    if (target instanceof kafkajs.KafkaJSError) created.push(target);
    capture(target, constructor);
  };
  try {
    return { result: await work(), created };
  } finally {
    Error.captureStackTrace = capture;
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
    expect(consumed).toHaveLength(count);
    // `send` answered once per partition its eight messages went to.
    const firstEight = consumed.filter(({ message }) => messageIndex(message) < 8);
    expect(metadata.map((m) => m.partition).sort()).toEqual(
      [...new Set(firstEight.map((c) => c.partition))].sort(),
    );

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
    const [host, port] = brokers[0]!.split(':');
    const before = await requestsOnBroker(host!, Number(port));
    const produceBytesBefore = await harness.points('kafka.client.request.size', {
      'kafka.api.name': 'Produce',
    });

    const topic = unique('requests');
    await createTopic(topic, 1);
    const value = 'x'.repeat(200);
    await produce(topic, [{ value }]);
    await consumeAll(topic, randomGroup('requests'), 1);

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

    const after = await requestsOnBroker(host!, Number(port));
    const made = (api: string, errorType = 'ok') =>
      (after.get(`${api} ${errorType}`) ?? 0) - (before.get(`${api} ${errorType}`) ?? 0);
    // One send to a one-partition topic on one broker: one Produce request. One consumer
    // joining a new group: KafkaJS joins without a member id, is told MEMBER_ID_REQUIRED
    // (JoinGroup v4+), joins again with the id it was given, then syncs once.
    expect(made('Produce')).toBe(1);
    expect(made('JoinGroup', 'MEMBER_ID_REQUIRED')).toBe(1);
    expect(made('JoinGroup')).toBe(1);
    expect(made('SyncGroup')).toBe(1);
    // How often KafkaJS fetches, refreshes metadata and commits depends on timing.
    for (const api of ['Fetch', 'Metadata', 'OffsetCommit'])
      expect(made(api), api).toBeGreaterThan(0);

    const produceBytes = await harness.points('kafka.client.request.size', {
      'kafka.api.name': 'Produce',
    });
    const sum = (points: { sum?: number }[]) => points.reduce((s, p) => s + (p.sum ?? 0), 0);
    expect(sum(produceBytes) - sum(produceBytesBefore)).toBeGreaterThan(value.length);
  });

  it('rejects with the very error object KafkaJS rejected with, recording UNKNOWN_TOPIC_OR_PARTITION on the send span and the request metric', async () => {
    const topic = unique('missing');
    const failedMetadata = {
      'kafka.api.name': 'Metadata',
      'error.type': 'UNKNOWN_TOPIC_OR_PARTITION',
    };
    const failedBefore = await harness.total('kafka.client.request.duration', failedMetadata);
    const retries = 1;
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      retry: { retries, initialRetryTime: 50 },
    });
    await producer.connect();
    const { result: thrown, created } = await kafkaJsErrorsDuring(() =>
      producer.send({ topic, messages: [{ value: 'lost?' }] }).catch((e: unknown) => e),
    );
    await producer.disconnect();

    // One protocol error per attempt, then the retrier's wrapper when it gives up: KafkaJS's
    // send rejected with that wrapper, and so did the instrumented send, the very object.
    expect(created.map((e) => e.name)).toEqual([
      ...Array<string>(retries + 1).fill('KafkaJSProtocolError'),
      'KafkaJSNumberOfRetriesExceeded',
    ]);
    expect(thrown).toBe(created.at(-1));
    expect(thrown).toBeInstanceOf(kafkajs.KafkaJSNumberOfRetriesExceeded);
    const error = thrown as KafkaJSNumberOfRetriesExceeded;
    expect(error.name).toBe('KafkaJSNumberOfRetriesExceeded');
    expect(error.cause).toBe(created.at(-2));
    expect((error.cause as KafkaJSProtocolError).type).toBe('UNKNOWN_TOPIC_OR_PARTITION');

    const send = harness.spansNamed(`send ${topic}`);
    expect(send).toHaveLength(1);
    expect(send[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(send[0]!.attributes['error.type']).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(send[0]!.events.map((e) => [e.name, e.attributes?.['exception.message']])).toEqual([
      ['exception', error.message],
    ]);
    expect(
      await harness.total('messaging.client.sent.messages', {
        'messaging.destination.name': topic,
        'error.type': 'UNKNOWN_TOPIC_OR_PARTITION',
      }),
    ).toBe(1);
    // Each attempt adds the unknown topic to the producer's targets and asks for its metadata
    // once (KafkaJS 2.2.4: the broker pool bails on this error without retrying).
    expect(
      (await harness.total('kafka.client.request.duration', failedMetadata)) - failedBefore,
    ).toBe(retries + 1);
  });

  it('ends every span it started: sends, a sendBatch, a failed send and the process spans', async () => {
    const { started, ended } = harness.spanCounter;
    const topic = unique('ended');
    await createTopic(topic, 2);
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      retry: { retries: 1, initialRetryTime: 50 },
    });
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'a' }] });
    await producer.sendBatch({ topicMessages: [{ topic, messages: [{ value: 'c' }] }] });
    await expect(
      producer.send({ topic: unique('ended-missing'), messages: [{ value: 'd' }] }),
    ).rejects.toThrow();
    await producer.disconnect();
    await produce(topic, [{ value: 'b' }]);
    await consumeAll(topic, randomGroup('ended'), 3);
    // Four send spans (one failed) and three process spans: every one started has ended.
    expect(harness.spanCounter.started - started).toBe(7);
    expect(harness.spanCounter.ended - ended).toBe(7);
  });
});
