/**
 * The soak's summary: start (after the warm-up minute), peak and end of each curve, and the
 * verdict on the two the issue asks to stay flat, heap and series.
 *
 * - Heap: the used heap right after V8's latest major GC when V8 ran at least three of them
 *   after the warm-up (the live data; the reading between collections mostly measures garbage
 *   not yet collected), else the heap used as read. Tolerance 10 % of the median, at least 2 MiB.
 * - Series: the steady series, i.e. all but those naming a churn topic or group and those with
 *   an error type, judged on the quiet tail: the samples after the last broker restart has
 *   settled (the last quarter of the run has none; see broker-restarts.ts), or on all samples
 *   after the warm-up when that tail is too short (short runs). A restart brings new series in
 *   steps that stop: the first request of a kind to the broker that became a coordinator or a
 *   leader, each API version and broker a set of its own, bounded by the APIs and brokers there
 *   are; the tail shows whether growth goes on without them, and the report lists the series
 *   that appeared after the warm-up for a reader to judge. Tolerance 2 % of the median, at least
 *   10 series.
 *   Not judged, reported: the cluster collector's churn series, which must be gone within 30 s
 *   of the delete (`stale`, which does count against the verdict at the end of the run); the
 *   instrumentation's churn series, the process's cumulative counters, histograms and gauges,
 *   which the OpenTelemetry SDK keeps for the life of the process, so they grow with every
 *   churned topic and group (reported per topic and per group); and the error-typed series, one
 *   set per operation, broker and error seen, which arrive with the failures the restarts cause.
 */
import { SETTLE_AFTER_RESTART_SECONDS, type RestartEvent } from './broker-restarts';
import { judgeFlatness, type Judgement, type Point } from './flatness';
import type { Sample } from './soak-sample';

export const WARM_UP_SECONDS = 60;
const MIB = 1024 * 1024;
const HEAP_RULE = { relative: 0.1, absolute: 2 * MIB };
const SERIES_RULE = { relative: 0.02, absolute: 10 };
/** Fewer major GCs than this after the warm-up: too few after-GC readings for a trend. */
const MIN_MAJOR_GCS = 3;
/** A quiet tail shorter than this many samples is not enough to judge on. */
const MIN_TAIL_SAMPLES = 6;

export type CurveName =
  'heapUsed' | 'heapAfterMajorGc' | 'rss' | 'seriesTotal' | 'seriesSteady' | 'seriesErrorTyped';

export const CURVES: Record<CurveName, { label: string; unit: 'MiB' | 'series' }> = {
  heapUsed: { label: 'heap used', unit: 'MiB' },
  heapAfterMajorGc: { label: 'heap after major GC', unit: 'MiB' },
  rss: { label: 'RSS', unit: 'MiB' },
  seriesTotal: { label: 'series (all)', unit: 'series' },
  seriesSteady: { label: 'series (steady)', unit: 'series' },
  seriesErrorTyped: { label: 'series (error-typed)', unit: 'series' },
};

export function curveValue(sample: Sample, curve: CurveName): number | undefined {
  switch (curve) {
    case 'heapUsed':
      return sample.memory?.heapUsed;
    case 'heapAfterMajorGc':
      return sample.heapAfterMajorGc;
    case 'rss':
      return sample.memory?.rss;
    case 'seriesTotal':
      return sample.series?.total;
    case 'seriesSteady':
      return sample.series?.steady;
    case 'seriesErrorTyped':
      return sample.series?.errorTyped;
  }
}

export interface CurveSummary {
  curve: CurveName;
  start: number | undefined;
  peak: number | undefined;
  end: number | undefined;
}

export interface SoakVerdict {
  curves: CurveSummary[];
  /** Which heap curve was judged, and why. */
  heapCurve: 'heapAfterMajorGc' | 'heapUsed';
  heap: Judgement;
  series: Judgement;
  /** From when (seconds) the series were judged, and why there. */
  seriesWindow: { from: number; kind: 'quiet tail' | 'after warm-up' };
  /** Collector series naming deleted churn topics or groups: the most seen, and at the end. */
  staleCollectorSeries: { max: number; end: number; maxAt: number | undefined; names: string[] };
  /**
   * The most collector series naming live churn topics or groups in one sample: above 0 shows
   * the collector did report the churn, so that no stale series means they went away.
   */
  liveCollectorChurnMax: number;
  /** Steady series that changed between the first and the last sample after the warm-up. */
  steadyChangeByMetric: Record<string, number>;
  /** Instrumentation series naming churn topics / short-lived groups, at the end. */
  perProcessChurn: {
    series: number;
    topicSeries: number;
    topics: number;
    shortGroupSeries: number;
    shortGroups: number;
  };
  flat: boolean;
}

