/**
 * Swapping the global propagator inside one test. The OpenTelemetry API registers globals
 * first-wins, and TelemetryHarness registers W3C trace context in its constructor, so a test
 * that needs B3, a custom format or baggage must disable the global first, and put W3C back
 * afterwards for the tests that follow in the same file.
 */
import {
  propagation,
  type Baggage,
  type TextMapGetter,
  type TextMapPropagator,
} from '@opentelemetry/api';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import type { IHeaders } from 'kafkajs';

/** Runs `work` with `propagator` as the global propagator, then restores W3C trace context. */
export async function withGlobalPropagator<T>(
  propagator: TextMapPropagator,
  work: () => Promise<T>,
): Promise<T> {
  propagation.disable();
  propagation.setGlobalPropagator(propagator);
  try {
    return await work();
  } finally {
    propagation.disable();
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  }
}

/** W3C trace context plus W3C baggage: what an application that uses baggage registers. */
export function traceContextWithBaggage(): TextMapPropagator {
  return new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
}

/**
 * Reads KafkaJS message headers for `propagation.extract`: the broker hands header values back
 * as Buffers (arrays of them for repeated keys), which the API's default getter cannot read.
 * With it an application reads one message's own context in an `eachBatch` handler today.
 */
export const kafkaHeaderGetter: TextMapGetter<IHeaders | undefined> = {
  keys: (headers) => (headers ? Object.keys(headers) : []),
  get: (headers, key) => headerText(headers, key),
};

/** Baggage as a plain `{ key: value }` object (metadata dropped), for exact comparisons. */
export function baggageValues(baggage: Baggage | undefined): Record<string, string> | undefined {
  if (!baggage) return undefined;
  return Object.fromEntries(baggage.getAllEntries().map(([key, entry]) => [key, entry.value]));
}

/** Header value as text (KafkaJS delivers Buffers; the first of repeated keys), or undefined. */
export function headerText(headers: IHeaders | undefined, key: string): string | undefined {
  const value = headers?.[key];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (Buffer.isBuffer(first)) return first.toString('utf8');
  return typeof first === 'string' ? first : undefined;
}
