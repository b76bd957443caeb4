import path from 'node:path';
import { providedConfluentClient } from '../../support/confluent-client-context';
import { DIST_ENTRIES, REPO_ROOT } from '../../support/built-package';
import { waitFor } from '../../support/wait-for';
import { APPS_DIR, type RunningApp, type StartAppOptions } from './app-process';
import { startProcess } from './child-process';

/**
 * Starts test/e2e/apps/confluent-app.cjs as a user runs a service on Confluent's client with
 * zero-code telemetry: `node --require kafka-otel/register` (the built entry), the client found
 * through NODE_PATH in the install the global setup provides. Same variables and readiness line
 * as startApp (app-process.ts); OTLP traces and metrics pushed every second.
 */
export async function startConfluentApp(
  options: Omit<StartAppOptions, 'kind'>,
): Promise<RunningApp> {
  const { installDir } = providedConfluentClient();
  const app = startProcess(
    options.service,
    ['--require', path.join(REPO_ROOT, DIST_ENTRIES.registerCjs), 'confluent-app.cjs'],
    {
      NODE_PATH: path.join(installDir, 'node_modules'),
      OTEL_SERVICE_NAME: options.service,
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint,
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
      OTEL_BSP_SCHEDULE_DELAY: '500',
      KAFKA_BROKERS: options.brokers.join(','),
      ...(options.consume
        ? { CONSUME_TOPIC: options.consume.topic, CONSUMER_GROUP: options.consume.group }
        : {}),
      ...options.env,
    },
    APPS_DIR,
  );
  try {
    const port = await waitFor(
      () => {
        const exited = app.exited();
        if (exited) throw new Error(`${options.service} ended (${exited}):\n${app.output()}`);
        return app
          .stdoutLines()
          .map((line) => /^listening (\d+)$/.exec(line)?.[1])
          .find((port) => port !== undefined);
      },
      // Joining the group takes the Confluent consumer a few seconds more than KafkaJS.
      { timeoutMs: 90_000, description: `Confluent app ${options.service} to listen` },
    );
    return { ...app, url: `http://127.0.0.1:${port}`, service: options.service };
  } catch (error) {
    await app.stop();
    throw new Error(`${(error as Error).message}\nOutput so far:\n${app.output()}`, {
      cause: error,
    });
  }
}
