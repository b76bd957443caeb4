import { resourceFromAttributes } from '@opentelemetry/resources';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import type { ClusterSnapshot } from '../../../src/collectors/cluster-snapshot';
import { clusterMetrics } from '../../../src/collectors/export/cluster-metrics';
import { collectorMetrics } from '../../../src/collectors/export/collector-metrics';
import { consumerGroupMetrics } from '../../../src/collectors/export/consumer-group-metrics';
import { quorumMetrics } from '../../../src/collectors/export/quorum-metrics';
import { replicationMetrics } from '../../../src/collectors/export/replication-metrics';
import {
  SnapshotMetrics,
  type SnapshotMetricsOptions,
} from '../../../src/collectors/export/snapshot-metrics';
import { storageMetrics } from '../../../src/collectors/export/storage-metrics';

/** Every metric family of the collector, in its export order. */
export const ALL_FAMILIES = [
  collectorMetrics,
  clusterMetrics,
  storageMetrics,
  replicationMetrics,
  quorumMetrics,
  consumerGroupMetrics,
];

/**
 * A MetricProducer exporting whatever snapshot `current()` returns at each collection, as the
 * collector does, without a broker: for tests of what is exported from a given snapshot.
 */
export function snapshotProducer(
  current: () => ClusterSnapshot,
  options: SnapshotMetricsOptions,
): MetricProducer & { dropped: number } {
  const renderer = new SnapshotMetrics(ALL_FAMILIES, options);
  const producer = {
    dropped: 0,
    collect() {
      const { metrics, dropped } = renderer.render(current());
      producer.dropped += dropped;
      return Promise.resolve({
        resourceMetrics: {
          resource: resourceFromAttributes({}),
          scopeMetrics: [{ scope: { name: 'kafka-otel' }, metrics }],
        },
        errors: [],
      });
    },
  };
  return producer;
}
