import { clusterMetrics } from './cluster-metrics';
import { collectorMetrics } from './collector-metrics';
import { consumerGroupMetrics } from './consumer-group-metrics';
import type { MetricFamily } from './metric-family';
import { quorumMetrics } from './quorum-metrics';
import { replicationMetrics } from './replication-metrics';
import { sinkConnectorMetrics } from './sink-connector-metrics';
import { storageMetrics } from './storage-metrics';

/**
 * Every metric family the cluster collector exports, in export order: one list shared by the
 * collector, its tests and the generated docs/metrics.md, so none of them can miss a family.
 */
export const CLUSTER_METRIC_FAMILIES: readonly MetricFamily[] = [
  collectorMetrics,
  clusterMetrics,
  storageMetrics,
  replicationMetrics,
  quorumMetrics,
  consumerGroupMetrics,
  sinkConnectorMetrics,
];
