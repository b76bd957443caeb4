import type { Attributes } from '@opentelemetry/api';
import type { Message } from 'kafkajs';
import {
  ATTR_KAFKA_MESSAGE_KEY,
  ATTR_KAFKA_MESSAGE_TOMBSTONE,
  ATTR_MESSAGING_MESSAGE_BODY_SIZE,
  LEGACY_KAFKA_ATTRIBUTES,
} from './semconv';

/** Byte length of a message key or value as KafkaJS will encode it (string as UTF-8). */
export function payloadSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Buffer.isBuffer(value)) return value.length;
  return 0;
}

/** The key as a span attribute: strings as they are, Buffers decoded as UTF-8. */
export function keyText(key: unknown): string | undefined {
  if (typeof key === 'string') return key;
  if (Buffer.isBuffer(key)) return key.toString('utf8');
  return undefined;
}

/** Span attributes describing one message's key, tombstone flag and body size. */
export function messageAttributes(
  message: Pick<Message, 'key' | 'value'>,
  captureKey: boolean,
): Attributes {
  const attributes: Attributes = {
    [ATTR_MESSAGING_MESSAGE_BODY_SIZE]: payloadSize(message.value),
  };
  if (captureKey) {
    const key = keyText(message.key);
    if (key !== undefined) attributes[ATTR_KAFKA_MESSAGE_KEY] = key;
  }
  if (message.value === null) attributes[ATTR_KAFKA_MESSAGE_TOMBSTONE] = true;
  return attributes;
}

/** Adds the pre-1.45 `messaging.kafka.*` names next to the current ones. */
export function withLegacyNames(attributes: Attributes): Attributes {
  for (const [current, legacy] of Object.entries(LEGACY_KAFKA_ATTRIBUTES)) {
    if (attributes[current] !== undefined) attributes[legacy] = attributes[current];
  }
  return attributes;
}

/**
 * Attribute objects for metric recordings, built once per distinct key. Recording with the same
 * object lets the SDK's attribute hashing stay cheap and keeps allocations off the hot path.
 * Bounded: past `limit` entries it stops caching (values are still correct, just rebuilt).
 */
export class AttributeCache {
  private readonly entries = new Map<string, Attributes>();

  constructor(private readonly limit = 10_000) {}

  get(key: string, build: () => Attributes): Attributes {
    const cached = this.entries.get(key);
    if (cached) return cached;
    const attributes = build();
    if (this.entries.size < this.limit) this.entries.set(key, attributes);
    return attributes;
  }
}
