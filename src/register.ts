/**
 * Zero-code setup: `node --require kafka-otel/register app.js`.
 *
 * Starts the OpenTelemetry Node SDK with the KafkaJS instrumentation, configured entirely from
 * the standard OTEL_* environment variables (OTEL_SERVICE_NAME, OTEL_TRACES_EXPORTER,
 * OTEL_METRICS_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT, ...), and flushes on exit.
 */
import { diag } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { KafkaJsInstrumentation } from './instrumentation/kafkajs-instrumentation';

const sdk = new NodeSDK({ instrumentations: [new KafkaJsInstrumentation()] });

try {
  sdk.start();
} catch (error) {
  // A broken telemetry setup must never stop the application from starting.
  diag.error('kafka-otel/register: the OpenTelemetry SDK did not start', error);
}

let shuttingDown = false;
const shutdown = (signal: NodeJS.Signals) => {
  if (shuttingDown) return;
  shuttingDown = true;
  sdk
    .shutdown()
    .catch((error: unknown) => diag.error('kafka-otel/register: flush on exit failed', error))
    .finally(() => {
      // Re-raise so the app's exit code and any other handlers behave as without us.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
};
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
