/**
 * Checks for the values of one librdkafka statistics document. The document is a native
 * library's output read inside the user's application, so nothing is trusted: a value of the
 * wrong type, negative where librdkafka never writes a negative, or not finite reads as absent
 * (`undefined`) instead of a wrong number, and nothing here throws.
 */

/** A JSON object: a field bag, never an array or null. */
export type JsonObject = Readonly<Record<string, unknown>>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The own entries of a JSON object (a dict such as `brokers`, `topics` or `partitions`), or none
 * when the value is not an object. `JSON.parse` makes `"__proto__"` an ordinary own key, and the
 * readers only iterate and never assign by key, so a topic of that name cannot reach a prototype.
 */
export function ownEntries(value: unknown): [string, unknown][] {
  return isJsonObject(value) ? Object.entries(value) : [];
}

/** A string field, as written. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * A counter, gauge or size: librdkafka prints every one of them as an integer of at least 0.
 * A number written as a string is refused rather than converted: librdkafka never quotes a
 * number, so a quoted one means the document is not what this reader expects.
 */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * An offset, a consumer lag or a broker id. librdkafka writes its logical offsets where no real
 * one is known (-1001 INVALID, -1 END, -2 BEGINNING, -1000 STORED, below -2000 TAIL), -1 for an
 * unknown lag and -1 for an unknown leader: all negative, none a position, so all read as absent.
 */
export function knownPosition(value: unknown): number | undefined {
  return count(value);
}

const MICROSECONDS_PER_SECOND = 1_000_000;
const MILLISECONDS_PER_SECOND = 1_000;

/** A duration librdkafka gives in microseconds (`age`, broker `stateage`, rtt windows), in seconds. */
export function secondsFromMicroseconds(value: unknown): number | undefined {
  const microseconds = count(value);
  return microseconds === undefined ? undefined : microseconds / MICROSECONDS_PER_SECOND;
}

/** A duration librdkafka gives in milliseconds (cgrp ages, throttle windows), in seconds. */
export function secondsFromMilliseconds(value: unknown): number | undefined {
  const milliseconds = count(value);
  return milliseconds === undefined ? undefined : milliseconds / MILLISECONDS_PER_SECOND;
}
