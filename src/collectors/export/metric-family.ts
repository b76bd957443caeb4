import type { Attributes } from '@opentelemetry/api';
import type { ClusterSnapshot } from '../cluster-snapshot';

/** One exported metric, read from the snapshot: a gauge unless it is a counter. */
export interface MetricSpec {
  name: string;
  /**
   * `counter`: a total the source itself keeps and only ever grows (a JMX `Count`, a task's
   * records polled), exported as a cumulative monotonic sum so rate() and `_total` apply; it
   * restarts from 0 when the source restarts. Default `gauge`: a value as it stands now.
   */
  kind?: 'gauge' | 'counter';
  unit: string;
  description: string;
  /**
   * One series per partition (or group-partition): off with `perPartitionMetrics: false`, and
   * the first to go past the series limit, so topic, group and cluster totals always remain.
   */
  perPartition?: boolean;
  /**
   * The attribute keys of every point. docs/metrics.md is generated
   * from these (`npm run docs:metrics`); a unit test exports a rich snapshot to prove them.
   */
  attributes: readonly string[];
}

/** Adds one point of a metric to the export; a non-finite value is a gap and is skipped. */
export type Emit = (value: number, attributes?: Attributes) => void;

/**
 * Metrics that read the same part of a snapshot, declared together (name, unit, description).
 * `S` is the snapshot they read: a cluster's by default, or a Connect cluster's, or brokers' JMX.
 */
export interface MetricFamily<K extends string = string, S = ClusterSnapshot> {
  readonly metrics: Readonly<Record<K, MetricSpec>>;
  /** Emits every point of the family for this snapshot; what the snapshot lacks is not emitted. */
  observe(snapshot: S, emit: Readonly<Record<K, Emit>>): void;
}

/** Declares a family: its metrics, and how a snapshot becomes their points. */
export function metricFamily<K extends string, S = ClusterSnapshot>(
  metrics: Record<K, MetricSpec>,
  observe: (snapshot: S, emit: Readonly<Record<K, Emit>>) => void,
): MetricFamily<K, S> {
  return { metrics, observe };
}
