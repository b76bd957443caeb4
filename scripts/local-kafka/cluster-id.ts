import { randomBytes } from 'node:crypto';

/**
 * A KRaft cluster id in Kafka's Uuid format: 16 random bytes, base64url without padding
 * (22 characters). Made here rather than with `kafka-storage random-uuid` to save a JVM start.
 * Kafka's own generator avoids a leading '-' because its CLI would read it as an option; so do we.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
