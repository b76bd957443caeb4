/**
 * Transaction spans on the real broker (issue #8): a transaction whose send failed and that the
 * application then aborted is an ERROR carrying the send's error; `transaction()` refused by
 * KafkaJS is recorded as a failed transaction and rejects with KafkaJS's own error; a committed
 * transaction stays UNSET and parents its sends. Every test runs under a root span of its own
 * and reads only the spans of that trace.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Kafka, KafkaJSProtocolError } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup, randomTopic } from '../../support/names';
import { waitFor } from '../../support/wait-for';

const { harness, instrumentation, kafkajs, createKafka, shutdown } = instrumentKafkaJs();
const tracer = harness.tracerProvider.getTracer('transactions-test');
let kafka: Kafka;

beforeAll(() => {
  kafka = createKafka('transactions');
});
afterAll(shutdown);

/** Broker default message.max.bytes is 1048588: this value is rejected as MESSAGE_TOO_LARGE. */
const TOO_LARGE = 1_100_000;

/** Creates a one-partition topic explicitly (no auto-creation) and waits for its leader. */
async function createTopic(prefix: string): Promise<string> {
  const topic = randomTopic(prefix);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    expect(created, `topic ${topic} created`).toBe(true);
    await waitFor(
      async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        return topics[0]?.partitions.length === 1 && topics[0].partitions[0]!.leader >= 0;
      },
      { description: `a leader for ${topic}` },
    );
  } finally {
    await admin.disconnect();
  }
  return topic;
}

