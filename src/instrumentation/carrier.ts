import {
  propagation,
  ROOT_CONTEXT,
  trace,
  isSpanContextValid,
  type Context,
  type SpanContext,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';

/**
 * Kafka message headers as the clients hand them over: values are Buffers from the broker,
 * strings or Buffers (or arrays of them, for repeated keys) from producers.
 */
export type MessageHeaders = Record<string, unknown>;

/**
 * Reads propagation headers from a message. Anything that is not a string or a Buffer reads as
 * absent, so a malformed header can never throw into the consumer.
 */
export const headerGetter: TextMapGetter<MessageHeaders | undefined> = {
  keys(carrier) {
    return carrier ? Object.keys(carrier) : [];
  },
  get(carrier, key) {
    if (!carrier) return undefined;
    return headerText(carrier[key]);
  },
};

/** Writes propagation headers into a header object this package owns (never the caller's). */
export const headerSetter: TextMapSetter<Record<string, string>> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

/**
 * What the global propagator writes for `context` (span context, baggage, anything a custom
 * propagator carries), or undefined when it writes nothing: then the message is sent as it is.
 */
export function propagationHeaders(context: Context): Record<string, string> | undefined {
  const written: Record<string, string> = {};
  propagation.inject(context, written, headerSetter);
  for (const _ in written) return written;
  return undefined;
}

/**
 * The header object that makes a message carry `written` besides its own headers `own` (as the
 * application gave them; the caller's object is never touched), or undefined when KafkaJS would
 * not encode any object as `own` plus `written`: the message must then go as it is. KafkaJS
 * encodes a header object's own enumerable keys, which is what `Object.assign` copies.
 * `writtenForThisMessage`: `written` was made for this message alone and may serve as its header
 * object when it had none.
 */
export function headersWith(
  own: unknown,
  written: Record<string, string>,
  writtenForThisMessage: boolean,
): object | undefined {
  if (own === undefined) return writtenForThisMessage ? written : Object.assign({}, written);
  // `null` makes KafkaJS throw; a primitive or a function is no header object. Whatever KafkaJS
  // does with those, it must do with the application's value.
  if (typeof own !== 'object' || own === null) return undefined;
  for (const name in written) {
    // Ours replaces the application's header of the same name (a trace context forwarded from
    // a consumed message, say) only when that header is one KafkaJS surely encodes: replacing a
    // value KafkaJS refuses would turn the application's error into a send that succeeds.
    // Values KafkaJS converts or skips (null, a number) are left alone too, at the cost of the
    // message's trace context; which of them it refuses is not worth guessing per version.
    if (name in own && !isHeaderValue((own as MessageHeaders)[name])) return undefined;
  }
  return Object.assign({}, own, written);
}

/** A header value KafkaJS surely encodes: a string or a Buffer, or an array of them (repeated). */
function isHeaderValue(value: unknown): boolean {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return true;
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string' && !Buffer.isBuffer(item)) return false;
  return true;
}

/** What a consumed message carries, read through the global propagator. */
export interface CarriedContext {
  /** Everything the headers carry (the producer's span context, baggage, ...) on the root context. */
  context: Context;
  /** The producer's span context, when the headers hold a valid one. */
  producer: SpanContext | undefined;
}

const NOTHING_CARRIED: CarriedContext = Object.freeze({
  context: ROOT_CONTEXT,
  producer: undefined,
});

/** Reads a consumed message's headers with the global propagator. */
export function extractCarried(headers: MessageHeaders | undefined): CarriedContext {
  if (!headers) return NOTHING_CARRIED;
  const context = propagation.extract(ROOT_CONTEXT, headers, headerGetter);
  // Propagators hand back the context they were given when the headers hold nothing for them.
  if (context === ROOT_CONTEXT) return NOTHING_CARRIED;
  const producer = trace.getSpanContext(context);
  return { context, producer: producer && isSpanContextValid(producer) ? producer : undefined };
}

/** `base` with the baggage a message carried, when it carried some. */
export function withCarriedBaggage(base: Context, carried: Context): Context {
  if (carried === ROOT_CONTEXT) return base;
  const baggage = propagation.getBaggage(carried);
  return baggage ? propagation.setBaggage(base, baggage) : base;
}

/**
 * True when the headers hold one of the trace fields the global propagator reads (its fields
 * other than baggage): with no valid span context extracted, such a message carried a malformed
 * trace context.
 */
export function carriesTraceFields(headers: MessageHeaders | undefined, fields: readonly string[]) {
  if (!headers) return false;
  for (const field of fields) if (headers[field] !== undefined) return true;
  return false;
}

/** The header names of the global propagator that carry a trace context (not baggage). */
export function traceFields(): string[] {
  return propagation.fields().filter((field) => field !== 'baggage');
}

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  // Kafka allows repeated header keys; KafkaJS then returns an array. W3C says the first wins.
  if (Array.isArray(value) && value.length > 0) return headerText(value[0]);
  return undefined;
}
