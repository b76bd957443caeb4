import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { errorType } from '../../../src/instrumentation/error-type';

// KafkaJS's own error classes, so the test follows any change in how KafkaJS wraps errors.
const kafkajsErrors = createRequire(import.meta.url)('kafkajs/src/errors') as Record<
  string,
  new (...args: unknown[]) => Error
>;
const { KafkaJSProtocolError, KafkaJSNumberOfRetriesExceeded, KafkaJSRequestTimeoutError } =
  kafkajsErrors;
const { KafkaJSConnectionError, KafkaJSAggregateError } = kafkajsErrors;

const unknownTopic = () =>
  new KafkaJSProtocolError!({
    type: 'UNKNOWN_TOPIC_OR_PARTITION',
    code: 3,
    retriable: true,
    message: 'This server does not host this topic-partition',
  });

describe('errorType', () => {
  it('uses the Kafka error name of a protocol error', () => {
    expect(errorType(unknownTopic())).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it("uses Kafka's current name where KafkaJS keeps an older one", () => {
    const notLeader = new KafkaJSProtocolError!({
      type: 'NOT_LEADER_FOR_PARTITION',
      code: 6,
      retriable: true,
      message: 'not leader',
    });
    expect(errorType(notLeader)).toBe('NOT_LEADER_OR_FOLLOWER');
  });

  it('finds the Kafka error name behind retries', () => {
    const exhausted = new KafkaJSNumberOfRetriesExceeded!(unknownTopic(), {
      retryCount: 5,
      retryTime: 100,
    });
    expect(errorType(exhausted)).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('finds the Kafka error name inside an aggregate', () => {
    const aggregate = new KafkaJSAggregateError!('several', [new Error('plain'), unknownTopic()]);
    expect(errorType(aggregate)).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('sees through the retry wrapper to the error that was retried', () => {
    const exhausted = new KafkaJSNumberOfRetriesExceeded!(new RangeError('handler failed'), {
      retryCount: 0,
      retryTime: 100,
    });
    expect(errorType(exhausted)).toBe('RangeError');
  });

  it('names timeouts and dropped connections', () => {
    expect(errorType(new KafkaJSRequestTimeoutError!('timed out'))).toBe('timeout');
    expect(errorType(new KafkaJSConnectionError!('closed'))).toBe('connection');
  });

  it('falls back to the class name, and to _OTHER for non-errors', () => {
    expect(errorType(new TypeError('bad'))).toBe('TypeError');
    expect(errorType('a string')).toBe('_OTHER');
    expect(errorType(undefined)).toBe('_OTHER');
  });

  it('survives cyclic causes', () => {
    const cyclic = new Error('loop') as Error & { cause?: unknown };
    cyclic.cause = cyclic;
    expect(errorType(cyclic)).toBe('Error');
  });
});