function transactionalProducer() {
  return kafka.producer({
    transactionalId: randomGroup('txn'),
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
}

/** Runs `work` under a root span of the test; returns its result and the trace's spans. */
async function traced<T>(name: string, work: () => Promise<T>) {
  let traceId = '';
  let rootId = '';
  const result = await tracer.startActiveSpan(name, async (root) => {
    traceId = root.spanContext().traceId;
    rootId = root.spanContext().spanId;
    try {
      return await work();
    } finally {
      root.end();
    }
  });
  const spans = () => harness.spans().filter((span) => span.spanContext().traceId === traceId);
  return { result, rootId, spans };
}

function onlyTransactionSpan(spans: ReadableSpan[]): ReadableSpan {
  const transactions = spans.filter((span) => span.name === 'transaction');
  expect(transactions).toHaveLength(1);
  return transactions[0]!;
}

const exceptionEvents = (span: ReadableSpan) =>
  span.events.filter((event) => event.name === 'exception');

describe('transaction spans', () => {
  it('a send fails inside the transaction and the app aborts: the transaction span is an ERROR with the send error, outcome abort', async () => {
    const topic = await createTopic('txn-failed-send');
    const producer = transactionalProducer();
    await producer.connect();
    let aborted = false;
    const {
      result: sendError,
      rootId,
      spans,
    } = await traced('failed transaction', async () => {
      const transaction = await producer.transaction();
      const failure = await transaction
        .send({ topic, messages: [{ key: 'too-big', value: Buffer.alloc(TOO_LARGE, 0x61) }] })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      await transaction.abort();
      aborted = true;
      return failure;
    });
    await producer.disconnect();

    // The real broker refused the record, KafkaJS did not retry, and the abort went through.
    expect(sendError).toBeInstanceOf(kafkajs.KafkaJSProtocolError);
    const error = sendError as KafkaJSProtocolError;
    expect(error.type).toBe('MESSAGE_TOO_LARGE');
    expect(error.retriable).toBe(false);
    expect(aborted).toBe(true);

    const transaction = onlyTransactionSpan(spans());
    expect(transaction.kind).toBe(SpanKind.INTERNAL);
    expect(transaction.parentSpanContext?.spanId).toBe(rootId);
    expect(transaction.attributes['kafka.transaction.outcome']).toBe('abort');
    expect(transaction.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
    expect(transaction.attributes['error.type']).toBe('MESSAGE_TOO_LARGE');
    const exceptions = exceptionEvents(transaction);
    expect(exceptions).toHaveLength(1);
    // The very error the application got: same message, same stack.
    expect(exceptions[0]!.attributes).toMatchObject({
      'exception.message': error.message,
      'exception.stacktrace': error.stack,
    });

    // The failed send is the transaction's child and failed the same way.
    const sends = spans().filter((span) => span.name === `send ${topic}`);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.parentSpanContext?.spanId).toBe(transaction.spanContext().spanId);
    expect(sends[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(sends[0]!.attributes['error.type']).toBe('MESSAGE_TOO_LARGE');
  });

  it('transaction() on a producer without transactionalId rejects with KafkaJS own error and records a failed transaction span', async () => {
    // What the application gets without the instrumentation.
    instrumentation.disable();
    let baseline: Error;
    try {
      const plain = kafka.producer();
      await plain.connect();
      baseline = (await plain.transaction().then(
        () => new Error('transaction() resolved without a transactionalId'),
        (error: unknown) => error,
      )) as Error;
      await plain.disconnect();
    } finally {
      instrumentation.enable();
    }
    expect(baseline).toBeInstanceOf(kafkajs.KafkaJSNonRetriableError);

    const producer = kafka.producer();
    await producer.connect();
    const { result, rootId, spans } = await traced('transaction without id', () =>
      producer.transaction().then(
        () => new Error('transaction() resolved without a transactionalId'),
        (error: unknown) => error,
      ),
    );
    await producer.disconnect();

    // The same error as without instrumentation: KafkaJS's class, message and throw site.
    const thrown = result as Error;
    expect(thrown).toBeInstanceOf(kafkajs.KafkaJSNonRetriableError);
    expect(Object.getPrototypeOf(thrown)).toBe(Object.getPrototypeOf(baseline));
    expect(thrown.name).toBe(baseline.name);
    expect(thrown.message).toBe(baseline.message);
    expect(thrown.message).toBe('Must provide transactional id for transactional producer');
    const throwSite = (error: Error) => error.stack?.split('\n')[1]?.trim();
    expect(throwSite(thrown)).toBe(throwSite(baseline));
    expect(throwSite(thrown)).toMatch(/kafkajs[\\/]src[\\/]producer[\\/]index\.js/);

    const transaction = onlyTransactionSpan(spans());
    expect(transaction.kind).toBe(SpanKind.INTERNAL);
    expect(transaction.parentSpanContext?.spanId).toBe(rootId);
    expect(transaction.status).toEqual({ code: SpanStatusCode.ERROR, message: thrown.message });
    expect(transaction.attributes['error.type']).toBe('KafkaJSNonRetriableError');
    const exceptions = exceptionEvents(transaction);
    expect(exceptions).toHaveLength(1);
    expect(exceptions[0]!.attributes).toMatchObject({
      'exception.message': thrown.message,
      'exception.stacktrace': thrown.stack,
    });
  });

  it('a committed transaction span stays UNSET, outcome commit, and parents its sends', async () => {
    const topic = await createTopic('txn-committed');
    const producer = transactionalProducer();
    await producer.connect();
    const { rootId, spans } = await traced('committed transaction', async () => {
      const transaction = await producer.transaction();
      await transaction.send({
        topic,
        messages: [
          { key: 'a', value: 'one' },
          { key: 'b', value: 'two' },
        ],
      });
      await transaction.commit();
    });
    await producer.disconnect();

    const transaction = onlyTransactionSpan(spans());
    expect(transaction.kind).toBe(SpanKind.INTERNAL);
    expect(transaction.parentSpanContext?.spanId).toBe(rootId);
    expect(transaction.attributes['kafka.transaction.outcome']).toBe('commit');
    expect(transaction.status.code).toBe(SpanStatusCode.UNSET);
    expect(transaction.attributes['error.type']).toBeUndefined();
    expect(exceptionEvents(transaction)).toHaveLength(0);

    const sends = spans().filter((span) => span.name === `send ${topic}`);
    expect(sends).toHaveLength(2);
    for (const send of sends) {
      expect(send.kind).toBe(SpanKind.PRODUCER);
      expect(send.parentSpanContext?.spanId).toBe(transaction.spanContext().spanId);
      expect(send.status.code).toBe(SpanStatusCode.UNSET);
    }
    expect(sends.map((send) => send.attributes['kafka.offset']).sort()).toEqual([0, 1]);
  });

  it('leaves no span open', async () => {
    const { started, ended } = harness.spanCounter;
    const topic = await createTopic('txn-no-span-open');
    const producer = transactionalProducer();
    await producer.connect();
    await traced('transaction to close', async () => {
      const transaction = await producer.transaction();
      await transaction.send({ topic, messages: [{ key: 'k', value: 'v' }] });
      await transaction.sendOffsets({
        consumerGroupId: randomGroup('txn-no-span-open'),
        topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }],
      });
      await transaction.commit();
    });
    await producer.disconnect();
    // This test's spans: its root, the transaction, one send and one send_offsets.
    expect(harness.spanCounter.started - started).toBe(4);
    expect(harness.spanCounter.ended - ended).toBe(4);
  });
});

describe('send_offsets spans', () => {
  it('sendOffsets in a committed transaction: a send_offsets span, child of the transaction, naming the group; the offsets are committed', async () => {
    const topic = await createTopic('txn-send-offsets');
    const group = randomGroup('txn-offsets');
    const producer = transactionalProducer();
    await producer.connect();
    const { spans } = await traced('consume-transform-produce', async () => {
      const transaction = await producer.transaction();
      await transaction.send({ topic, messages: [{ key: 'out', value: 'transformed' }] });
      await transaction.sendOffsets({
        consumerGroupId: group,
        topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }],
      });
      await transaction.commit();
    });
    await producer.disconnect();

    const transaction = onlyTransactionSpan(spans());
    const sendOffsets = spans().filter((span) => span.name === 'send_offsets');
    expect(sendOffsets).toHaveLength(1);
    const [span] = sendOffsets as [ReadableSpan];
    expect(span.kind).toBe(SpanKind.INTERNAL);
    expect(span.parentSpanContext?.spanId).toBe(transaction.spanContext().spanId);
    expect(span.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.name': 'send_offsets',
      'messaging.operation.type': 'settle',
      'messaging.consumer.group.name': group,
      'messaging.client.id': 'transactions',
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['error.type']).toBeUndefined();
    expect(transaction.status.code).toBe(SpanStatusCode.UNSET);

    // The broker has the group's offset from the committed transaction.
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      expect(committed!.partitions).toEqual([{ partition: 0, offset: '1', metadata: null }]);
    } finally {
      await admin.disconnect();
    }
  });

  it('a sendOffsets the broker refuses, then abort: the send_offsets span and the transaction span are ERRORs with its error', async () => {
    const topic = await createTopic('txn-send-offsets-refused');
    const producer = transactionalProducer();
    await producer.connect();
    // KafkaJS writes a partition's commit metadata into TxnOffsetCommit (its types leave the
    // field out); more than the broker's offset.metadata.max.bytes (4096) is refused, for good.
    const tooMuchMetadata = { partition: 0, offset: '1', metadata: 'x'.repeat(5_000) };
    const { result: refusal, spans } = await traced('refused offsets', async () => {
      const transaction = await producer.transaction();
      const failure = await transaction
        .sendOffsets({
          consumerGroupId: randomGroup('txn-offsets'),
          topics: [{ topic, partitions: [tooMuchMetadata] }],
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      await transaction.abort();
      return failure;
    });
    await producer.disconnect();

    expect(refusal).toBeInstanceOf(kafkajs.KafkaJSProtocolError);
    const error = refusal as KafkaJSProtocolError;
    expect(error.type).toBe('OFFSET_METADATA_TOO_LARGE');
    const sendOffsets = spans().filter((span) => span.name === 'send_offsets');
    expect(sendOffsets).toHaveLength(1);
    const [span] = sendOffsets as [ReadableSpan];
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
    expect(span.attributes['error.type']).toBe('OFFSET_METADATA_TOO_LARGE');
    expect(exceptionEvents(span)).toHaveLength(1);

    // Aborted after the failure: the transaction failed with the very same error.
    const transaction = onlyTransactionSpan(spans());
    expect(span.parentSpanContext?.spanId).toBe(transaction.spanContext().spanId);
    expect(transaction.attributes['kafka.transaction.outcome']).toBe('abort');
    expect(transaction.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
    expect(transaction.attributes['error.type']).toBe('OFFSET_METADATA_TOO_LARGE');
    expect(exceptionEvents(transaction)[0]!.attributes).toMatchObject({
      'exception.message': error.message,
      'exception.stacktrace': error.stack,
    });
  });
});

describe("producerSpanMode 'call' in a transaction", () => {
  it('one send span per topic of each call, children of the transaction, and each message carries its call span to the consumer', async () => {
    const [orders, audit] = [
      await createTopic('txn-call-orders'),
      await createTopic('txn-call-audit'),
    ];
    instrumentation.setConfig({ producerSpanMode: 'call' });
    try {
      const producer = transactionalProducer();
      await producer.connect();
      const { spans } = await traced('call-mode transaction', async () => {
        const transaction = await producer.transaction();
        await transaction.send({
          topic: orders,
          messages: [
            { key: 'a', value: '1' },
            { key: 'b', value: '2' },
            { key: 'c', value: '3' },
          ],
        });
        await transaction.sendBatch({
          topicMessages: [
            { topic: orders, messages: [{ key: 'd', value: '4' }] },
            {
              topic: audit,
              messages: [
                { key: 'e', value: '5' },
                { key: 'f', value: '6' },
              ],
            },
          ],
        });
        await transaction.commit();
      });
      await producer.disconnect();

      // Read back committed (KafkaJS consumers read committed by default).
      const consumer = kafka.consumer({ groupId: randomGroup('txn-call'), maxWaitTimeInMs: 100 });
      await consumer.connect();
      try {
        await consumer.subscribe({ topics: [orders, audit], fromBeginning: true });
        await consumer.run({ eachMessage: () => Promise.resolve() });
        await waitFor(
          () =>
            harness.spansNamed(`process ${orders}`).length === 4 &&
            harness.spansNamed(`process ${audit}`).length === 2,
          { description: 'the six committed messages processed' },
        );
      } finally {
        await consumer.disconnect();
      }

      const transaction = onlyTransactionSpan(spans());
      const sends = spans().filter((span) => span.kind === SpanKind.PRODUCER);
      // The send call, then the sendBatch call's two topics.
      expect(
        sends.map((span) => [span.name, span.attributes['messaging.batch.message_count']]),
      ).toEqual([
        [`send ${orders}`, 3],
        [`send ${orders}`, 1],
        [`send ${audit}`, 2],
      ]);
      for (const send of sends) {
        expect(send.parentSpanContext?.spanId).toBe(transaction.spanContext().spanId);
        expect(send.status.code).toBe(SpanStatusCode.UNSET);
      }
      expect(transaction.attributes['kafka.transaction.outcome']).toBe('commit');

      // Each process span is the child of the call span its message carried.
      const [sendCall, ordersOfBatch, auditOfBatch] = sends.map(
        (span) => span.spanContext().spanId,
      );
      const parents = (topic: string) =>
        harness
          .spansNamed(`process ${topic}`)
          .map((span) => [span.attributes['kafka.offset'], span.parentSpanContext?.spanId])
          .sort(([a], [b]) => Number(a) - Number(b));
      expect(parents(orders)).toEqual([
        [0, sendCall],
        [1, sendCall],
        [2, sendCall],
        [3, ordersOfBatch],
      ]);
      expect(parents(audit)).toEqual([
        [0, auditOfBatch],
        [1, auditOfBatch],
      ]);
    } finally {
      instrumentation.setConfig({});
    }
  });
});
