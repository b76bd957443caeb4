/**
 * Context propagation through the real broker with whatever propagator the application
 * registered (issue #8): B3, a format of the test's own, and W3C baggage. The producer injects
 * through the global propagator; the consumer must extract through it too (not look for a
 * `traceparent` header), and run the handler in the extracted context, baggage included.
 */
import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  TraceFlags,
  type Context,
  type Span,
  type SpanContext,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { ConsumerRunConfig, IHeaders, Kafka, Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baggageValues,
  headerText,
  kafkaHeaderGetter,
  traceContextWithBaggage,
  withGlobalPropagator,
} from '../../support/global-propagator';
import { messageContext } from '../../../src';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup } from '../../support/names';
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { waitFor } from '../../support/wait-for';

const { harness, createKafka, createTopic, shutdown } = instrumentKafkaJs();
let kafka: Kafka;

beforeAll(() => {
  kafka = createKafka('propagation');
});
afterAll(shutdown);

/**
 * A one-header trace format of this test's own, `x-my-trace: <traceId>-<spanId>`: if the
 * consumer finds the producer through it, extraction goes through the global propagator and
 * not through a hard-coded `traceparent` lookup.
 */
class MyTracePropagator implements TextMapPropagator {
  static readonly HEADER = 'x-my-trace';

  inject(ctx: Context, carrier: unknown, setter: TextMapSetter) {
    const spanContext = trace.getSpanContext(ctx);
    if (!spanContext || !isSpanContextValid(spanContext)) return;
    setter.set(carrier, MyTracePropagator.HEADER, `${spanContext.traceId}-${spanContext.spanId}`);
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const raw = getter.get(carrier, MyTracePropagator.HEADER);
    const text = Array.isArray(raw) ? raw[0] : raw;
    const match = /^([0-9a-f]{32})-([0-9a-f]{16})$/.exec(text ?? '');
    if (!match) return ctx;
    return trace.setSpanContext(ctx, {
      traceId: match[1]!,
      spanId: match[2]!,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
  }

  fields() {
    return [MyTracePropagator.HEADER];
  }
}

/** What an `eachMessage` handler saw of one message and of its active context. */
interface Delivery {
  offset: string;
  headers: IHeaders | undefined;
  activeSpan: SpanContext | undefined;
  baggage: Record<string, string> | undefined;
}

/** Sends `messages` in one call, run in `ctx` (the caller's baggage, say). */
async function send(topic: string, messages: Message[], ctx: Context = context.active()) {
  const producer = kafka.producer(IDEMPOTENT_PRODUCER);
  await producer.connect();
  try {
    await context.with(ctx, () => producer.send({ topic, messages }));
  } finally {
    await producer.disconnect();
  }
}

/** Runs a fresh consumer group over the topic until `count` process spans have ended. */
async function consume(
  topic: string,
  count: number,
  run: ConsumerRunConfig,
  group = randomGroup('propagation'),
) {
  const consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run(run);
    await waitFor(() => harness.spansNamed(`process ${topic}`).length >= count, {
      description: `${count} process spans of ${topic}`,
    });
  } finally {
    await consumer.disconnect();
  }
}

/** Consumes with `eachMessage`, recording headers, the active span and the active baggage. */
async function consumeEachMessage(
  topic: string,
  count: number,
  group?: string,
): Promise<Delivery[]> {
  const deliveries: Delivery[] = [];
  await consume(
    topic,
    count,
    {
      eachMessage: ({ message }) => {
        const active = context.active();
        deliveries.push({
          offset: message.offset,
          headers: message.headers,
          activeSpan: trace.getSpanContext(active),
          baggage: baggageValues(propagation.getBaggage(active)),
        });
        return Promise.resolve();
      },
    },
    group,
  );
  return deliveries.sort((a, b) => Number(a.offset) - Number(b.offset));
}

const atOffset = (spans: ReadableSpan[], offset: string) =>
  spans.find((span) => span.attributes['kafka.offset'] === Number(offset));

/** The spans of one topic, checked for exact counts: one send and one process per message. */
function spansOf(topic: string, count: number) {
  const sends = harness.spansNamed(`send ${topic}`);
  const processes = harness.spansNamed(`process ${topic}`);
  expect(sends).toHaveLength(count);
  expect(processes).toHaveLength(count);
  return { sends, processes };
}

/** The process span of `delivery` is the CONSUMER child of its send span, and the handler ran in it. */
function expectChildOfSend(
  delivery: Delivery,
  sends: ReadableSpan[],
  processes: ReadableSpan[],
): ReadableSpan {
  const send = atOffset(sends, delivery.offset);
  const process = atOffset(processes, delivery.offset);
  expect(send, `send span of offset ${delivery.offset}`).toBeDefined();
  expect(process, `process span of offset ${delivery.offset}`).toBeDefined();
  const { traceId, spanId } = send!.spanContext();
  expect(process!.kind).toBe(SpanKind.CONSUMER);
  expect(process!.spanContext().traceId, "the process span continues the send span's trace").toBe(
    traceId,
  );
  expect(process!.parentSpanContext?.spanId, 'the send span is the parent').toBe(spanId);
  expect(delivery.activeSpan?.spanId, 'the handler runs in the process span').toBe(
    process!.spanContext().spanId,
  );
  return send!;
}

/** Under `propagator`, sends two messages in one call and consumes them with `eachMessage`. */
function sendTwoAndConsume(topic: string, propagator: TextMapPropagator): Promise<Delivery[]> {
  return withGlobalPropagator(propagator, async () => {
    await send(topic, [
      { key: 'a', value: 'first' },
      { key: 'b', value: 'second' },
    ]);
    return consumeEachMessage(topic, 2);
  });
}

describe('context propagation through Kafka with the global propagator', () => {
  it('B3 multi-header: the message carries x-b3-* headers and the process span is the child of its send span', async () => {
    const topic = await createTopic(1, 'b3');
    const b3 = new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER });
    const deliveries = await sendTwoAndConsume(topic, b3);

    const { sends, processes } = spansOf(topic, 2);
    expect(deliveries.map((d) => d.offset)).toEqual(['0', '1']);
    for (const delivery of deliveries) {
      const send = atOffset(sends, delivery.offset)!;
      // What B3 wrote, not W3C: the ids of this message's own send span.
      expect(headerText(delivery.headers, 'x-b3-traceid')).toBe(send.spanContext().traceId);
      expect(headerText(delivery.headers, 'x-b3-spanid')).toBe(send.spanContext().spanId);
      expect(headerText(delivery.headers, 'x-b3-sampled')).toBe('1');
      expect(delivery.headers?.traceparent).toBeUndefined();
      expectChildOfSend(delivery, sends, processes);
    }
  });

