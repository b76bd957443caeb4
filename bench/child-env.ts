/**
 * The environment of a measured process: the bench's own, minus the variables of the developer's
 * shell that would change the process's behaviour behind the bench's back (an OTEL_* exporter
 * setting, a KAFKA_OTEL_* collector setting, NODE_OPTIONS with another loader or hook).
 */
export function benchChildEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith('OTEL_') && !key.startsWith('KAFKA_OTEL_') && key !== 'NODE_OPTIONS',
    ),
  );
}
