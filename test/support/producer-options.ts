import type { ProducerConfig } from 'kafkajs';

/**
 * Producer options for tests that count records: on a loaded machine a Produce request can
 * time out and be retried, and only the idempotent producer keeps the retry from writing the
 * batch twice. (Type-only import: safe for instrumentation tests, which must not load kafkajs.)
 */
export const IDEMPOTENT_PRODUCER: ProducerConfig = { idempotent: true, maxInFlightRequests: 1 };
