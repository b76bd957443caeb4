import { brokerControllerMetrics } from './broker-controller-metrics';
import { brokerJmxHealthMetrics } from './broker-jmx-health-metrics';
import type { BrokerJmxSnapshot } from './broker-jmx-snapshot';
import { brokerRequestMetrics } from './broker-request-metrics';
import type { MetricFamily } from '../export/metric-family';
import { raftMetrics } from './raft-metrics';

/**
 * Every metric family the broker JMX collector exports, in export order: one list shared by the
 * collector, its tests and the generated docs/metrics.md.
 */
export const BROKER_JMX_METRIC_FAMILIES: readonly MetricFamily<string, BrokerJmxSnapshot>[] = [
  brokerJmxHealthMetrics,
  brokerRequestMetrics,
  brokerControllerMetrics,
  raftMetrics,
];
