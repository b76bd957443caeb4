/**
 * What the instrumentation promises beyond telemetry: it never changes what the application
 * sees, runs the application's hooks, can be turned off and on, and honours its options. All on
 * the real broker; every test reads only the telemetry of its own topic, group or trace.
 */
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { diag, DiagLogLevel, SpanKind, SpanStatusCode, type DiagLogger } from '@opentelemetry/api';
import type { Kafka, Producer, ProducerConfig } from 'kafkajs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeProcessed } from '../../support/consume-processed';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup } from '../../support/names';

const { harness, instrumentation, kafkajs, createKafka, createTopic, shutdown } =
  instrumentKafkaJs();
const nodeRequire = createRequire(import.meta.url);
let kafka: Kafka;

beforeAll(() => {
  kafka = createKafka('guarantees');
});
afterAll(shutdown);

const newTopic = (partitions = 1) => createTopic(partitions, 'guarantee');

/** KafkaJS's connection class, whose `send` the instrumentation wraps (shimmer's marks). */
type WrappedMethod = { __wrapped?: boolean; __original?: WrappedMethod };
const connectionClass = () =>
  nodeRequire('kafkajs/src/network/connection.js') as { prototype: { send: WrappedMethod } };

/** Consumes all `count` messages of `topic` with a fresh (or the given) group, spans ended. */
const consume = (topic: string, count: number, groupId = randomGroup('g')) =>
  consumeProcessed(kafka, harness, { topic, groupId, count });

/** Runs `work` with a connected producer, disconnected after it whatever happens. */
async function withProducer<T>(
  config: ProducerConfig,
  work: (producer: Producer) => Promise<T>,
): Promise<T> {
  const producer = kafka.producer(config);
  await producer.connect();
  try {
    return await work(producer);
  } finally {
    await producer.disconnect();
  }
}

const produce = (topic: string, values: string[]) =>
  withProducer(IDEMPOTENT_PRODUCER, (producer) =>
    producer.send({ topic, messages: values.map((value) => ({ value })) }),
  );

/** The configuration of a transactional producer with a transactional id of its own. */
const transactionalConfig = (): ProducerConfig => ({
  transactionalId: randomGroup('txn'),
  idempotent: true,
  maxInFlightRequests: 1,
});

/** Protocol requests of one API recorded so far (all clients of this file). */
const requestsOf = (api: string) =>
  harness.total('kafka.client.request.duration', { 'kafka.api.name': api });

/** Runs `work` with a diag logger that keeps error lines; the global diag is off again after. */
async function withDiagErrors(work: (errors: unknown[][]) => Promise<void>) {
  const errors: unknown[][] = [];
  const ignore = () => undefined;
  const logger: DiagLogger = {
    error: (...args: unknown[]) => errors.push(args),
    warn: ignore,
    info: ignore,
    debug: ignore,
    verbose: ignore,
  };
  diag.setLogger(logger, DiagLogLevel.ERROR);
  try {
    await work(errors);
  } finally {
    diag.disable();
  }
}

