/**
 * The errors KafkaJS's consumer runner caught from the application's handler, as objects.
 *
 * The runner logs `Error when calling eachMessage` (or `eachBatch`) with the caught value itself
 * in `error` before rethrowing it; its retrier then wraps it into the crash error. The log line
 * is the one place the caught object is visible before any wrapping, so a test compares it with
 * `toBe` to prove the instrumentation handed KafkaJS the very error the handler threw.
 * (Type-only kafkajs import: instrumentation tests pass in the module the instrumentation loaded.)
 */
import type * as KafkaJs from 'kafkajs';
import { uniqueName } from './names';

const HANDLER_ERROR_LINE = /^Error when calling each(Message|Batch)$/;

export interface KafkaSeeingHandlerErrors {
  kafka: KafkaJs.Kafka;
  /** What the runner caught from each failed handler call, in order. */
  caught: unknown[];
}

export function kafkaSeeingHandlerErrors(
  kafkajs: typeof KafkaJs,
  brokers: string[],
): KafkaSeeingHandlerErrors {
  const caught: unknown[] = [];
  const kafka = new kafkajs.Kafka({
    clientId: uniqueName('handler-errors'),
    brokers,
    logLevel: kafkajs.logLevel.ERROR,
    logCreator:
      () =>
      ({ log }) => {
        if (HANDLER_ERROR_LINE.test(log.message)) caught.push(log.error);
      },
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
  return { kafka, caught };
}
