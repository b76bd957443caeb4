/**
 * `error.type` for the errors of Confluent's client. Its KafkaJS API rejects with KafkaJS-style
 * errors that carry the librdkafka code's name (`type`), which the shared `failureName` reads;
 * a few paths hand over librdkafka's own `LibrdKafkaError` instead (a commit reported by
 * `offset.commit`, a `produce` that throws), which has only the code and its origin. Broker
 * codes are named as Kafka names them; librdkafka's local codes by the name the client gives
 * them, read from its `LibrdKafkaError.codes` when the instrumentation loads `lib/error.js`.
 */
import { failureName } from '../error-type';
import { errorName } from '../../kafka-names/error-names';

const localNames = new Map<number, string>();

/** Learns librdkafka's code names (`{ ERR__QUEUE_FULL: -184, ... }`) from the client. */
export function learnLibrdkafkaCodes(codes: unknown) {
  if (typeof codes !== 'object' || codes === null) return;
  for (const [name, code] of Object.entries(codes)) {
    if (typeof code === 'number' && code < 0 && name.startsWith('ERR__'))
      localNames.set(code, name);
  }
}

/** The `error.type` of how an operation of the Confluent client ended: undefined on success. */
export function confluentFailureName(error: unknown): string | undefined {
  if (error === undefined || error === null) return undefined;
  const candidate = error as { code?: unknown; origin?: unknown; type?: unknown };
  const isLibrdkafkaError =
    typeof candidate === 'object' &&
    typeof candidate.code === 'number' &&
    typeof candidate.origin === 'string' &&
    candidate.type === undefined;
  if (!isLibrdkafkaError) return failureName(error);
  const code = candidate.code as number;
  if (code > 0) return errorName(code);
  const local = localNames.get(code);
  // The same short names the shared mapping gives KafkaJS's timeouts and transport failures.
  if (local === 'ERR__TIMED_OUT' || local === 'ERR__MSG_TIMED_OUT') return 'timeout';
  if (local === 'ERR__TRANSPORT') return 'connection';
  return local ? local.slice('ERR_'.length) : `LIBRDKAFKA_ERROR_${code}`;
}
