/**
 * A metric reader's view of a MetricProducer over time: `collect()` once a period, the way a
 * Prometheus scrape or a periodic OTLP export would, and what every collection returned, kept
 * for assertions afterwards. Whether a collection threw, rejected, reported errors or did not
 * settle within its limit is recorded, never thrown, so the watch itself keeps going.
 */
import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type MetricProducer } from '@opentelemetry/sdk-metrics';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Point } from './telemetry-harness';

/** One collection. */
export interface CollectionReading {
  /** Epoch ms when `collect()` was called. */
  startedAt: number;
  elapsedMs: number;
  /** What it threw or rejected with (a MetricProducer must do neither). */
  failure?: unknown;
  /** The `errors` of its CollectionResult. */
  errors: unknown[];
  /** It had not settled after `limitMs`: the watch stopped there. */
  hung: boolean;
  /** Data points by metric name (histograms: the count). */
  metrics: ReadonlyMap<string, Point[]>;
}

export interface CollectionWatchOptions {
  /** Pause between the end of one collection and the start of the next. */
  intervalMs: number;
  /** Longest a collection may take before it counts as hung. */
  limitMs: number;
  /** Bound of the loop. */
  maxReadings: number;
}

/** Points of `name` in a reading whose attributes include every pair of `where`. */
export function pointsOf(
  reading: CollectionReading,
  name: string,
  where: Attributes = {},
): Point[] {
  return (reading.metrics.get(name) ?? []).filter((point) =>
    Object.entries(where).every(([key, value]) => point.attributes[key] === value),
  );
}

/** The value of the one matching point, or undefined when there is none or several. */
export function valueOf(
  reading: CollectionReading,
  name: string,
  where: Attributes = {},
): number | undefined {
  const points = pointsOf(reading, name, where);
  return points.length === 1 ? points[0]!.value : undefined;
}

/** Sum of the matching points' values. */
export function totalOf(reading: CollectionReading, name: string, where: Attributes = {}): number {
  return pointsOf(reading, name, where).reduce((sum, point) => sum + point.value, 0);
}

export class CollectionWatch {
  readonly readings: CollectionReading[] = [];
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    private readonly producer: MetricProducer,
    private readonly options: CollectionWatchOptions,
  ) {}

  start(): this {
    this.running ??= this.loop();
    return this;
  }

  /** Ends the loop after the collection in progress, if any. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  latest(): CollectionReading | undefined {
    return this.readings.at(-1);
  }

  private async loop(): Promise<void> {
    const { intervalMs, maxReadings } = this.options;
    const { signal } = this.stopping;
    while (this.readings.length < maxReadings && !signal.aborted) {
      const reading = await this.collectOnce();
      this.readings.push(reading);
      // A collection that never settles would otherwise pile up behind it.
      if (reading.hung) return;
      await sleep(intervalMs, undefined, { signal }).catch(() => undefined);
    }
  }

  private async collectOnce(): Promise<CollectionReading> {
    const startedAt = Date.now();
    const started = performance.now();
    const elapsedMs = () => performance.now() - started;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<'hung'>((resolve) => {
      timer = setTimeout(() => resolve('hung'), this.options.limitMs);
    });
    const empty = { startedAt, errors: [], hung: false, metrics: new Map() };
    try {
      const outcome = await Promise.race([this.producer.collect(), limit]);
      if (outcome === 'hung') return { ...empty, elapsedMs: elapsedMs(), hung: true };
      return {
        ...empty,
        elapsedMs: elapsedMs(),
        errors: outcome.errors,
        metrics: pointsByName(outcome.resourceMetrics.scopeMetrics),
      };
    } catch (failure) {
      return { ...empty, elapsedMs: elapsedMs(), failure };
    } finally {
      clearTimeout(timer);
    }
  }
}

type ScopeMetrics = Awaited<
  ReturnType<MetricProducer['collect']>
>['resourceMetrics']['scopeMetrics'];

function pointsByName(scopes: ScopeMetrics): Map<string, Point[]> {
  const byName = new Map<string, Point[]>();
  for (const metric of scopes.flatMap((scope) => scope.metrics)) {
    const points = byName.get(metric.descriptor.name) ?? [];
    for (const dataPoint of metric.dataPoints) {
      const value =
        metric.dataPointType === DataPointType.HISTOGRAM
          ? (dataPoint.value as { count: number }).count
          : (dataPoint.value as number);
      points.push({ attributes: dataPoint.attributes, value });
    }
    byName.set(metric.descriptor.name, points);
  }
  return byName;
}