  it('a custom one-header propagator (x-my-trace): the process span is the child of its send span', async () => {
    const topic = await createTopic(1, 'custom-propagator');
    const deliveries = await sendTwoAndConsume(topic, new MyTracePropagator());

    const { sends, processes } = spansOf(topic, 2);
    expect(deliveries.map((d) => d.offset)).toEqual(['0', '1']);
    for (const delivery of deliveries) {
      const { traceId, spanId } = atOffset(sends, delivery.offset)!.spanContext();
      expect(headerText(delivery.headers, MyTracePropagator.HEADER)).toBe(`${traceId}-${spanId}`);
      expect(delivery.headers?.traceparent).toBeUndefined();
      expectChildOfSend(delivery, sends, processes);
    }
  });
});

describe('baggage through Kafka (W3C trace context + W3C baggage)', () => {
  const orderBaggage = { 'tenant.id': 'acme', 'order.channel': 'web' };
  const withBaggage = (values: Record<string, string>) =>
    propagation.setBaggage(
      context.active(),
      propagation.createBaggage(
        Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value }])),
      ),
    );

  it('eachMessage: the baggage set around producer.send is the active baggage in the handler', async () => {
    const topic = await createTopic(1, 'baggage-each-message');
    const propagator = traceContextWithBaggage();
    const deliveries = await withGlobalPropagator(propagator, async () => {
      await send(
        topic,
        [
          { key: 'a', value: 'first' },
          { key: 'b', value: 'second' },
        ],
        withBaggage(orderBaggage),
      );
      // The consumer side starts from a context without baggage.
      expect(propagation.getBaggage(context.active())).toBeUndefined();
      return consumeEachMessage(topic, 2);
    });

    const { sends, processes } = spansOf(topic, 2);
    expect(deliveries.map((d) => d.offset)).toEqual(['0', '1']);
    for (const delivery of deliveries) {
      // The producer wrote the baggage header into the message...
      // (Read with the composite itself: the global propagator is W3C-only again by now.)
      const carried = propagation.getBaggage(
        propagator.extract(ROOT_CONTEXT, delivery.headers, kafkaHeaderGetter),
      );
      expect(baggageValues(carried)).toEqual(orderBaggage);
      // ...and the handler runs with it, in the process span that continues the send's trace.
      expect(delivery.baggage, 'baggage active in eachMessage').toEqual(orderBaggage);
      expectChildOfSend(delivery, sends, processes);
    }
  });

  it("eachBatch: messageContext(message) holds each message's own baggage and its process span", async () => {
    const topic = await createTopic(1, 'baggage-per-message');
    const seen = new Map<string, { baggage?: Record<string, string>; parent?: string }>();
    const tracer = harness.tracerProvider.getTracer('baggage-test');
    await withGlobalPropagator(traceContextWithBaggage(), async () => {
      // One send per tenant, each under its own baggage: offsets 0, 1, 2 of the one partition.
      for (const tenant of ['tenant-0', 'tenant-1', 'tenant-2']) {
        await send(topic, [{ key: tenant, value: 'order' }], withBaggage({ 'tenant.id': tenant }));
      }
      await consume(topic, 3, {
        eachBatch: async (payload) => {
          for (const message of payload.batch.messages) {
            // The application's own work for one message, in that message's context.
            await context.with(messageContext(message), () => {
              const work = tracer.startSpan('handle order') as unknown as ReadableSpan & Span;
              seen.set(message.offset, {
                baggage: baggageValues(propagation.getBaggage(context.active())),
                parent: work.parentSpanContext?.spanId,
              });
              work.end();
              return Promise.resolve();
            });
            payload.resolveOffset(message.offset);
          }
        },
      });
    });

    const { processes } = spansOf(topic, 3);
    expect([...seen.keys()].sort()).toEqual(['0', '1', '2']);
    for (const [offset, { baggage, parent }] of seen) {
      expect(baggage, `baggage of offset ${offset}`).toEqual({ 'tenant.id': `tenant-${offset}` });
      // Work done in messageContext(message) is a child of that message's process span.
      expect(parent, `parent of the work on offset ${offset}`).toBe(
        atOffset(processes, offset)?.spanContext().spanId,
      );
    }
  });

  it('messageContext of a message no instrumented handler registered reads its headers', async () => {
    const topic = await createTopic(1, 'baggage-untraced');
    const seen = new Map<string, Record<string, string> | undefined>();
    await withGlobalPropagator(traceContextWithBaggage(), async () => {
      await send(topic, [{ key: 'a', value: 'order' }], withBaggage({ 'tenant.id': 'solo' }));
      const consumer = kafka.consumer({ groupId: randomGroup('untraced'), maxWaitTimeInMs: 100 });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          eachBatch: ({ batch }) => {
            for (const message of batch.messages) {
              // A copy: an object no instrumented handler registered, so its headers decide.
              const copy = { ...message };
              seen.set(message.offset, baggageValues(propagation.getBaggage(messageContext(copy))));
            }
            return Promise.resolve();
          },
        });
        await waitFor(() => seen.size === 1, { description: 'one message' });
      } finally {
        await consumer.disconnect();
      }
    });
    expect(Object.fromEntries(seen)).toEqual({ '0': { 'tenant.id': 'solo' } });
  });
});

