/**
 * The KafkaJS patches against stubbed clients, no broker: the client objects (producer, consumer,
 * connection, offset manager) are stand-ins whose methods answer as KafkaJS would. What the
 * patches add (spans, events to the recorder) and what they must not change (the same record,
 * value, error object, thrown the same way) are checked here; the real-broker suites prove the
 * same against Kafka.
 */
import { context, diag, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type {
  Consumer,
  EachBatchPayload,
  EachMessagePayload,
  KafkaMessage,
  Producer,
} from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageContext } from '../../../src';
import { ClientRegistry } from '../../../src/instrumentation/kafkajs/client-registry';
import { ClusterIds } from '../../../src/instrumentation/kafkajs/cluster-ids';
import { instrumentConsumer } from '../../../src/instrumentation/kafkajs/consumer';
import { offsetCommitPatch } from '../../../src/instrumentation/kafkajs/consumer-group';
import type {
  ConnectionSendArgs,
  KafkaConnection,
  OffsetManager,
} from '../../../src/instrumentation/kafkajs/kafkajs-internals';
import type { KafkaJsTelemetry } from '../../../src/instrumentation/kafkajs/kafkajs-telemetry';
import { instrumentProducer } from '../../../src/instrumentation/kafkajs/producer';
import { connectionSendPatch } from '../../../src/instrumentation/kafkajs/request-layer';
import { Recorder } from '../../../src/instrumentation/recorder/recorder';
import { resolveSettings } from '../../../src/instrumentation/settings';
import type { KafkaJsInstrumentationConfig } from '../../../src';
import { TelemetryHarness } from '../../support/telemetry-harness';

const CLIENT = {
  kind: 'producer',
  clientId: 'app',
  serverAddress: 'b1',
  serverPort: 9092,
} as const;

let harness: TelemetryHarness;
beforeEach(() => {
  harness = new TelemetryHarness();
});
afterEach(() => harness.shutdown());

/** What the instrumentation class hands the patches, on the harness's providers. */
function telemetryOf(config: KafkaJsInstrumentationConfig = {}, traced = true): KafkaJsTelemetry {
  return {
    tracer: traced
      ? harness.tracerProvider.getTracer('kafka-otel')
      : trace.getTracerProvider().getTracer('untraced'),
    recorder: new Recorder(harness.meterProvider.getMeter('kafka-otel')),
    settings: resolveSettings(config),
    diag,
    isEnabled: () => true,
    clients: new ClientRegistry(),
    clusterIds: new ClusterIds(),
    partitionGrouping: new WeakMap(),
  };
}

/** A producer whose send puts every message on partition 0 at `base` offset onwards, like KafkaJS. */
function stubProducer(telemetry: KafkaJsTelemetry, base = 40) {
  const calls: unknown[] = [];
  const producer = {
    send(record: { topic: string; messages: never[] }) {
      calls.push(record);
      telemetry.partitionGrouping.set(record.messages, { '0': record.messages });
      return Promise.resolve([
        { topicName: record.topic, partition: 0, errorCode: 0, baseOffset: String(base) },
      ]);
    },
    sendBatch: () => Promise.resolve([]),
    transaction: () => Promise.reject(new Error('no transactions here')),
  } as unknown as Producer;
  return { producer, calls };
}

