const INSTRUMENTED = Symbol.for('kafka-otel.instrumented');

/**
 * Marks a KafkaJS client object as instrumented; false when it already was, so a client is never
 * wrapped twice (two instrumentation instances, or enable() after disable()).
 */
export function markInstrumented(target: object): boolean {
  const marked = target as { [INSTRUMENTED]?: true };
  if (marked[INSTRUMENTED]) return false;
  Object.defineProperty(target, INSTRUMENTED, { value: true, enumerable: false });
  return true;
}