function points(samples: Sample[], curve: CurveName): Point[] {
  return samples.flatMap((s) => {
    const value = curveValue(s, curve);
    return value === undefined ? [] : [{ t: s.t, value }];
  });
}

function summarizeCurve(samples: Sample[], curve: CurveName): CurveSummary {
  const values = points(samples, curve).map((p) => p.value);
  return {
    curve,
    start: values[0],
    peak: values.length > 0 ? Math.max(...values) : undefined,
    end: values[values.length - 1],
  };
}

/** The samples after the last restart settled, when there are enough of them. */
function seriesWindow(samples: Sample[], restarts: RestartEvent[]): SoakVerdict['seriesWindow'] {
  const lastRestart = restarts[restarts.length - 1];
  const settled = lastRestart
    ? lastRestart.t +
      lastRestart.stopSeconds +
      lastRestart.startSeconds +
      SETTLE_AFTER_RESTART_SECONDS
    : WARM_UP_SECONDS;
  const from = Math.max(WARM_UP_SECONDS, Math.ceil(settled));
  const tail = samples.filter((s) => s.t >= from && s.series !== undefined);
  return tail.length >= MIN_TAIL_SAMPLES
    ? { from, kind: 'quiet tail' }
    : { from: WARM_UP_SECONDS, kind: 'after warm-up' };
}

export function judgeSoak(samples: Sample[], restarts: RestartEvent[]): SoakVerdict {
  const window = samples.filter((s) => s.t >= WARM_UP_SECONDS);
  const gcs = window.flatMap((s) => (s.majorGcs === undefined ? [] : [s.majorGcs]));
  const gcsInWindow = gcs.length > 0 ? gcs[gcs.length - 1]! - gcs[0]! : 0;
  const heapCurve = gcsInWindow >= MIN_MAJOR_GCS ? 'heapAfterMajorGc' : 'heapUsed';
  const heap = judgeFlatness(points(window, heapCurve), HEAP_RULE);
  const seriesFrom = seriesWindow(samples, restarts);
  const series = judgeFlatness(
    points(
      samples.filter((s) => s.t >= seriesFrom.from),
      'seriesSteady',
    ),
    SERIES_RULE,
  );

  const withSeries = window.filter((s) => s.series !== undefined);
  let max = 0;
  let maxAt: number | undefined;
  let liveCollectorChurnMax = 0;
  const names = new Set<string>();
  for (const s of withSeries) {
    const stale = s.series!.churn.collectorStale;
    liveCollectorChurnMax = Math.max(liveCollectorChurnMax, s.series!.churn.collectorLive);
    for (const name of s.series!.staleNames) names.add(name);
    if (stale > max) {
      max = stale;
      maxAt = s.t;
    }
  }
  const first = withSeries[0]?.series;
  const last = withSeries[withSeries.length - 1]?.series;
  const staleEnd = last?.churn.collectorStale ?? 0;
  const steadyChangeByMetric: Record<string, number> = {};
  if (first && last) {
    const metrics = new Set([
      ...Object.keys(first.steadyByMetric),
      ...Object.keys(last.steadyByMetric),
    ]);
    for (const metric of metrics) {
      const change = (last.steadyByMetric[metric] ?? 0) - (first.steadyByMetric[metric] ?? 0);
      if (change !== 0) steadyChangeByMetric[metric] = change;
    }
  }
  return {
    curves: (Object.keys(CURVES) as CurveName[]).map((curve) => summarizeCurve(window, curve)),
    heapCurve,
    heap,
    series,
    seriesWindow: seriesFrom,
    staleCollectorSeries: { max, end: staleEnd, maxAt, names: [...names].slice(0, 10) },
    liveCollectorChurnMax,
    steadyChangeByMetric,
    perProcessChurn: {
      series: last?.churn.perProcess ?? 0,
      topicSeries: last?.churn.perProcessOfTopics ?? 0,
      topics: last?.churn.topicsNamed ?? 0,
      shortGroupSeries: last?.churn.perProcessOfShortGroups ?? 0,
      shortGroups: last?.churn.shortGroupsNamed ?? 0,
    },
    flat:
      heap.verdict === 'flat' && series.verdict === 'flat' && last !== undefined && staleEnd === 0,
  };
}