describe('producer patch', () => {
  it('hands KafkaJS the application record itself when nothing is traced or carried', async () => {
    const telemetry = telemetryOf({}, false);
    const { producer, calls } = stubProducer(telemetry);
    instrumentProducer(producer, telemetry, CLIENT);
    const record = { topic: 'orders', messages: [{ value: 'a' }, { value: 'bb' }] };
    const result = await producer.send(record);
    expect(calls).toEqual([record]);
    expect(calls[0]).toBe(record);
    expect(result).toEqual([expect.objectContaining({ baseOffset: '40' })]);
    expect(
      await harness.points('messaging.client.sent.messages', {
        'messaging.destination.name': 'orders',
      }),
    ).toEqual([
      expect.objectContaining({
        value: 2,
        attributes: expect.objectContaining({ 'messaging.destination.partition.id': '0' }),
      }),
    ]);
    expect(await harness.total('kafka.client.sent.bytes')).toBe(3);
  });

  it('traces each message with its offset, headers on copies, the caller untouched', async () => {
    const telemetry = telemetryOf();
    const { producer, calls } = stubProducer(telemetry);
    instrumentProducer(producer, telemetry, CLIENT);
    const messages = [{ key: 'k1', value: 'a' }, { value: null }];
    await producer.send({ topic: 'orders', messages });
    expect(messages).toEqual([{ key: 'k1', value: 'a' }, { value: null }]);

    const spans = harness.spansNamed('send orders');
    expect(spans.map((s) => [s.kind, s.attributes['kafka.offset']])).toEqual([
      [SpanKind.PRODUCER, 40],
      [SpanKind.PRODUCER, 41],
    ]);
    expect(spans[1]!.attributes['kafka.message.tombstone']).toBe(true);
    const sent = (calls[0] as { messages: { headers: Record<string, string> }[] }).messages;
    expect(sent.map((m) => m.headers.traceparent)).toEqual(
      spans.map((s) => `00-${s.spanContext().traceId}-${s.spanContext().spanId}-01`),
    );
  });

  it('rejects with the same error object, fails the spans, counts the failure by error.type', async () => {
    const telemetry = telemetryOf();
    const failure = Object.assign(new Error('too large'), { type: 'MESSAGE_TOO_LARGE', code: 10 });
    const producer = {
      send: () => Promise.reject(failure),
      sendBatch: () => Promise.resolve([]),
      transaction: () => Promise.reject(failure),
    } as unknown as Producer;
    instrumentProducer(producer, telemetry, CLIENT);
    await expect(producer.send({ topic: 't', messages: [{ value: 'x' }] })).rejects.toBe(failure);
    const [span] = harness.spansNamed('send t');
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'too large' });
    expect(
      await harness.total('messaging.client.sent.messages', { 'error.type': 'MESSAGE_TOO_LARGE' }),
    ).toBe(1);
    expect(await harness.total('kafka.client.sent.bytes')).toBe(0);
  });

  it('lets a synchronous throw out as a throw, unchanged', () => {
    const telemetry = telemetryOf();
    const failure = new TypeError('bad producer state');
    const producer = {
      send: () => {
        throw failure;
      },
      sendBatch: () => Promise.resolve([]),
      transaction: () => Promise.reject(failure),
    } as unknown as Producer;
    instrumentProducer(producer, telemetry, CLIENT);
    expect(() => producer.send({ topic: 't', messages: [{ value: 'x' }] })).toThrow(failure);
  });
});

/** A consumer stand-in: `run` keeps the handlers, `on` the listeners, so the test drives both. */
function stubConsumer() {
  const listeners = new Map<string, (event: { payload: unknown }) => void>();
  let handlers: {
    eachMessage?: (p: EachMessagePayload) => Promise<void>;
    eachBatch?: (p: EachBatchPayload) => Promise<void>;
  } = {};
  const consumer = {
    run: (config: typeof handlers) => {
      handlers = config;
      return Promise.resolve();
    },
    commitOffsets: () => Promise.resolve(),
    on: (event: string, listener: (event: { payload: unknown }) => void) =>
      listeners.set(event, listener),
    events: {
      GROUP_JOIN: 'consumer.group_join',
      CRASH: 'consumer.crash',
      STOP: 'consumer.stop',
      DISCONNECT: 'consumer.disconnect',
      START_BATCH_PROCESS: 'consumer.start_batch_process',
      END_BATCH_PROCESS: 'consumer.end_batch_process',
    },
  } as unknown as Consumer;
  const emit = (event: string, payload: unknown) => listeners.get(event)!({ payload });
  return { consumer, emit, handlers: () => handlers };
}

const message = (offset: number, headers: Record<string, string> = {}): KafkaMessage =>
  ({
    key: Buffer.from(`k${offset}`),
    value: Buffer.from('value'),
    timestamp: String(Date.now() - 2_000),
    offset: String(offset),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
    attributes: 0,
    size: 0,
  }) as unknown as KafkaMessage;

