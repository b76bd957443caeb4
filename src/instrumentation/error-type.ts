import { errorName } from '../kafka-names/error-names';

/**
 * The `error.type` value for an error thrown by KafkaJS or by application code.
 *
 * KafkaJS protocol errors carry the broker's error code and name (`code`, `type`, for example
 * `UNKNOWN_TOPIC_OR_PARTITION`); retries wrap the last one in `cause` (or `originalError`), and
 * `KafkaJSAggregateError` collects several in `errors`. The Kafka name is what an operator
 * searches for, so it wins over the JavaScript class name; timeouts and dropped connections get
 * the short names `timeout` and `connection` the metric catalogue promises.
 */
export function errorType(error: unknown, depth = 0): string {
  const kafkaName = kafkaErrorName(error, 0);
  if (kafkaName !== undefined) return kafkaName;
  if (error instanceof Error) {
    // KafkaJS's retrier wraps whatever failed last (an app handler's error, a network error);
    // the wrapper says nothing the operator can act on, the cause does.
    if (error.name === 'KafkaJSNumberOfRetriesExceeded' && error.cause && depth < 4) {
      return errorType(error.cause, depth + 1);
    }
    if (error.name === 'KafkaJSRequestTimeoutError') return 'timeout';
    if (error.name === 'KafkaJSConnectionError' || error.name === 'KafkaJSConnectionClosedError') {
      return 'connection';
    }
    return error.name || error.constructor.name || '_OTHER';
  }
  return '_OTHER';
}

/** Depth-bounded search for a Kafka protocol error name through KafkaJS's wrapping. */
function kafkaErrorName(error: unknown, depth: number): string | undefined {
  if (depth > 4 || typeof error !== 'object' || error === null) return undefined;
  const candidate = error as {
    type?: unknown;
    code?: unknown;
    cause?: unknown;
    originalError?: unknown;
    errors?: unknown;
  };
  if (typeof candidate.type === 'string' && candidate.type.startsWith('ERR__')) {
    return librdkafkaLocalName(candidate.type);
  }
  if (typeof candidate.type === 'string' && /^[A-Z][A-Z0-9_]+$/.test(candidate.type)) {
    // KafkaJS names a few codes the pre-2.7 way (NOT_LEADER_FOR_PARTITION); the code maps to
    // the name Kafka uses today, the one broker logs and the cluster collectors report.
    return typeof candidate.code === 'number' ? errorName(candidate.code) : candidate.type;
  }
  const wrapped =
    kafkaErrorName(candidate.cause, depth + 1) ??
    kafkaErrorName(candidate.originalError, depth + 1);
  if (wrapped !== undefined) return wrapped;
  if (Array.isArray(candidate.errors)) {
    for (const inner of candidate.errors) {
      const name = kafkaErrorName(inner, depth + 1);
      if (name !== undefined) return name;
    }
  }
  return undefined;
}

/**
 * The name of an error librdkafka raises itself, not a broker (`@confluentinc/kafka-javascript`
 * sets `type` to the code's name, `ERR__MSG_TIMED_OUT`, with the negative code). Timeouts and
 * transport failures get the short names KafkaJS's equivalents get; the others keep librdkafka's
 * name for them, leading underscore included (`_QUEUE_FULL`), as its documentation spells it.
 */
function librdkafkaLocalName(type: string): string {
  if (type === 'ERR__TIMED_OUT' || type === 'ERR__MSG_TIMED_OUT') return 'timeout';
  if (type === 'ERR__TRANSPORT') return 'connection';
  return type.slice('ERR_'.length);
}

/**
 * The `error.type` of how an operation ended: undefined on success. Patches hand the recorder
 * this name, never the thrown value itself: an application may throw a string, which must not
 * become an attribute value.
 */
export function failureName(error: unknown): string | undefined {
  return error === undefined ? undefined : errorType(error);
}
