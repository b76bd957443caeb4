import type { Attributes } from '@opentelemetry/api';
import type { ClusterSnapshot } from '../cluster-snapshot';

/** One exported metric: a gauge read from the snapshot. */
export interface MetricSpec {
  name: string;
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

/** Metrics that read the same part of a snapshot, declared together (name, unit, description). */
export interface MetricFamily<K extends string = string> {
  readonly metrics: Readonly<Record<K, MetricSpec>>;
  /** Emits every point of the family for this snapshot; what the snapshot lacks is not emitted. */
  observe(snapshot: ClusterSnapshot, emit: Readonly<Record<K, Emit>>): void;
}

/** Declares a family: its metrics, and how a snapshot becomes their points. */
export function metricFamily<K extends string>(
  metrics: Record<K, MetricSpec>,
  observe: (snapshot: ClusterSnapshot, emit: Readonly<Record<K, Emit>>) => void,
): MetricFamily<K> {
  return { metrics, observe };
}
