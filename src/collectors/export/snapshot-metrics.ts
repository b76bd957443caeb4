import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPointType,
  type DataPoint,
  type GaugeMetricData,
} from '@opentelemetry/sdk-metrics';
import type { ClusterSnapshot } from '../cluster-snapshot';
import type { Emit, MetricFamily, MetricSpec } from './metric-family';

export interface SnapshotMetricsOptions {
  /** Export per-partition series (default true); totals per topic, group and cluster remain. */
  perPartition: boolean;
  /** Most series one snapshot exports; past it, per-partition series are dropped first. */
  maxSeries: number;
}

/** The metrics of one snapshot, and how many series the limit left out. */
export interface RenderedSnapshot {
  metrics: GaugeMetricData[];
  /** Series not exported because of `maxSeries`. */
  dropped: number;
}

/**
 * Turns a snapshot into gauge metric data, exactly: one point per series the snapshot holds,
 * nothing remembered from earlier snapshots. This is what a MetricProducer hands a metric
 * reader, so a deleted topic, group, partition or voter disappears from the very next export
 * whatever the reader's temporality, and no SDK storage (attribute hashing, per-series
 * accumulation, cardinality limits) sits between the snapshot and the exporter.
 */
export class SnapshotMetrics {
  constructor(
    private readonly families: readonly MetricFamily[],
    private readonly options: SnapshotMetricsOptions,
  ) {}

  /** Every metric this renderer can export, in the order they are exported. */
  get specs(): MetricSpec[] {
    return this.families.flatMap((family) => Object.values<MetricSpec>(family.metrics));
  }

  render(snapshot: ClusterSnapshot): RenderedSnapshot {
    const time = millisToHrTime(snapshot.takenAt + snapshot.durationSeconds * 1000);
    const collected: { spec: MetricSpec; points: DataPoint<number>[] }[] = [];
    for (const family of this.families) {
      const emit: Record<string, Emit> = {};
      for (const [key, spec] of Object.entries<MetricSpec>(family.metrics)) {
        if (spec.perPartition && !this.options.perPartition) {
          emit[key] = ignore;
          continue;
        }
        const points: DataPoint<number>[] = [];
        collected.push({ spec, points });
        emit[key] = pointCollector(points, time);
      }
      family.observe(snapshot, emit);
    }
    // Totals first, per-partition series last: past the limit, detail goes before the totals.
    collected.sort(
      (a, b) => Number(a.spec.perPartition ?? false) - Number(b.spec.perPartition ?? false),
    );
    let budget = this.options.maxSeries;
    let dropped = 0;
    const metrics: GaugeMetricData[] = [];
    for (const { spec, points } of collected) {
      if (points.length === 0) continue;
      const kept = points.length <= budget ? points : points.slice(0, budget);
      dropped += points.length - kept.length;
      budget -= kept.length;
      if (kept.length === 0) continue;
      metrics.push({
        descriptor: {
          name: spec.name,
          description: spec.description,
          unit: spec.unit,
          valueType: ValueType.DOUBLE,
        },
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.GAUGE,
        dataPoints: kept,
      });
    }
    return { metrics, dropped };
  }
}

const NO_ATTRIBUTES: Attributes = Object.freeze({});

function ignore(): void {}

function pointCollector(points: DataPoint<number>[], time: HrTime): Emit {
  return (value, attributes = NO_ATTRIBUTES) => {
    // A non-finite value (an unknown offset turned NaN) is a gap, not a data point.
    if (Number.isFinite(value)) points.push({ startTime: time, endTime: time, attributes, value });
  };
}
