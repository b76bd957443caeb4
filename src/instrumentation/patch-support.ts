import type { Telemetry } from './internal-types';

const INSTRUMENTED = Symbol.for('kafka-otel.instrumented');

/**
 * Marks a KafkaJS object as instrumented; false when it already was, so a client is never
 * wrapped twice (two instrumentation instances, or enable() after disable()).
 */
export function markInstrumented(target: object): boolean {
  const marked = target as { [INSTRUMENTED]?: true };
  if (marked[INSTRUMENTED]) return false;
  Object.defineProperty(target, INSTRUMENTED, { value: true, enumerable: false });
  return true;
}

/**
 * Runs instrumentation-side work. Any failure is logged through the OpenTelemetry diag logger
 * and swallowed: telemetry must never change what the application sees.
 */
export function safely(telemetry: Pick<Telemetry, 'diag'>, what: string, work: () => void) {
  try {
    work();
  } catch (error) {
    telemetry.diag.error(`kafka-otel: ${what} instrumentation failed`, error);
  }
}
