import type { WarningSink } from '../config/env-reader';

/**
 * Warnings of `register` go straight to stderr, not only to the OpenTelemetry diag logger: the
 * diag logger prints nothing unless OTEL_LOG_LEVEL is set, and a configuration mistake that
 * silently costs all telemetry is the one thing a user must see.
 */
export function stderrWarnings(stream: NodeJS.WritableStream = process.stderr): WarningSink {
  return (message) => {
    try {
      stream.write(`kafka-otel: ${message}\n`);
    } catch {
      // A closed stderr must not turn a warning into a crash of the application.
    }
  };
}
