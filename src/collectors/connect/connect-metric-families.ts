import type { MetricFamily } from '../export/metric-family';
import type { ConnectSnapshot } from './connect-snapshot';
import { connectJmxHealthMetrics, connectJmxMetrics } from './connect-jmx-metrics';
import { connectHealthMetrics, connectStatusMetrics } from './connect-rest-metrics';

/**
 * Every metric family the Connect collector exports, in export order: one list shared by the
 * collector, its tests and the generated docs/metrics.md.
 */
export const CONNECT_METRIC_FAMILIES: readonly MetricFamily<string, ConnectSnapshot>[] = [
  connectHealthMetrics,
  connectStatusMetrics,
  connectJmxHealthMetrics,
  connectJmxMetrics,
];
