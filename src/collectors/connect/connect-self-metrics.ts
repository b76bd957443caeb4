import { ValueType, type HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { AggregationTemporality, DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import { ATTR_ERROR_TYPE, ATTR_PHASE } from '../collector-attributes';
import type { SelfMetricDefinition } from '../collector-self-metrics';
import type { ConnectSnapshot } from './connect-snapshot';

const DURATION_BOUNDARIES = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The Connect collector's own work. Names of their own (not `kafka.collector.scrape.*`): a
 * process running both collectors exports both, and one name from two producers would mix a
 * cluster's scrapes with a Connect cluster's.
 */
export const CONNECT_SELF_METRICS = {
  scrapeDuration: {
    name: 'kafka.connect.scrape.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time taken to take one Connect snapshot (REST, and JMX when configured).',
    attributes: [],
  },
  scrapeErrors: {
    name: 'kafka.connect.scrape.errors',
    kind: 'counter',
    unit: '{error}',
    description:
      'Failed Connect snapshot requests by phase (rest, jmx) and error type (connection_refused, timeout, unauthorized, malformed_reply, ...).',
    attributes: [ATTR_PHASE, ATTR_ERROR_TYPE],
  },
} as const satisfies Record<string, SelfMetricDefinition>;

/**
 * Snapshot durations and errors, counted once per snapshot taken (not per reader exporting it),
 * cumulative since the collector was made; exported next to the snapshot's metrics so that an
 * export shows the errors of the very snapshot it exports.
 */
export class ConnectSelfMetrics {
  private readonly startTime: HrTime;
  private readonly durationCounts = new Array<number>(DURATION_BOUNDARIES.length + 1).fill(0);
  private durationSum = 0;
  private durationCount = 0;
  private durationMin = Infinity;
  private durationMax = -Infinity;
  /** Errors keyed `phase\0errorType`. */
  private readonly errors = new Map<string, number>();

  constructor(startedAt: number = Date.now()) {
    this.startTime = millisToHrTime(startedAt);
  }

  snapshotTaken(snapshot: ConnectSnapshot): void {
    const seconds = snapshot.durationSeconds;
    let bucket = DURATION_BOUNDARIES.findIndex((boundary) => seconds <= boundary);
    if (bucket < 0) bucket = DURATION_BOUNDARIES.length;
    this.durationCounts[bucket]!++;
    this.durationSum += seconds;
    this.durationCount++;
    this.durationMin = Math.min(this.durationMin, seconds);
    this.durationMax = Math.max(this.durationMax, seconds);
    for (const { phase, errorType } of snapshot.errors) {
      const key = `${phase}\0${errorType}`;
      this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
    }
  }

  metrics(now: number = Date.now()): MetricData[] {
    if (this.durationCount === 0) return [];
    const endTime = millisToHrTime(now);
    const { startTime } = this;
    const metrics: MetricData[] = [
      {
        descriptor: {
          ...descriptor(CONNECT_SELF_METRICS.scrapeDuration),
          valueType: ValueType.DOUBLE,
        },
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
      },
    ];
    if (this.errors.size > 0) {
      metrics.push({
        descriptor: { ...descriptor(CONNECT_SELF_METRICS.scrapeErrors), valueType: ValueType.INT },
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints: [...this.errors].map(([key, value]) => {
          const [phase, errorType] = key.split('\0') as [string, string];
          return {
            startTime,
            endTime,
            attributes: { [ATTR_PHASE]: phase, [ATTR_ERROR_TYPE]: errorType },
            value,
          };
        }),
      });
    }
    return metrics;
  }
}

function descriptor({ name, unit, description }: SelfMetricDefinition) {
  return { name, unit, description };
}
