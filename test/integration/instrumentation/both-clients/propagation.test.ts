/**
 * Context propagation through the real broker on both clients, the same assertions: W3C trace
 * context and baggage set around the send are the handler's active context, and a trace header
 * the global propagator declares but cannot read is ignored and counted.
 */
import {
  context,
  isSpanContextValid,
  propagation,
  trace,
  TraceFlags,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  baggageValues,
  traceContextWithBaggage,
  withGlobalPropagator,
} from '../../../support/global-propagator';
import { randomGroup } from '../../../support/names';
import {
  CLIENTS,
  consumeEachMessage,
  instrumentedClient,
  sendOnce,
  shutdownClients,
} from './instrumented-clients';

afterAll(shutdownClients);

/** A one-header trace format, `x-my-trace: <traceId>-<spanId>`, declared by `fields()`. */
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

const orderBaggage = { 'tenant.id': 'acme', 'order.channel': 'web' };

describe.each(CLIENTS)('context propagation on %s', (name) => {
  it('W3C trace context and baggage set around send are the active context of eachMessage', async () => {
    const client = instrumentedClient(name);
    const { harness } = client;
    const topic = await client.createTopic(1, `${name}-baggage`);
    const seen: { offset: string; spanId?: string; baggage?: Record<string, string> }[] = [];
    await withGlobalPropagator(traceContextWithBaggage(), async () => {
      const withBaggage = propagation.setBaggage(
        context.active(),
        propagation.createBaggage(
          Object.fromEntries(Object.entries(orderBaggage).map(([k, value]) => [k, { value }])),
        ),
      );
      await context.with(withBaggage, () =>
        sendOnce(client, topic, [
          { key: 'a', value: 'first' },
          { key: 'b', value: 'second' },
        ]),
      );
      // The consumer side starts from a context without baggage.
      expect(propagation.getBaggage(context.active())).toBeUndefined();
      await consumeEachMessage(client, {
        topic,
        groupId: randomGroup(`${name}-baggage`),
        count: 2,
        onMessage: ({ offset }) => {
          const active = context.active();
          seen.push({
            offset,
            spanId: trace.getSpanContext(active)?.spanId,
            baggage: baggageValues(propagation.getBaggage(active)),
          });
        },
      });
    });
    const sends = harness.spansNamed(`send ${topic}`);
    const processes = harness.spansNamed(`process ${topic}`);
    expect(sends).toHaveLength(2);
    expect(processes).toHaveLength(2);
    expect(seen.map((s) => s.offset).sort()).toEqual(['0', '1']);
    for (const delivery of seen) {
      const at = (spans: typeof sends) =>
        spans.find((span) => span.attributes['kafka.offset'] === Number(delivery.offset))!;
      const send = at(sends);
      const process = at(processes);
      expect(delivery.baggage, `baggage in the handler at ${delivery.offset}`).toEqual(
        orderBaggage,
      );
      expect(delivery.spanId, 'the handler runs in its process span').toBe(
        process.spanContext().spanId,
      );
      expect(process.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
      expect(process.spanContext().traceId).toBe(send.spanContext().traceId);
    }
  });

  it('a custom propagator carries the trace, and a header it cannot read is ignored and counted once per message', async () => {
    const client = instrumentedClient(name);
    const { harness } = client;
    const readable = await client.createTopic(1, `${name}-custom`);
    const unreadable = await client.createTopic(1, `${name}-invalid-trace`);
    const group = randomGroup(`${name}-invalid-trace`);
    await withGlobalPropagator(new MyTracePropagator(), async () => {
      await sendOnce(client, readable, [{ value: 'traced' }]);
      await consumeEachMessage(client, {
        topic: readable,
        groupId: randomGroup(`${name}-custom`),
        count: 1,
      });
    });
    const [send] = harness.spansNamed(`send ${readable}`);
    const [process] = harness.spansNamed(`process ${readable}`);
    expect(process!.parentSpanContext?.spanId).toBe(send!.spanContext().spanId);

    // Sent under W3C: x-my-trace is only the application's header then, kept as written.
    await sendOnce(client, unreadable, [
      { key: 'a', value: 'x', headers: { [MyTracePropagator.HEADER]: 'not-a-trace' } },
      { key: 'b', value: 'nothing of the format' },
      { key: 'c', value: 'y', headers: { [MyTracePropagator.HEADER]: 'ab-cd' } },
    ]);
    await withGlobalPropagator(new MyTracePropagator(), () =>
      consumeEachMessage(client, { topic: unreadable, groupId: group, count: 3 }),
    );
    // Offsets 0 and 2 carry the declared header and it does not parse; 1 carries none.
    expect(
      await harness.total('kafka.consumer.invalid_trace_context', {
        'messaging.consumer.group.name': group,
      }),
    ).toBe(2);
    const sendTraces = new Set(
      harness.spansNamed(`send ${unreadable}`).map((span) => span.spanContext().traceId),
    );
    const processes = harness.spansNamed(`process ${unreadable}`);
    expect(processes).toHaveLength(3);
    for (const span of processes) {
      expect(span.parentSpanContext).toBeUndefined();
      expect(sendTraces.has(span.spanContext().traceId)).toBe(false);
    }
  });
});
