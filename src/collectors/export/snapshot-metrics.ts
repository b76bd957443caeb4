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
 *
 * Points are made when an exporter reads a metric's `dataPoints`, a family at a time, and
 * forgotten once every metric of the family has been read: an exporter that writes metric by
 * metric (the Prometheus endpoint) never holds a large snapshot's 100 000+ points at once, so
 * they die young instead of growing the heap at every scrape. Rendering first counts the points
 * (the series limit needs the totals), so reading them later gives exactly what was counted:
 * the snapshot is frozen and families read nothing else.
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
    const counts = this.count(snapshot);
    const limits = this.seriesLimits(counts);
    let dropped = 0;
    for (const [spec, count] of counts) dropped += count - (limits.get(spec) ?? 0);
    const metrics: GaugeMetricData[] = [];
    for (const family of this.families) {
      const exported = Object.values<MetricSpec>(family.metrics).filter(
        (spec) => (limits.get(spec) ?? 0) > 0,
      );
      if (exported.length === 0) continue;
      const points = new FamilyPoints(family, snapshot, time, limits, exported.length);
      for (const spec of exported) metrics.push(lazyGauge(spec, () => points.of(spec)));
    }
    return { metrics, dropped };
  }

  /** Points per exported metric: a pass over the snapshot that keeps no point. */
  private count(snapshot: ClusterSnapshot): Map<MetricSpec, number> {
    const counts = new Map<MetricSpec, number>();
    for (const family of this.families) {
      const emit: Record<string, Emit> = {};
      for (const [key, spec] of Object.entries<MetricSpec>(family.metrics)) {
        if (!this.exports(spec)) {
          emit[key] = ignore;
          continue;
        }
        counts.set(spec, 0);
        emit[key] = (value) => {
          if (Number.isFinite(value)) counts.set(spec, counts.get(spec)! + 1);
        };
      }
      family.observe(snapshot, emit);
    }
    return counts;
  }

  /**
   * How many points of each metric are exported: every one, unless the snapshot holds more
   * than `maxSeries`; then totals are served first and per-partition series take what is left,
   * in the order the metrics are declared.
   */
  private seriesLimits(counts: ReadonlyMap<MetricSpec, number>): Map<MetricSpec, number> {
    const limits = new Map<MetricSpec, number>();
    let budget = this.options.maxSeries;
    for (const perPartition of [false, true]) {
      for (const [spec, count] of counts) {
        if ((spec.perPartition ?? false) !== perPartition) continue;
        const kept = Math.min(count, budget);
        limits.set(spec, kept);
        budget -= kept;
      }
    }
    return limits;
  }

  private exports(spec: MetricSpec): boolean {
    return !spec.perPartition || this.options.perPartition;
  }
}

/**
 * The points of one family's exported metrics, made on the first read and dropped once each
 * metric has been read (a later read makes them again).
 */
class FamilyPoints {
  private points: Map<MetricSpec, DataPoint<number>[]> | undefined;
  private unread = 0;

  constructor(
    private readonly family: MetricFamily,
    private readonly snapshot: ClusterSnapshot,
    private readonly time: HrTime,
    private readonly limits: ReadonlyMap<MetricSpec, number>,
    private readonly exported: number,
  ) {}

  of(spec: MetricSpec): DataPoint<number>[] {
    if (this.points === undefined) {
      this.points = this.render();
      this.unread = this.exported;
    }
    const points = this.points.get(spec) ?? [];
    if (--this.unread === 0) this.points = undefined;
    return points;
  }

  private render(): Map<MetricSpec, DataPoint<number>[]> {
    const rendered = new Map<MetricSpec, DataPoint<number>[]>();
    const emit: Record<string, Emit> = {};
    for (const [key, spec] of Object.entries<MetricSpec>(this.family.metrics)) {
      const limit = this.limits.get(spec) ?? 0;
      if (limit === 0) {
        emit[key] = ignore;
        continue;
      }
      const points: DataPoint<number>[] = [];
      rendered.set(spec, points);
      emit[key] = pointCollector(points, this.time, limit);
    }
    this.family.observe(this.snapshot, emit);
    return rendered;
  }
}

/**
 * A gauge whose `dataPoints` are made when read: an own, enumerable getter, so that a reader
 * that copies the metric (`{ ...metric }`) copies its points too.
 */
function lazyGauge(spec: MetricSpec, points: () => DataPoint<number>[]): GaugeMetricData {
  return {
    descriptor: {
      name: spec.name,
      description: spec.description,
      unit: spec.unit,
      valueType: ValueType.DOUBLE,
    },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.GAUGE,
    get dataPoints() {
      return points();
    },
  };
}

const NO_ATTRIBUTES: Attributes = Object.freeze({});

function ignore(): void {}

function pointCollector(points: DataPoint<number>[], time: HrTime, limit: number): Emit {
  return (value, attributes = NO_ATTRIBUTES) => {
    // A non-finite value (an unknown offset turned NaN) is a gap, not a data point.
    if (Number.isFinite(value) && points.length < limit) {
      points.push({ startTime: time, endTime: time, attributes, value });
    }
  };
}
