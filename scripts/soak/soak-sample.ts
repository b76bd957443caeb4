/** One reading of the app every 10 s: its memory and counters, and the series it exports. */
import type { AppStats } from './app/stats-protocol';
import type { AppProcess } from './app-process';
import type { OtlpSink, SinkTotals } from './otlp-sink';
import { countSeries, scrapeMetrics, type SeriesCounts } from './series-count';

export const SAMPLE_EVERY_MS = 10_000;
/** Above the collector's 8 s snapshot deadline: a slow snapshot still answers in time. */
const SCRAPE_TIMEOUT_MS = 20_000;

export interface Sample {
  /** Seconds since the soak started (the app ready). */
  t: number;
  at: string;
  /** The broker node restarting at that moment, if any. */
  brokerDown: number | undefined;
  memory?: Pick<NodeJS.MemoryUsage, 'heapUsed' | 'heapTotal' | 'rss' | 'external' | 'arrayBuffers'>;
  heapAfterMajorGc?: number;
  majorGcs?: number;
  sent?: number;
  consumed?: number;
  errors?: number;
  errorsByKind?: Record<string, number>;
  churn?: { topicsDeleted: number; groupsDeleted: number };
  series?: SeriesCounts;
  /** Wall time of the scrape (a collector snapshot included). */
  scrapeMs?: number;
  /** What the driver could not read this time. */
  problems: string[];
  /** What the app had exported to the OTLP receiver so far. */
  otlp: Record<string, SinkTotals>;
}

export interface Sampled {
  sample: Sample;
  /** The scrape's text, kept for the last sample's breakdown; undefined when it failed. */
  exposition: string | undefined;
  stats: AppStats | undefined;
}

/**
 * Scrapes first, then asks the app: every churn name the snapshot behind the scrape can hold
 * then still counts as live or recently deleted in the app's answer, so only a name deleted well
 * before the snapshot can make a series stale. (The app's memory is read just after a scrape,
 * every time alike, as in a service Prometheus scrapes.)
 */
export async function takeSample(options: {
  app: AppProcess;
  sink: OtlpSink;
  metricsUrl: string;
  startedAt: number;
  brokerDown: number | undefined;
}): Promise<Sampled> {
  const now = Date.now();
  const sample: Sample = {
    t: Math.round((now - options.startedAt) / 1000),
    at: new Date(now).toISOString(),
    brokerDown: options.brokerDown,
    problems: [],
    otlp: options.sink.received(),
  };
  let exposition: string | undefined;
  try {
    exposition = await scrapeMetrics(options.metricsUrl, SCRAPE_TIMEOUT_MS);
    sample.scrapeMs = Date.now() - now;
  } catch (error) {
    sample.problems.push(`scrape failed: ${(error as Error).message}`);
  }
  const stats = await options.app.stats();
  if (stats) {
    const { heapUsed, heapTotal, rss, external, arrayBuffers } = stats.memory;
    sample.memory = { heapUsed, heapTotal, rss, external, arrayBuffers };
    sample.heapAfterMajorGc = stats.heapAfterMajorGc;
    sample.majorGcs = stats.majorGcs;
    sample.sent = stats.sent;
    sample.consumed = stats.consumed;
    sample.errorsByKind = stats.errors;
    sample.errors = Object.values(stats.errors).reduce((sum, n) => sum + n, 0);
    sample.churn = {
      topicsDeleted: stats.churn.topicsDeleted,
      groupsDeleted: stats.churn.groupsDeleted,
    };
    if (exposition !== undefined) {
      const current = new Set([...stats.churn.liveNames, ...stats.churn.recentlyDeletedNames]);
      sample.series = countSeries(exposition, current);
    }
  } else {
    // Without the app's churn names every churn series would look stale: no split this time.
    sample.problems.push('the app did not answer');
  }
  return { sample, exposition, stats };
}