describe('consumer patch', () => {
  it('counts every delivered message and records one end-to-end latency per batch', async () => {
    const telemetry = telemetryOf({}, false);
    const { consumer, emit, handlers } = stubConsumer();
    instrumentConsumer(consumer, telemetry, { ...CLIENT, kind: 'consumer' }, 'billing');
    await consumer.run({ eachMessage: () => Promise.resolve() });
    const eachMessage = handlers().eachMessage!;
    const payload = (offset: number) =>
      ({ topic: 'orders', partition: 1, message: message(offset) }) as EachMessagePayload;

    emit('consumer.start_batch_process', { topic: 'orders', partition: 1 });
    for (const offset of [0, 1, 2]) await eachMessage(payload(offset));
    emit('consumer.start_batch_process', { topic: 'orders', partition: 1 });
    await eachMessage(payload(3));

    expect(await harness.total('messaging.client.consumed.messages')).toBe(4);
    expect(await harness.total('kafka.client.consumed.bytes')).toBe(4 * (2 + 5));
    expect(await harness.total('messaging.process.duration')).toBe(4);
    const [latency] = await harness.points('kafka.consumer.end_to_end.latency');
    expect(latency).toMatchObject({ value: 2 });
    expect(latency!.sum).toBeGreaterThanOrEqual(4);
  });

  it('rejects with the handler error object and records the processing failure', async () => {
    const telemetry = telemetryOf();
    const { consumer, handlers } = stubConsumer();
    instrumentConsumer(consumer, telemetry, { ...CLIENT, kind: 'consumer' }, 'billing');
    const failure = new RangeError('bad order');
    await consumer.run({ eachMessage: () => Promise.reject(failure) });
    const run = handlers().eachMessage!({
      topic: 'orders',
      partition: 0,
      message: message(7),
    } as EachMessagePayload);
    await expect(run).rejects.toBe(failure);
    expect(await harness.total('messaging.process.duration', { 'error.type': 'RangeError' })).toBe(
      1,
    );
    const [span] = harness.spansNamed('process orders');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('runs eachMessage in the producer context the headers carry, with its baggage', async () => {
    const telemetry = telemetryOf();
    const { consumer, handlers } = stubConsumer();
    instrumentConsumer(consumer, telemetry, { ...CLIENT, kind: 'consumer' }, 'billing');
    let seen: { traceId?: string; baggage?: string } = {};
    await consumer.run({
      eachMessage: () => {
        seen = {
          traceId: trace.getSpanContext(context.active())?.traceId,
          baggage: propagation.getBaggage(context.active())?.getEntry('tenant')?.value,
        };
        return Promise.resolve();
      },
    });
    propagation.disable();
    const { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } =
      await import('@opentelemetry/core');
    propagation.setGlobalPropagator(
      new CompositePropagator({
        propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
      }),
    );
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await handlers().eachMessage!({
      topic: 'orders',
      partition: 0,
      message: message(1, {
        traceparent: `00-${traceId}-b7ad6b7169203331-01`,
        baggage: 'tenant=acme',
      }),
    } as EachMessagePayload);
    expect(seen).toEqual({ traceId, baggage: 'acme' });
  });

  it('times eachBatch message spans by resolveOffset and exposes each through messageContext', async () => {
    const telemetry = telemetryOf();
    const { consumer, handlers } = stubConsumer();
    instrumentConsumer(consumer, telemetry, { ...CLIENT, kind: 'consumer' }, 'billing');
    const messages = [message(0), message(1), message(2)];
    const active: (string | undefined)[] = [];
    await consumer.run({
      eachBatch: async (payload) => {
        for (const m of payload.batch.messages) {
          active.push(trace.getSpan(messageContext(m))?.spanContext().spanId);
          payload.resolveOffset(m.offset);
        }
        await Promise.resolve();
      },
    });
    await handlers().eachBatch!({
      batch: { topic: 'orders', partition: 3, messages },
      resolveOffset: () => undefined,
    } as unknown as EachBatchPayload);
    const [poll] = harness.spansNamed('poll orders');
    const processes = harness.spansNamed('process orders');
    expect(poll!.kind).toBe(SpanKind.CLIENT);
    expect(processes.map((s) => s.attributes['kafka.offset'])).toEqual([0, 1, 2]);
    expect(processes.every((s) => s.parentSpanContext?.spanId === poll!.spanContext().spanId)).toBe(
      true,
    );
    expect(active).toEqual(processes.map((s) => s.spanContext().spanId));
    expect(await harness.total('messaging.process.duration')).toBe(1);
    expect(await harness.total('messaging.client.consumed.messages')).toBe(3);
  });

  it('turns group events into rebalances, crashes and assignment', async () => {
    const telemetry = telemetryOf();
    const { consumer, emit } = stubConsumer();
    instrumentConsumer(consumer, telemetry, { ...CLIENT, kind: 'consumer' }, 'billing');
    emit('consumer.group_join', { duration: 250, memberAssignment: { orders: [0, 1, 2] } });
    emit('consumer.end_batch_process', { topic: 'orders', partition: 1, offsetLag: '12' });
    emit('consumer.crash', { error: 'not an Error', restart: false });
    expect(await harness.total('kafka.consumer.rebalances')).toBe(1);
    expect(await harness.total('kafka.consumer.assigned_partitions')).toBe(3);
    expect(await harness.total('kafka.consumer.crashes', { 'error.type': '_OTHER' })).toBe(1);
    // The crash without restart dropped the consumer's lag series.
    expect(await harness.points('kafka.consumer.lag')).toEqual([]);
    emit('consumer.stop', {});
    expect(await harness.total('kafka.consumer.assigned_partitions')).toBe(0);
  });
});

describe('request layer and commits', () => {
  it('records a request with its sizes, and learns the cluster id from Metadata', async () => {
    const telemetry = telemetryOf();
    const kafkaJsSend = async (args: ConnectionSendArgs) => {
      await args.request.encode();
      await args.response.decode(Buffer.alloc(100));
      return { clusterId: 'cluster-7', brokers: [{ host: 'b2', port: 9093 }] };
    };
    const connection = { host: 'b1', port: 9092, clientId: 'app' } as unknown as KafkaConnection;
    const send = connectionSendPatch(telemetry)(kafkaJsSend);
    const request = {
      apiKey: 3,
      apiVersion: 6,
      apiName: 'Metadata',
      encode: () => Promise.resolve({ size: () => 20 }),
    };
    await send.call(connection, {
      request,
      response: { decode: () => Promise.resolve({}), parse: () => Promise.resolve({}) },
    });
    const [size] = await harness.points('kafka.client.request.size');
    expect(size).toMatchObject({ value: 1, sum: 14 + 3 + 20 });
    const [response] = await harness.points('kafka.client.response.size');
    expect(response).toMatchObject({ value: 1, sum: 108 });
    expect(telemetry.clusterIds.of('b2', 9093)).toBe('cluster-7');
  });

  it('counts each commit sent, with its error, and none for a call with nothing to commit', async () => {
    const telemetry = telemetryOf();
    const failure = Object.assign(new Error('rebalancing'), {
      type: 'REBALANCE_IN_PROGRESS',
      code: 27,
    });
    let next: Promise<void> = Promise.resolve();
    const manager = {
      groupId: 'billing',
      uncommittedOffsets: () => ({ topics: [] }),
    } as unknown as OffsetManager;
    const commit = offsetCommitPatch(telemetry)(() => next);
    const offsets = { topics: [{ topic: 'orders' }] };
    await commit.call(manager, offsets);
    next = Promise.reject(failure);
    await expect(commit.call(manager, offsets)).rejects.toBe(failure);
    next = Promise.resolve();
    await commit.call(manager, undefined);
    expect(await harness.total('kafka.consumer.commits')).toBe(2);
    expect(
      await harness.total('kafka.consumer.commits', { 'error.type': 'REBALANCE_IN_PROGRESS' }),
    ).toBe(1);
    expect(
      await harness.total('messaging.client.operation.duration', {
        'messaging.operation.name': 'commit',
        'messaging.destination.name': 'orders',
      }),
    ).toBe(2);
  });
});
