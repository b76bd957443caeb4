import { SpawnedProcess } from './spawned-process';

/**
 * `apps/ends-by-itself.cjs` (works 1.5 s, then lets the event loop end) under
 * `--require kafka-otel/register`, exporting metrics only, over OTLP/JSON to `receiverUrl`
 * every 200 ms; `env` adds the collector's variables.
 */
export function shortJobUnderRegister(
  serviceName: string,
  receiverUrl: string,
  env: Record<string, string>,
): SpawnedProcess {
  return new SpawnedProcess(
    ['--require', 'kafka-otel/register', 'test/integration/register/apps/ends-by-itself.cjs'],
    {
      OTEL_SERVICE_NAME: serviceName,
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
      OTEL_METRIC_EXPORT_INTERVAL: '200',
      ...env,
    },
  );
}

/** The `/metrics` URL `kafka-otel collect` printed once it listened (started on port 0). */
export function servingUrl(cli: SpawnedProcess): string | undefined {
  if (cli.child.exitCode !== null) throw new Error(`collect exited: ${cli.stderr}`);
  return /serving (http:\/\/[^\s]+\/metrics)/.exec(cli.stderr)?.[1];
}
