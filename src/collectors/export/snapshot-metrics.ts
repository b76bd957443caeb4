import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPointType,
  type DataPoint,
  type GaugeMetricData,
  type SumMetricData,
} from '@opentelemetry/sdk-metrics';
import type { ClusterSnapshot } from '../cluster-snapshot';
import { CounterStarts } from './counter-starts';
import type { Emit, MetricFamily, MetricSpec } from './metric-family';

export interface SnapshotMetricsOptions {
  /** Export per-partition series (default true); totals per topic, group and cluster remain. */
  perPartition: boolean;
  /** Most series one snapshot exports; past it, per-partition series are dropped first. */
  maxSeries: number;
}

/** What a renderer needs of any snapshot: when it was taken and how long it took. */
export interface RenderableSnapshot {
  /** Epoch ms at the start of the snapshot. */
  readonly takenAt: number;
  readonly durationSeconds: number;
}

/** The metrics of one snapshot, and how many series the limit left out. */
export interface RenderedSnapshot {
  metrics: Array<GaugeMetricData | SumMetricData>;
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
export class SnapshotMetrics<S extends RenderableSnapshot = ClusterSnapshot> {
  /** Where each counter series starts: its first sighting, or the source's last restart. */
  private readonly counterStarts = new CounterStarts();

  constructor(
    private readonly families: readonly MetricFamily<string, S>[],
    private readonly options: SnapshotMetricsOptions,
  ) {}

  /** Every metric this renderer can export, in the order they are exported. */
  get specs(): MetricSpec[] {
    return this.families.flatMap((family) => Object.values<MetricSpec>(family.metrics));
  }

  render(snapshot: S): RenderedSnapshot {
    this.counterStarts.beginSnapshot(snapshot.takenAt);
    const time = millisToHrTime(snapshot.takenAt + snapshot.durationSeconds * 1000);
    const counts = this.count(snapshot);
    const limits = this.seriesLimits(counts);
    let dropped = 0;
    for (const [spec, count] of counts) dropped += count - (limits.get(spec) ?? 0);
    const metrics: Array<GaugeMetricData | SumMetricData> = [];
    for (const family of this.families) {
      const exported = Object.values<MetricSpec>(family.metrics).filter(
        (spec) => (limits.get(spec) ?? 0) > 0,
      );
      if (exported.length === 0) continue;
      const points = new FamilyPoints(family, snapshot, time, this.counterStarts, {
        limits,
        exported: exported.length,
      });
      for (const spec of exported) metrics.push(lazyMetric(spec, () => points.of(spec)));
    }
    return { metrics, dropped };
  }

  /** Points per exported metric: a pass over the snapshot that keeps no point. */
  private count(snapshot: S): Map<MetricSpec, number> {
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
class FamilyPoints<S> {
  private points: Map<MetricSpec, DataPoint<number>[]> | undefined;
  private unread = 0;

  constructor(
    private readonly family: MetricFamily<string, S>,
    private readonly snapshot: S,
    private readonly time: HrTime,
    private readonly counterStarts: CounterStarts,
    private readonly series: { limits: ReadonlyMap<MetricSpec, number>; exported: number },
  ) {}

  of(spec: MetricSpec): DataPoint<number>[] {
    if (this.points === undefined) {
      this.points = this.render();
      this.unread = this.series.exported;
    }
    const points = this.points.get(spec) ?? [];
    if (--this.unread === 0) this.points = undefined;
    return points;
  }

  private render(): Map<MetricSpec, DataPoint<number>[]> {
    const rendered = new Map<MetricSpec, DataPoint<number>[]>();
    const emit: Record<string, Emit> = {};
    for (const [key, spec] of Object.entries<MetricSpec>(this.family.metrics)) {
      const limit = this.series.limits.get(spec) ?? 0;
      if (limit === 0) {
        emit[key] = ignore;
        continue;
      }
      const points: DataPoint<number>[] = [];
      rendered.set(spec, points);
      // A gauge's point is an instant; a counter's total runs from the start of its series.
      const startOf =
        spec.kind === 'counter'
          ? (value: number, attributes: Attributes) =>
              this.counterStarts.startOf(spec.name, attributes, value, this.time)
          : undefined;
      emit[key] = pointCollector(points, this.time, limit, startOf);
    }
    this.family.observe(this.snapshot, emit);
    return rendered;
  }
}

/**
 * A gauge (or a monotonic cumulative sum, for a counter) whose `dataPoints` are made when read:
 * an own, enumerable getter, so that a reader that copies the metric (`{ ...metric }`) copies
 * its points too.
 */
function lazyMetric(
  spec: MetricSpec,
  points: () => DataPoint<number>[],
): GaugeMetricData | SumMetricData {
  const descriptor = {
    name: spec.name,
    description: spec.description,
    unit: spec.unit,
    valueType: ValueType.DOUBLE,
  };
  const common = { descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE };
  if (spec.kind === 'counter') {
    return {
      ...common,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      get dataPoints() {
        return points();
      },
    };
  }
  return {
    ...common,
    dataPointType: DataPointType.GAUGE,
    get dataPoints() {
      return points();
    },
  };
}

const NO_ATTRIBUTES: Attributes = Object.freeze({});

function ignore(): void {}

/** Collects a metric's points; `startOf` only for counters, gauges start where they end. */
function pointCollector(
  points: DataPoint<number>[],
  endTime: HrTime,
  limit: number,
  startOf?: (value: number, attributes: Attributes) => HrTime,
): Emit {
  return (value, attributes = NO_ATTRIBUTES) => {
    // A non-finite value (an unknown offset turned NaN) is a gap, not a data point.
    if (Number.isFinite(value) && points.length < limit) {
      const startTime = startOf ? startOf(value, attributes) : endTime;
      points.push({ startTime, endTime, attributes, value });
    }
  };
}
