import { ValueType, type HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPointType,
  type HistogramMetricData,
  type MetricData,
  type SumMetricData,
} from '@opentelemetry/sdk-metrics';
import { ATTR_ERROR_TYPE, ATTR_PHASE } from './collector-attributes';

const DURATION_BOUNDARIES = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** How a self metric is declared: what docs/metrics.md lists, and what `metrics()` exports. */
export interface SelfMetricDefinition {
  name: string;
  kind: 'histogram' | 'counter';
  unit: string;
  description: string;
  /** The attribute keys of every point. */
  attributes: readonly string[];
}

/** Every metric the collector reports about its own work. */
export const COLLECTOR_SELF_METRICS = {
  scrapeDuration: {
    name: 'kafka.collector.scrape.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time taken to take one cluster snapshot.',
    attributes: [],
  },
  scrapeErrors: {
    name: 'kafka.collector.scrape.errors',
    kind: 'counter',
    unit: '{error}',
    description:
      'Failed requests, and phases without a result before the snapshot deadline, by phase and error type.',
    attributes: [ATTR_PHASE, ATTR_ERROR_TYPE],
  },
  lateResults: {
    name: 'kafka.collector.late_results',
    kind: 'counter',
    unit: '{result}',
    description:
      'Phase results that arrived after their snapshot was assembled at the deadline, and were dropped.',
    attributes: [ATTR_PHASE],
  },
  seriesDropped: {
    name: 'kafka.collector.series.dropped',
    kind: 'counter',
    unit: '{series}',
    description:
      'Series of cluster snapshots not exported because they were past the series limit.',
    attributes: [],
  },
} as const satisfies SelfMetricDefinitions;

/**
 * The self metrics a collector declares: the snapshot duration histogram and the error counter
 * always; late phase results and series dropped by the limit where the collector has them (the
 * cluster collector does, the Connect collector does not).
 */
export interface SelfMetricDefinitions {
  readonly scrapeDuration: SelfMetricDefinition;
  readonly scrapeErrors: SelfMetricDefinition;
  readonly lateResults?: SelfMetricDefinition;
  readonly seriesDropped?: SelfMetricDefinition;
}

/** What a finished snapshot tells its self metrics. */
export interface SnapshotOutcome {
  readonly durationSeconds: number;
  readonly errors: ReadonlyArray<{ readonly phase: string; readonly errorType: string }>;
}

/**
 * A collector's own work: snapshot duration and errors (and, where declared, late phase
 * results and series left out by the limit), counted once per snapshot taken (not per reader
 * that exported it) and exported with the snapshot's metrics, cumulative since the collector
 * started. Produced here rather than through SDK instruments so that an export shows the
 * errors of the very snapshot it exports: a reader reads SDK instruments while the producer is
 * still taking the snapshot. One class for every collector; each brings its own names, so a
 * process running several collectors never mixes their numbers under one name.
 */
export class SelfMetrics {
  private readonly startTime: HrTime;
  private readonly durationCounts = new Array<number>(DURATION_BOUNDARIES.length + 1).fill(0);
  private durationSum = 0;
  private durationCount = 0;
  private durationMin = Infinity;
  private durationMax = -Infinity;
  /** Errors by phase and error type. */
  private readonly errors = new Map<string, Map<string, number>>();
  private readonly late = new Map<string, number>();
  private dropped = 0;

  constructor(
    private readonly definitions: SelfMetricDefinitions,
    startedAt: number = Date.now(),
  ) {
    this.startTime = millisToHrTime(startedAt);
  }

  /** A snapshot was taken: its duration and errors. */
  snapshotTaken(snapshot: SnapshotOutcome): void {
    const seconds = snapshot.durationSeconds;
    let bucket = DURATION_BOUNDARIES.findIndex((boundary) => seconds <= boundary);
    if (bucket < 0) bucket = DURATION_BOUNDARIES.length;
    this.durationCounts[bucket]!++;
    this.durationSum += seconds;
    this.durationCount++;
    this.durationMin = Math.min(this.durationMin, seconds);
    this.durationMax = Math.max(this.durationMax, seconds);
    for (const { phase, errorType } of snapshot.errors) {
      let byType = this.errors.get(phase);
      if (byType === undefined) this.errors.set(phase, (byType = new Map<string, number>()));
      increment(byType, errorType);
    }
  }

  /** A phase settled after its snapshot was assembled; its result was dropped. */
  lateResult(phase: string): void {
    increment(this.late, phase);
  }

  /** An export left out `count` series past the limit. */
  seriesDropped(count: number): void {
    this.dropped += count;
  }

  /** The declared metrics as of now. */
  metrics(now: number = Date.now()): MetricData[] {
    const endTime = millisToHrTime(now);
    const { startTime, definitions } = this;
    const metrics: MetricData[] = [];
    if (this.durationCount > 0) {
      const duration: HistogramMetricData = {
        descriptor: { ...descriptor(definitions.scrapeDuration), valueType: ValueType.DOUBLE },
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: [
          {
            startTime,
            endTime,
            attributes: {},
            value: {
              buckets: { boundaries: DURATION_BOUNDARIES, counts: [...this.durationCounts] },
              sum: this.durationSum,
              count: this.durationCount,
              min: this.durationMin,
              max: this.durationMax,
            },
          },
        ],
      };
      metrics.push(duration);
    }
    const counter = (
      definition: SelfMetricDefinition,
      points: SumMetricData['dataPoints'],
    ): SumMetricData => ({
      descriptor: { ...descriptor(definition), valueType: ValueType.INT },
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: points,
    });
    if (this.errors.size > 0) {
      const points = [...this.errors].flatMap(([phase, byType]) =>
        [...byType].map(([errorType, value]) => ({
          startTime,
          endTime,
          attributes: { [ATTR_PHASE]: phase, [ATTR_ERROR_TYPE]: errorType },
          value,
        })),
      );
      metrics.push(counter(definitions.scrapeErrors, points));
    }
    if (definitions.lateResults && this.late.size > 0) {
      const points = [...this.late].map(([phase, value]) => ({
        startTime,
        endTime,
        attributes: { [ATTR_PHASE]: phase },
        value,
      }));
      metrics.push(counter(definitions.lateResults, points));
    }
    if (definitions.seriesDropped) {
      metrics.push(
        counter(definitions.seriesDropped, [
          { startTime, endTime, attributes: {}, value: this.dropped },
        ]),
      );
    }
    return metrics;
  }
}

/** The cluster collector's self metrics ({@link COLLECTOR_SELF_METRICS}). */
export class CollectorSelfMetrics extends SelfMetrics {
  constructor(startedAt: number = Date.now()) {
    super(COLLECTOR_SELF_METRICS, startedAt);
  }
}

function descriptor({ name, unit, description }: SelfMetricDefinition) {
  return { name, unit, description };
}

function increment<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