describe('malformed trace context', () => {
  it('a header the global propagator declares but cannot read is ignored, and counted once per message under the group', async () => {
    const topic = await createTopic(1, 'invalid-trace-context');
    const group = randomGroup('invalid-trace-context');
    // Sent under W3C, which writes a readable traceparent into every message; x-my-trace is
    // just the application's header to it, kept as written.
    await send(topic, [
      { key: 'a', value: 'unreadable', headers: { [MyTracePropagator.HEADER]: 'not-a-trace' } },
      { key: 'b', value: 'nothing of the format' },
      { key: 'c', value: 'unreadable too', headers: { [MyTracePropagator.HEADER]: 'ab-cd' } },
    ]);
    // Read under the custom format: x-my-trace is its one field, traceparent is not its concern.
    const deliveries = await withGlobalPropagator(new MyTracePropagator(), () =>
      consumeEachMessage(topic, 3, group),
    );

    expect(deliveries.map((d) => d.offset)).toEqual(['0', '1', '2']);
    for (const delivery of deliveries) {
      expect(delivery.headers?.traceparent, 'traceparent written by the producer').toBeDefined();
    }
    // Offsets 0 and 2 carry the declared header and it does not parse; offset 1 carries only a
    // header this propagator does not declare, which is no trace context to it at all.
    expect(
      await harness.total('kafka.consumer.invalid_trace_context', {
        'messaging.consumer.group.name': group,
      }),
    ).toBe(2);
    // Ignored, not guessed at: every process span starts a trace of its own.
    const { sends, processes } = spansOf(topic, 3);
    const sendTraces = new Set(sends.map((span) => span.spanContext().traceId));
    for (const process of processes) {
      expect(process.parentSpanContext).toBeUndefined();
      expect(sendTraces.has(process.spanContext().traceId)).toBe(false);
    }
  });
});

describe('across a propagator swap', () => {
  it('leaves no span open', async () => {
    const { started, ended } = harness.spanCounter;
    const topic = await createTopic(1, 'no-span-open');
    await sendTwoAndConsume(topic, new B3Propagator());
    // This test's own spans: a send and a process span per message, nothing else.
    expect(harness.spanCounter.started - started).toBe(4);
    expect(harness.spanCounter.ended - ended).toBe(4);
  });
});
