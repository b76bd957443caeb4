/**
 * From raw runs to the collector report's figures: per variant, the median and range over every
 * timed scrape (times, series) or every run (memory); kafka-otel against kafkametrics as the
 * median over rounds of same-round ratios.
 */
import { median, spread, type Spread } from '../statistics';
import type { CollectorRunRecord, CollectorVariant } from './run-record';

export interface CollectorVariantSummary {
  variant: CollectorVariant;
  runs: number;
  /** Snapshot (kafka-otel) or receiver scrape (kafkametrics) duration, ms, over every scrape. */
  snapshotMs: Spread | undefined;
  /** Wall time of GET /metrics, ms (kafka-otel only). */
  httpMs: Spread | undefined;
  series: Spread | undefined;
  peakRssBytes: Spread | undefined;
  steadyRssBytes: Spread | undefined;
  /** CPU seconds per timed scrape (process lifetime CPU / scrapes incl. warm-up). */
  cpuSecondsPerScrape: Spread | undefined;
}

export function summarizeVariant(
  variant: CollectorVariant,
  records: readonly CollectorRunRecord[],
): CollectorVariantSummary {
  const runs = records.filter((r) => r.variant === variant);
  const all = (pick: (r: CollectorRunRecord) => number[]): Spread | undefined =>
    spread(runs.flatMap(pick));
  return {
    variant,
    runs: runs.length,
    snapshotMs: all((r) => r.result.snapshotMs),
    httpMs: all((r) => r.result.httpMs),
    series: all((r) => r.result.series),
    peakRssBytes: all((r) => [r.result.peakRssBytes]),
    steadyRssBytes: all((r) => [r.result.steadyRssBytes]),
    cpuSecondsPerScrape: all((r) =>
      r.result.cpuSeconds === undefined
        ? []
        : [r.result.cpuSeconds / (r.result.snapshotMs.length + 1)],
    ),
  };
}

/** Same-round ratio of `variant` to `baseline`, median over the rounds both ran in. */
export function roundRatio(
  records: readonly CollectorRunRecord[],
  variant: CollectorVariant,
  baseline: CollectorVariant,
  figure: (record: CollectorRunRecord) => number | undefined,
): number | undefined {
  const ratios: number[] = [];
  for (const run of records.filter((r) => r.variant === variant)) {
    const other = records.find((r) => r.variant === baseline && r.round === run.round);
    const a = figure(run);
    const b = other === undefined ? undefined : figure(other);
    if (a !== undefined && b !== undefined && b > 0) ratios.push(a / b);
  }
  return median(ratios);
}

/** A run's median snapshot time, ms. */
export const runSnapshotMs = (record: CollectorRunRecord): number | undefined =>
  median(record.result.snapshotMs);
/** A run's median series count. */
export const runSeries = (record: CollectorRunRecord): number | undefined =>
  median(record.result.series);
/** A run's peak RSS, bytes. */
export const runPeakRss = (record: CollectorRunRecord): number => record.result.peakRssBytes;
