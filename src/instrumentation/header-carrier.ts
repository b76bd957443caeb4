import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

/**
 * Reads propagation headers from a KafkaJS message. Header values arrive as Buffers from the
 * broker, but producers may hand strings, arrays of either, or garbage; anything that is not a
 * string or Buffer reads as absent so a malformed header can never throw into the consumer.
 */
export const headerGetter: TextMapGetter<IHeaders | undefined> = {
  keys(carrier) {
    return carrier ? Object.keys(carrier) : [];
  },
  get(carrier, key) {
    if (!carrier) return undefined;
    return headerText(carrier[key]);
  },
};

/** Writes propagation headers into a header object this package owns (a copy, never the caller's). */
export const headerSetter: TextMapSetter<IHeaders> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  // Kafka allows repeated header keys; KafkaJS then returns an array. W3C says the first wins.
  if (Array.isArray(value) && value.length > 0) return headerText(value[0]);
  return undefined;
}
