/**
 * The cluster collector of the live demo: KafkaClusterCollector on a Prometheus endpoint of its
 * own, scraped by the stack's Prometheus as job `kafka-otel-collect` (the job the alert rules
 * watch), as `kafka-otel collect` would be in a deployment (`kafka-otel collect
 * --lag-status-window 5` exports the same); in-process, it stops with the demo whatever happens.
 */
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { KafkaClusterCollector } from 'kafka-otel';
import { TOPIC } from '../payments';

export const COLLECTOR_JOB = 'kafka-otel-collect';

/**
 * Five snapshots, one per scrape (every 2 s): a group that stops committing while it lags is
 * STOP/STALL after about ten seconds instead of the default window's minute or more.
 */
const LAG_STATUS_WINDOW = 5;

export interface ClusterExporter {
  metricsUrl: string;
  stop(): Promise<void>;
}

export async function startClusterExporter(
  brokers: string[],
  port: number,
): Promise<ClusterExporter> {
  const collector = new KafkaClusterCollector({
    brokers,
    clientId: 'demo-cluster-collector',
    topics: [TOPIC],
    lagStatusWindow: LAG_STATUS_WINDOW,
    // Prometheus scrapes every 2 s; each scrape gets a fresh snapshot.
    minSnapshotIntervalMs: 1_000,
    snapshotTimeoutMs: 1_800,
  }).start();
  const exporter = new PrometheusExporter({
    host: '127.0.0.1',
    port,
    metricProducers: [collector],
    preventServerStart: true,
  });
  await exporter.startServer();
  const meterProvider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': COLLECTOR_JOB }),
    readers: [exporter],
  });
  return {
    metricsUrl: `http://127.0.0.1:${port}/metrics`,
    async stop() {
      await meterProvider.shutdown();
      await collector.stop();
    },
  };
}
