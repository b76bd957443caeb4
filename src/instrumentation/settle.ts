import type { DiagLogger } from '@opentelemetry/api';

/**
 * Calls `invoke` and hands how it ended to `settled` (no error and the value on success, the
 * error on failure), once, when it has settled: at once for a value or a throw, later for a promise.
 *
 * What the caller gets is exactly what `invoke` gave: the same value, the same error object,
 * thrown or rejected the same way. `settled` is telemetry: if it throws, that is logged through
 * `diag` and goes no further. A promise rejected with `undefined` is reported as an error of its
 * own so that it still reads as a failure.
 */
export function settle<T>(
  diag: DiagLogger,
  what: string,
  invoke: () => T,
  settled: (error: unknown, value: Awaited<T> | undefined) => void,
): T {
  const report = (error: unknown, value?: Awaited<T>) =>
    safely(diag, what, () => settled(error, value));
  let result: T;
  try {
    result = invoke();
  } catch (error) {
    report(reportedError(error));
    throw error;
  }
  if (!isThenable(result)) {
    report(undefined, result as Awaited<T>);
    return result;
  }
  return result.then(
    (value: unknown) => {
      report(undefined, value as Awaited<T>);
      return value;
    },
    (error: unknown) => {
      report(reportedError(error));
      throw error;
    },
  ) as T;
}

/**
 * Runs instrumentation-side work. Any failure is logged through the OpenTelemetry diag logger
 * and swallowed: telemetry must never change what the application sees.
 */
export function safely(diag: DiagLogger, what: string, work: () => void) {
  try {
    work();
  } catch (error) {
    diag.error(`kafka-otel: ${what} instrumentation failed`, error);
  }
}

const REJECTED_WITHOUT_REASON = new Error('rejected without a reason');

/** The error a failed call reports: a rejection without a reason still reads as a failure. */
export function reportedError(error: unknown): unknown {
  return error ?? REJECTED_WITHOUT_REASON;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
