/**
 * eachBatch spans on the real broker, as docs/instrumentation.md describes them. The semantic
 * conventions make receive operations CLIENT spans: the `poll <topic>` span is CLIENT (issue #8),
 * linked to the producers of up to 128 of its messages; the per-message `process` spans under it
 * are CONSUMER spans, linked to the send span of their message, and end when the handler resolves
 * their offset, or with the handler (failed, if it threw) when it never does.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaSeeingHandlerErrors } from '../../support/handler-errors';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup } from '../../support/names';
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { waitFor } from '../../support/wait-for';

const { harness, kafkajs, brokers, createKafka, createTopic, shutdown } = instrumentKafkaJs();
let kafka: Kafka;
let producer: Producer;

beforeAll(async () => {
  kafka = createKafka('each-batch-spans');
  producer = kafka.producer(IDEMPOTENT_PRODUCER);
  await producer.connect();
});
afterAll(async () => {
  await producer.disconnect();
  await shutdown();
});

/** A one-partition topic holding `count` messages, written by one send (one record batch). */
async function topicWith(count: number, prefix: string): Promise<string> {
  const topic = await createTopic(1, prefix);
  await producer.send({
    topic,
    messages: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
  });
  return topic;
}

const offsetOf = (span: ReadableSpan) => Number(span.attributes['kafka.offset']);
const byOffset = (spans: ReadableSpan[]) => [...spans].sort((a, b) => offsetOf(a) - offsetOf(b));

/** The spans started and ended so far: a test counts its own spans from here. */
function spanMark() {
  const { started, ended } = harness.spanCounter;
  return { started, ended };
}

/** Exactly `count` spans started since `mark` (this test's own), and as many ended. */
function expectSpansEndedSince(mark: ReturnType<typeof spanMark>, count: number) {
  expect(harness.spanCounter.started - mark.started, 'spans started').toBe(count);
  expect(harness.spanCounter.ended - mark.ended, 'spans ended').toBe(count);
}

