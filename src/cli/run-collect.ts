import { diag, type DiagLogger } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type IMetricReader,
} from '@opentelemetry/sdk-metrics';
import { KafkaCollectors } from '../collectors/kafka-collectors';
import type { Environment } from '../config/env-reader';
import { createOtlpMetricExporter } from '../sdk/otlp-exporters';
import { servePrometheus, type PrometheusEndpoint } from '../sdk/prometheus-endpoint';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version';
import type { CollectConfig } from './collect-config';
import { diagLevel, streamDiagLogger } from './stream-diag-logger';

/** What `collect` talks to: its streams, environment and the signal that stops it. */
export interface CollectIo {
  env: Environment;
  stderr: NodeJS.WritableStream;
  /** Aborted on SIGTERM / SIGINT by the CLI entry (or by a test). */
  signal: AbortSignal;
}

/** Longest wait for the last export and disconnect on stop. */
const STOP_TIMEOUT_MS = 10_000;
const PREFIX = `${PACKAGE_NAME} collect`;

/**
 * Runs the exporter until `io.signal` aborts: a MeterProvider with one reader (the Prometheus
 * endpoint or a periodic OTLP push) and the collectors on it: the cluster's, and Kafka Connect's
 * and the brokers' JMX when asked for. Resolves with the exit
 * code: 0 after a clean stop (with a last OTLP push), 1 when the endpoint cannot listen.
 */
export async function runCollect(config: CollectConfig, io: CollectIo): Promise<number> {
  const logger: DiagLogger = streamDiagLogger(io.stderr, PREFIX);
  diag.setLogger(logger, {
    logLevel: diagLevel(io.env.OTEL_LOG_LEVEL),
    suppressOverrideMessage: true,
  });
  // The reader exports the collector's metrics: it takes the collector as a metric producer.
  // Its lines go through the CLI's logger (prefixed `kafka-otel collect: warn:`), without the
  // `kafka-otel:` the collector puts on lines of its own to the diag logger.
  const warn = (message: string) => diag.warn(message);
  const collector = new KafkaCollectors({
    cluster: { ...config.collector, warn },
    ...(config.connect ? { connect: { ...config.connect, warn } } : {}),
    ...(config.brokerJmx ? { brokerJmx: { ...config.brokerJmx, warn } } : {}),
  });
  const { reader, endpoint } = createReader(config, collector);
  const meterProvider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': io.env.OTEL_SERVICE_NAME?.trim() || PACKAGE_NAME,
      'service.version': PACKAGE_VERSION,
    }),
    readers: [reader],
  });
  collector.start();
  const stop = async () => {
    const steps = Promise.all([meterProvider.shutdown(), endpoint?.close()]).then(() =>
      collector.stop(),
    );
    await Promise.race([steps.catch(() => undefined), delay(STOP_TIMEOUT_MS)]);
    diag.disable();
  };

  try {
    io.stderr.write(`${PREFIX}: ${await describeStart(config, endpoint)}\n`);
  } catch (error) {
    const { host, port } = config.output as { host?: string; port: number };
    io.stderr.write(
      `${PREFIX}: cannot serve Prometheus on ${host ?? '*'}:${port}: ${(error as Error).message}\n`,
    );
    await stop();
    return 1;
  }
  // The SDK's export timer is unreferenced (it never keeps an application alive); in OTLP mode
  // nothing else would, and the process would end right after the first push.
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  await aborted(io.signal);
  clearInterval(keepAlive);
  await stop();
  io.stderr.write(`${PREFIX}: stopped\n`);
  return 0;
}

function createReader(
  config: CollectConfig,
  collector: KafkaCollectors,
): {
  reader: IMetricReader;
  endpoint?: PrometheusEndpoint;
} {
  const { output } = config;
  if (output.kind === 'prometheus') {
    const endpoint = servePrometheus({
      host: output.host,
      port: output.port,
      metricProducers: [collector],
    });
    return { reader: endpoint.reader, endpoint };
  }
  const reader = new PeriodicExportingMetricReader({
    metricProducers: [collector],
    exporter: createOtlpMetricExporter(output),
    exportIntervalMillis: config.intervalMs,
    exportTimeoutMillis: Math.min(config.intervalMs, 30_000),
  });
  return { reader };
}

/** The start line; for Prometheus, after the port is bound (so port 0 shows the real one). */
async function describeStart(config: CollectConfig, endpoint?: PrometheusEndpoint) {
  const brokers = [
    config.collector.brokers.join(','),
    ...(config.connect ? [`Kafka Connect at ${config.connect.url}`] : []),
    ...(config.brokerJmx ? [`JMX of ${config.brokerJmx.endpoints.length} broker(s)`] : []),
  ].join(' and ');
  const every = `${config.intervalMs / 1000}s`;
  if (endpoint === undefined) {
    const { url, protocol } = config.output as { url: string; protocol: string };
    return `collecting ${brokers}, pushing OTLP (${protocol}) to ${url} every ${every}`;
  }
  const address = await endpoint.listening;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const share = config.collector.minSnapshotIntervalMs ?? config.intervalMs;
  const snapshots =
    share > 0 ? `at most one snapshot every ${share / 1000}s` : 'a snapshot per scrape';
  return `collecting ${brokers}, serving http://${host}:${address.port}/metrics (${snapshots})`;
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
