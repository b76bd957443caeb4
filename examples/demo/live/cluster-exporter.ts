/**
 * The cluster collector of the live demo: KafkaCollectors (the cluster, and the Connect worker
 * and the brokers' JMX when the demo has them) on a Prometheus endpoint of its own, scraped by
 * the stack's Prometheus as job `kafka-otel-collect` (the job the alert rules watch), as
 * `kafka-otel collect` would be in a deployment (`kafka-otel collect --lag-status-window 5
 * --connect-url ... --connect-jolokia-url ... --broker-jmx-urls ...` exports the same);
 * in-process, it stops with the demo whatever happens.
 */
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { KafkaCollectors } from 'kafka-otel';
import { TOPIC } from '../payments';
import { CONNECT_TOPICS } from './demo-connectors';
import type { ConnectEndpoints } from './live-infrastructure';

export const COLLECTOR_JOB = 'kafka-otel-collect';

/**
 * Five snapshots, one per scrape (every 2 s): a group that stops committing while it lags is
 * STOP/STALL after about ten seconds instead of the default window's minute or more.
 */
const LAG_STATUS_WINDOW = 5;

/** Prometheus scrapes every 2 s; each scrape gets a fresh snapshot of every source. */
const FRESH_SNAPSHOTS = { minSnapshotIntervalMs: 1_000, snapshotTimeoutMs: 1_800 };

export interface ClusterExporter {
  metricsUrl: string;
  stop(): Promise<void>;
}

export interface ClusterExporterSources {
  brokers: string[];
  connect?: ConnectEndpoints;
  brokerJolokiaUrls?: string[];
}

export async function startClusterExporter(
  sources: ClusterExporterSources,
  port: number,
): Promise<ClusterExporter> {
  const { brokers, connect, brokerJolokiaUrls } = sources;
  const collectors = new KafkaCollectors({
    cluster: {
      brokers,
      clientId: 'demo-cluster-collector',
      topics: [TOPIC, ...(connect ? CONNECT_TOPICS : [])],
      lagStatusWindow: LAG_STATUS_WINDOW,
      ...FRESH_SNAPSHOTS,
    },
    ...(connect
      ? {
          connect: {
            url: connect.url,
            ...(connect.jolokiaUrl ? { jolokiaUrl: connect.jolokiaUrl } : {}),
            ...FRESH_SNAPSHOTS,
          },
        }
      : {}),
    ...(brokerJolokiaUrls?.length
      ? { brokerJmx: { endpoints: brokerJolokiaUrls, ...FRESH_SNAPSHOTS } }
      : {}),
  }).start();
  const exporter = new PrometheusExporter({
    host: '127.0.0.1',
    port,
    metricProducers: [collectors],
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
      await collectors.stop();
    },
  };
}