describe('eachBatch spans', () => {
  it('poll <topic> is a CLIENT span; each message gets a CONSUMER process span, its child', async () => {
    const mark = spanMark();
    const topic = await createTopic(1, 'poll-kind');
    const groupId = randomGroup('poll-kind');
    const count = 4;
    const producer = kafka.producer(IDEMPOTENT_PRODUCER);
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    });
    await producer.disconnect();

    const delivered: string[] = [];
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachBatch: (payload) => {
          const { batch } = payload;
          for (const message of batch.messages) {
            delivered.push(message.offset);
            payload.resolveOffset(message.offset);
          }
          return Promise.resolve();
        },
      });
      await waitFor(() => harness.spansNamed(`process ${topic}`).length >= count, {
        description: `${count} process spans of ${topic}`,
      });
    } finally {
      await consumer.disconnect();
    }
    expect(delivered).toEqual(['0', '1', '2', '3']);

    const polls = harness.spansNamed(`poll ${topic}`);
    const sends = harness.spansNamed(`send ${topic}`);
    const processes = harness.spansNamed(`process ${topic}`);
    expect(sends).toHaveLength(count);
    expect(processes).toHaveLength(count);
    expect(
      polls.reduce(
        (sum, poll) => sum + Number(poll.attributes['messaging.batch.message_count']),
        0,
      ),
    ).toBe(count);
    for (const poll of polls) {
      expect(poll.kind, `${poll.name} kind`).toBe(SpanKind.CLIENT);
      expect(poll.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.operation.name': 'poll',
        'messaging.operation.type': 'receive',
        'messaging.destination.name': topic,
        'messaging.destination.partition.id': '0',
        'messaging.consumer.group.name': groupId,
      });
    }

    const pollById = new Map(polls.map((poll) => [poll.spanContext().spanId, poll]));
    for (const process of processes) {
      const offset = process.attributes['kafka.offset'];
      expect(process.kind, `process of offset ${String(offset)} kind`).toBe(SpanKind.CONSUMER);
      const parent = pollById.get(process.parentSpanContext?.spanId ?? '');
      expect(parent, `the poll span parents offset ${String(offset)}`).toBeDefined();
      expect(process.spanContext().traceId).toBe(parent!.spanContext().traceId);
      const send = sends.find((s) => s.attributes['kafka.offset'] === offset);
      expect(process.links.map((link) => link.context.spanId)).toEqual([
        send!.spanContext().spanId,
      ]);
    }
    expect(processes.map((p) => p.attributes['kafka.offset']).sort()).toEqual([0, 1, 2, 3]);
    // Every poll span is one delivered batch: each parents some of the process spans.
    expect(new Set(processes.map((p) => p.parentSpanContext?.spanId))).toEqual(
      new Set(pollById.keys()),
    );
    // One send of 4 messages is one record batch: 4 send spans, 1 poll, 4 process spans.
    expectSpansEndedSince(mark, 9);
  });

  it('links a poll span to the producers of its first 128 messages only; every process span to its own', async () => {
    const mark = spanMark();
    const count = 200;
    const topic = await topicWith(count, 'poll-links');
    const sends = byOffset(harness.spansNamed(`send ${topic}`));
    expect(sends.map(offsetOf)).toEqual(Array.from({ length: count }, (_, offset) => offset));
    // Each message carries a trace context of its own: its send span's.
    expect(new Set(sends.map((send) => send.spanContext().spanId)).size).toBe(count);

    const batchSizes: number[] = [];
    const consumer = kafka.consumer({ groupId: randomGroup('poll-links'), maxWaitTimeInMs: 100 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachBatch: (payload) => {
          const { batch } = payload;
          batchSizes.push(batch.messages.length);
          for (const message of batch.messages) payload.resolveOffset(message.offset);
          return Promise.resolve();
        },
      });
      await waitFor(() => harness.spansNamed(`process ${topic}`).length === count, {
        description: `${count} process spans of ${topic}`,
      });
    } finally {
      await consumer.disconnect();
    }
    // One record batch on the broker, one batch for the handler: all 200 under one poll span.
    expect(batchSizes).toEqual([count]);
    const polls = harness.spansNamed(`poll ${topic}`);
    expect(polls).toHaveLength(1);
    const [poll] = polls;
    expect(poll!.attributes['messaging.batch.message_count']).toBe(count);
    expect(poll!.links.map((link) => link.context.spanId)).toEqual(
      sends.slice(0, 128).map((send) => send.spanContext().spanId),
    );
    // The instrumentation offers only 128: the SDK's own limit (also 128) would have kept the
    // last 128 offered and counted the rest as dropped.
    expect(poll!.droppedLinksCount).toBe(0);

    // The messages past the cap still reach their producers, through their own process span.
    const processes = byOffset(harness.spansNamed(`process ${topic}`));
    expect(processes.map(offsetOf)).toEqual(sends.map(offsetOf));
    processes.forEach((process, offset) => {
      expect(process.parentSpanContext?.spanId).toBe(poll!.spanContext().spanId);
      expect(process.links.map((link) => link.context.spanId)).toEqual([
        sends[offset]!.spanContext().spanId,
      ]);
    });
    // 200 send spans, the one poll span and 200 process spans.
    expectSpansEndedSince(mark, 401);
  });

  it('ends the spans of the messages the handler left unresolved when it returns; the batch counts whole', async () => {
    const mark = spanMark();
    const topic = await topicWith(5, 'unresolved');
    const groupId = randomGroup('unresolved');
    const batches: string[][] = [];
    let endedWhileRunning: number[] = [];
    let endedWhenBatchEnded: number[] = [];
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    // KafkaJS ends the batch right after the handler settled, before it commits or fetches more.
    consumer.on(consumer.events.END_BATCH_PROCESS, () => {
      endedWhenBatchEnded = harness.spansNamed(`process ${topic}`).map(offsetOf).sort();
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        // eachBatchAutoResolve stays on (the default): KafkaJS resolves the rest after the handler.
        eachBatch: (payload) => {
          const { batch } = payload;
          batches.push(batch.messages.map((message) => message.offset));
          // Offset 1 resolves offsets 0 and 1; 2, 3 and 4 are never resolved by the handler.
          payload.resolveOffset('1');
          endedWhileRunning = harness.spansNamed(`process ${topic}`).map(offsetOf).sort();
          return Promise.resolve();
        },
      });
      await waitFor(() => harness.spansNamed(`process ${topic}`).length === 5, {
        description: `5 process spans of ${topic}`,
      });
    } finally {
      await consumer.disconnect();
    }
    expect(batches).toEqual([['0', '1', '2', '3', '4']]);
    expect(endedWhileRunning, 'spans ended while the handler ran').toEqual([0, 1]);
    expect(endedWhenBatchEnded, 'spans ended once it returned').toEqual([0, 1, 2, 3, 4]);

    const [poll] = harness.spansNamed(`poll ${topic}`);
    const processes = byOffset(harness.spansNamed(`process ${topic}`));
    expect(processes.map(offsetOf)).toEqual([0, 1, 2, 3, 4]);
    for (const process of processes) {
      expect(process.status.code, `status of offset ${offsetOf(process)}`).toBe(
        SpanStatusCode.UNSET,
      );
      expect(process.attributes['error.type']).toBeUndefined();
    }
    expect(poll!.status.code).toBe(SpanStatusCode.UNSET);

    // Every message of the batch counts as delivered, resolved or not; one handler call.
    expect(
      await harness.total('messaging.client.consumed.messages', {
        'messaging.destination.name': topic,
      }),
    ).toBe(5);
    const handlerCalls = await harness.points('messaging.process.duration', {
      'messaging.destination.name': topic,
    });
    expect(handlerCalls.map((p) => [p.attributes['error.type'], p.value])).toEqual([
      [undefined, 1],
    ]);
    // 5 send spans, the one poll span and 5 process spans.
    expectSpansEndedSince(mark, 11);
  });

  it('without eachBatchAutoResolve, the unresolved messages come again: new spans, counted again', async () => {
    const mark = spanMark();
    const topic = await topicWith(5, 'redelivered');
    const batches: string[][] = [];
    const consumer = kafka.consumer({ groupId: randomGroup('redelivered'), maxWaitTimeInMs: 100 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachBatchAutoResolve: false,
        eachBatch: (payload) => {
          const { batch } = payload;
          batches.push(batch.messages.map((message) => message.offset));
          // The first delivery resolves offsets 0 and 1 only; the next resolves what it gets.
          payload.resolveOffset(batches.length === 1 ? '1' : batch.lastOffset());
          return Promise.resolve();
        },
      });
      await waitFor(() => harness.spansNamed(`process ${topic}`).length === 8, {
        description: `8 process spans of ${topic}`,
      });
    } finally {
      await consumer.disconnect();
    }
    expect(batches).toEqual([
      ['0', '1', '2', '3', '4'],
      ['2', '3', '4'],
    ]);
    const polls = harness.spansNamed(`poll ${topic}`);
    expect(polls.map((poll) => poll.attributes['messaging.batch.message_count'])).toEqual([5, 3]);
    const offsetsUnder = (poll: ReadableSpan) =>
      harness
        .spansNamed(`process ${topic}`)
        .filter((process) => process.parentSpanContext?.spanId === poll.spanContext().spanId)
        .map(offsetOf)
        .sort();
    expect(polls.map(offsetsUnder)).toEqual([
      [0, 1, 2, 3, 4],
      [2, 3, 4],
    ]);
    expect(
      await harness.total('messaging.client.consumed.messages', {
        'messaging.destination.name': topic,
      }),
    ).toBe(8);
    // 5 send spans, 2 poll spans and 5 + 3 process spans.
    expectSpansEndedSince(mark, 15);
  });

  it('a throwing handler: poll and unresolved process spans fail with its error, KafkaJS gets that very error', async () => {
    const mark = spanMark();
    const topic = await topicWith(5, 'batch-throws');
    const groupId = randomGroup('batch-throws');
    const failure = new Error('ledger unavailable');
    const crashes: unknown[] = [];
    const batches: string[][] = [];
    const seenByKafkaJs = kafkaSeeingHandlerErrors(kafkajs, brokers);
    const consumer = seenByKafkaJs.kafka.consumer({
      groupId,
      maxWaitTimeInMs: 100,
      retry: { retries: 0, initialRetryTime: 100 },
    });
    consumer.on(consumer.events.CRASH, (event) => crashes.push(event.payload.error));
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachBatch: (payload) => {
          const { batch } = payload;
          batches.push(batch.messages.map((message) => message.offset));
          if (batches.length > 1) return Promise.resolve();
          // Offsets 0 and 1 are done when the handler fails; KafkaJS commits them, restarts the
          // consumer and delivers 2, 3 and 4 again.
          payload.resolveOffset('1');
          return Promise.reject(failure);
        },
      });
      await waitFor(() => harness.spansNamed(`poll ${topic}`).length === 2, {
        description: 'the failed batch and the one after the restart',
      });
    } finally {
      await consumer.disconnect();
    }
    expect(batches).toEqual([
      ['0', '1', '2', '3', '4'],
      ['2', '3', '4'],
    ]);

    // The runner caught the handler's very object; KafkaJS's retrier made it the crash's cause.
    expect(seenByKafkaJs.caught).toHaveLength(1);
    expect(seenByKafkaJs.caught[0]).toBe(failure);
    expect(crashes).toHaveLength(1);
    expect((crashes[0] as Error).name).toBe('KafkaJSNumberOfRetriesExceeded');
    expect((crashes[0] as Error).cause).toBe(failure);

    // Failures set status ERROR, an exception event and error.type (docs: Spans, Failures).
    const failedWith = (span: ReadableSpan) => {
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: failure.message });
      expect(span.attributes['error.type']).toBe('Error');
      expect(span.events.map((e) => [e.name, e.attributes?.['exception.message']])).toEqual([
        ['exception', failure.message],
      ]);
    };
    const succeeded = (span: ReadableSpan) => {
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.attributes['error.type']).toBeUndefined();
    };
    const [failedPoll, retriedPoll] = harness.spansNamed(`poll ${topic}`);
    failedWith(failedPoll!);
    succeeded(retriedPoll!);
    const under = (poll: ReadableSpan) =>
      byOffset(
        harness
          .spansNamed(`process ${topic}`)
          .filter((process) => process.parentSpanContext?.spanId === poll.spanContext().spanId),
      );
    const firstDelivery = under(failedPoll!);
    expect(firstDelivery.map(offsetOf)).toEqual([0, 1, 2, 3, 4]);
    // Resolved before the throw: processed. Never resolved: failed with the handler.
    firstDelivery.slice(0, 2).forEach(succeeded);
    firstDelivery.slice(2).forEach(failedWith);
    const secondDelivery = under(retriedPoll!);
    expect(secondDelivery.map(offsetOf)).toEqual([2, 3, 4]);
    secondDelivery.forEach(succeeded);

    const handlerCalls = await harness.points('messaging.process.duration', {
      'messaging.destination.name': topic,
    });
    expect(handlerCalls.map((p) => [p.attributes['error.type'], p.value])).toEqual(
      expect.arrayContaining([
        ['Error', 1],
        [undefined, 1],
      ]),
    );
    expect(handlerCalls).toHaveLength(2);
    expect(
      await harness.total('kafka.consumer.crashes', { 'messaging.consumer.group.name': groupId }),
    ).toBe(1);
    // 5 send spans, 2 poll spans and 5 + 3 process spans, the failed ones included.
    expectSpansEndedSince(mark, 15);
  });
});