describe('instrumentation guarantees', () => {
  it('survives throwing hooks: each ran once per message, was logged, and changed nothing the application sees', async () => {
    const producerHookBug = new Error('producer hook bug');
    const consumerHookBug = new Error('consumer hook bug');
    const producerCalls: { topic: string; value: string }[] = [];
    const consumerCalls: { topic: string; partition: number; offset: string }[] = [];
    instrumentation.setConfig({
      producerHook: (_span, { topic, message }) => {
        producerCalls.push({ topic, value: String(message.value) });
        throw producerHookBug;
      },
      consumerHook: (_span, { topic, partition, message }) => {
        consumerCalls.push({ topic, partition, offset: message.offset });
        throw consumerHookBug;
      },
    });
    try {
      await withDiagErrors(async (errors) => {
        const topic = await newTopic();
        const result = await produce(topic, ['one', 'two']);
        expect(result).toEqual([
          expect.objectContaining({
            topicName: topic,
            partition: 0,
            errorCode: 0,
            baseOffset: '0',
          }),
        ]);
        const messages = await consume(topic, 2);
        expect(messages.map((m) => [m.offset, m.value?.toString()])).toEqual([
          ['0', 'one'],
          ['1', 'two'],
        ]);

        expect(producerCalls).toEqual([
          { topic, value: 'one' },
          { topic, value: 'two' },
        ]);
        expect(consumerCalls).toEqual([
          { topic, partition: 0, offset: '0' },
          { topic, partition: 0, offset: '1' },
        ]);
        // Logged through diag, once per call, with the hook's own error. Only the lines that
        // carry one of these very errors are this test's: the SDK may log others meanwhile.
        const hookBugs: unknown[] = [producerHookBug, consumerHookBug];
        const loggedHookBugs = errors
          .filter((args) => args.some((arg) => hookBugs.includes(arg)))
          .map((args) => [
            args.find((arg) => typeof arg === 'string' && arg.startsWith('kafka-otel:')),
            args.find((arg) => hookBugs.includes(arg)),
          ]);
        expect(loggedHookBugs).toEqual([
          ['kafka-otel: producerHook instrumentation failed', producerHookBug],
          ['kafka-otel: producerHook instrumentation failed', producerHookBug],
          ['kafka-otel: consumerHook instrumentation failed', consumerHookBug],
          ['kafka-otel: consumerHook instrumentation failed', consumerHookBug],
        ]);
        // The spans the hooks were handed are still whole and unfailed.
        for (const name of [`send ${topic}`, `process ${topic}`]) {
          const spans = harness.spansNamed(name);
          expect(spans, name).toHaveLength(2);
          for (const span of spans) {
            expect(span.status.code, name).toBe(SpanStatusCode.UNSET);
            expect(span.attributes['kafka.offset'], name).toEqual(expect.any(Number));
          }
        }
      });
    } finally {
      instrumentation.setConfig({});
    }
  });

  it('lets hooks change spans: what a hook sets is on the exported send and process spans', async () => {
    instrumentation.setConfig({
      producerHook: (span, { message }) => {
        span.setAttribute('app.order', String(message.value));
      },
      consumerHook: (span, { partition, message }) => {
        span.setAttribute('app.order', String(message.value));
        span.setAttribute('app.position', `${partition}/${message.offset}`);
      },
    });
    try {
      const topic = await newTopic();
      await produce(topic, ['first', 'second']);
      await consume(topic, 2);
      // Each span's offset with what its hook set, in offset order.
      const hookAttributes = (name: string, attribute: string) =>
        harness
          .spansNamed(name)
          .map((span) => [span.attributes['kafka.offset'], span.attributes[attribute]])
          .sort(([a], [b]) => Number(a) - Number(b));
      expect(hookAttributes(`send ${topic}`, 'app.order')).toEqual([
        [0, 'first'],
        [1, 'second'],
      ]);
      expect(hookAttributes(`process ${topic}`, 'app.order')).toEqual([
        [0, 'first'],
        [1, 'second'],
      ]);
      expect(hookAttributes(`process ${topic}`, 'app.position')).toEqual([
        [0, '0/0'],
        [1, '0/1'],
      ]);
    } finally {
      instrumentation.setConfig({});
    }
  });

  it('restores the originals on disable and records nothing while disabled', async () => {
    const { Kafka: KafkaClass } = kafkajs;
    const connection = connectionClass();
    expect(connection.prototype.send.__wrapped).toBe(true);

    instrumentation.disable();
    try {
      expect(connection.prototype.send.__wrapped).toBeUndefined();
      // The exported class was never replaced nor wrapped: KafkaJS's own, before and after.
      const exported = (nodeRequire('kafkajs') as typeof kafkajs).Kafka;
      expect(exported).toBe(KafkaClass);
      expect((exported.prototype.producer as WrappedMethod).__wrapped).toBeUndefined();

      const topic = await newTopic();
      await produce(topic, ['unseen']);
      expect(harness.spansNamed(`send ${topic}`)).toHaveLength(0);
      expect(
        await harness.total('messaging.client.sent.messages', {
          'messaging.destination.name': topic,
        }),
      ).toBe(0);
    } finally {
      instrumentation.enable();
    }
  });

  it('resumes on enable, and enable() twice never wraps twice: one span, one count, one request', async () => {
    instrumentation.disable();
    instrumentation.enable();
    // The second enable(), before anything is sent: it must not wrap what is already wrapped.
    instrumentation.enable();
    const send = connectionClass().prototype.send;
    expect(send.__wrapped).toBe(true);
    expect(send.__original?.__wrapped).toBeUndefined();

    const topic = await newTopic();
    const produceRequests = await requestsOf('Produce');
    await produce(topic, ['seen-1', 'seen-2']);
    expect(harness.spansNamed(`send ${topic}`)).toHaveLength(2);
    expect(
      await harness.total('messaging.client.sent.messages', {
        'messaging.destination.name': topic,
      }),
    ).toBe(2);
    // One send call to a one-partition topic is one Produce request: counted once.
    expect((await requestsOf('Produce')) - produceRequests).toBe(1);
  });

  it('ignores and counts a malformed traceparent: the process span starts a new trace', async () => {
    const topic = await newTopic();
    const groupId = randomGroup('g');
    instrumentation.disable();
    try {
      await withProducer(IDEMPOTENT_PRODUCER, (producer) =>
        producer.send({
          topic,
          messages: [{ value: 'corrupt', headers: { traceparent: 'not-a-trace-context' } }],
        }),
      );
    } finally {
      instrumentation.enable();
    }
    const [message] = await consume(topic, 1, groupId);
    expect(message!.headers?.traceparent?.toString()).toBe('not-a-trace-context');
    const processes = harness.spansNamed(`process ${topic}`);
    expect(processes).toHaveLength(1);
    expect(processes[0]!.parentSpanContext).toBeUndefined();
    expect(
      await harness.total('kafka.consumer.invalid_trace_context', {
        'messaging.consumer.group.name': groupId,
      }),
    ).toBe(1);
  });

  it('links instead of parenting in link mode, and emits one span per call in call mode', async () => {
    instrumentation.setConfig({ consumerContextRelation: 'link', producerSpanMode: 'call' });
    try {
      const topic = await newTopic();
      await produce(topic, ['1', '2', '3']);
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
      await withProducer(IDEMPOTENT_PRODUCER, (producer) =>
        producer.send({
          topic,
          messages: [
            { key: 'x', value: '1' },
            { key: 'y', value: '2' },
          ],
        }),
      );
      await consume(topic, 2);
      for (const name of ['messaging.client.sent.messages', 'messaging.client.consumed.messages']) {
        const points = await harness.points(name, { 'messaging.destination.name': topic });
        expect(points).toHaveLength(1);
        expect(points[0]!.value).toBe(2);
        expect(points[0]!.attributes['messaging.destination.partition.id']).toBeUndefined();
      }
      const sends = harness.spansNamed(`send ${topic}`);
      expect(sends).toHaveLength(2);
      for (const send of sends) {
        expect(send.attributes['kafka.offset']).toEqual(expect.any(Number));
        expect(send.attributes['messaging.kafka.offset']).toBe(send.attributes['kafka.offset']);
        expect(send.attributes['messaging.kafka.message.key']).toBe(
          send.attributes['kafka.message.key'],
        );
      }
    } finally {
      instrumentation.setConfig({});
    }
  });

  it('parents transactional sends under a transaction span that ends on commit', async () => {
    const topic = await newTopic();
    await withProducer(transactionalConfig(), async (producer) => {
      const transaction = await producer.transaction();
      await transaction.send({ topic, messages: [{ value: 'a' }, { value: 'b' }] });
      await transaction.commit();
      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: [{ value: 'c' }] });
      await aborted.abort();
    });

    const sends = harness.spansNamed(`send ${topic}`);
    expect(sends).toHaveLength(3);
    // The transaction spans of this topic's sends, by outcome: one committed, one aborted.
    const parents = new Set(sends.map((send) => send.parentSpanContext?.spanId));
    const transactions = harness
      .spansNamed('transaction')
      .filter((span) => parents.has(span.spanContext().spanId));
    expect(transactions.map((t) => t.attributes['kafka.transaction.outcome']).sort()).toEqual([
      'abort',
      'commit',
    ]);
    const committed = transactions.find(
      (t) => t.attributes['kafka.transaction.outcome'] === 'commit',
    )!;
    const underCommitted = sends.filter(
      (s) => s.parentSpanContext?.spanId === committed.spanContext().spanId,
    );
    expect(underCommitted).toHaveLength(2);
  });

  it('leaves no span open, throwing hooks and transactions included', async () => {
    const { started, ended } = harness.spanCounter;
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
      await produce(topic, ['a', 'b']);
      await withProducer(transactionalConfig(), async (producer) => {
        const transaction = await producer.transaction();
        await transaction.send({ topic, messages: [{ value: 'c' }] });
        await transaction.commit();
      });
      await consume(topic, 3);
    } finally {
      instrumentation.setConfig({});
    }
    // Three send spans, one transaction span, three process spans: all of them ended.
    expect(harness.spanCounter.started - started).toBe(7);
    expect(harness.spanCounter.ended - ended).toBe(7);
  });
});
