import { resourceFromAttributes } from '@opentelemetry/resources';
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import type { ClusterSnapshot } from '../../../src/collectors/cluster-snapshot';
import { CLUSTER_METRIC_FAMILIES } from '../../../src/collectors/export/cluster-metric-families';
import {
  SnapshotMetrics,
  type SnapshotMetricsOptions,
} from '../../../src/collectors/export/snapshot-metrics';

/** Every metric family of the collector, in its export order. */
export const ALL_FAMILIES = CLUSTER_METRIC_FAMILIES;

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
