/**
 * One run of `kafka-otel collect` (the built CLI, a fresh Node process): wait until it listens,
 * one warm-up scrape, then the timed scrapes one after the other, each taking a fresh snapshot.
 * Snapshot durations come from the process's own histogram (kafka.collector.scrape.duration),
 * the rise of its sum between the expositions that counted consecutive snapshots.
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchChildEnv } from '../child-env';
import { BenchError } from '../errors';
import { REPO_ROOT } from '../paths';
import { histogramTotals, snapshotDurations, type HistogramTotals } from './exposition';
import { freeLoopbackPort, MeasuredProcess } from './measured-process';
import type { CollectorRunResult } from './run-record';
import { scrape } from './scrape-client';

/** The self-metric holding every snapshot's duration (Prometheus name). */
export const SNAPSHOT_HISTOGRAM = 'kafka_collector_scrape_duration';

const START_TIMEOUT_MS = 60_000;
/** A scrape of a large cluster on a busy 2-core machine takes seconds; far above that fails. */
const SCRAPE_TIMEOUT_MS = 120_000;

/**
 * How `--interval` is set so that every scrape takes a fresh snapshot: 0 ("never share a
 * snapshot") where the CLI accepts it, else its smallest interval, with the scrapes spaced so
 * that each starts after the previous snapshot has aged past it.
 */
export interface SnapshotCadence {
  interval: string;
  /** Least time between the starts of two scrapes. */
  gapMs: number;
}

export interface KafkaOtelRunOptions {
  /** The built CLI (dist/cjs/cli.js). */
  cliPath: string;
  brokers: string[];
  scrapes: number;
  cadence: SnapshotCadence;
  /** Where the process's output goes. */
  logPath: string;
  /** Extra environment (the request-counting pass adds its hook here). */
  env?: NodeJS.ProcessEnv;
  /** Called after every scrape (warm-up included) with its index, 0 for the warm-up. */
  afterScrape?: (index: number, endedAt: number) => Promise<void>;
  signal: AbortSignal;
}

/** Finds the smallest interval the CLI at `cliPath` accepts: `0` if it does, else `1s`. */
export async function probeSnapshotCadence(
  cliPath: string,
  logPath: string,
  signal: AbortSignal,
): Promise<SnapshotCadence> {
  const probe = MeasuredProcess.start({
    name: 'kafka-otel collect (probing --interval 0)',
    command: process.execPath,
    // Port 0 and an address nobody serves: the probe only needs the flags to be accepted.
    args: [
      cliPath,
      'collect',
      '--brokers',
      '127.0.0.1:9',
      '--prometheus-host',
      '127.0.0.1',
      '--prometheus-port',
      '0',
      '--interval',
      '0',
    ],
    env: benchChildEnv(),
    cwd: REPO_ROOT,
    logPath,
  });
  try {
    for (let waited = 0; waited < 5_000 && probe.running && !signal.aborted; waited += 100) {
      if (probe.logTail().includes('collecting')) break;
      await sleep(100);
    }
    const accepted = probe.running;
    return accepted ? { interval: '0', gapMs: 0 } : { interval: '1s', gapMs: 1_100 };
  } finally {
    await probe.stop();
  }
}

export async function runKafkaOtel(options: KafkaOtelRunOptions): Promise<CollectorRunResult> {
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}/metrics`;
  const child = MeasuredProcess.start({
    name: 'kafka-otel collect',
    command: process.execPath,
    args: [
      options.cliPath,
      'collect',
      '--brokers',
      options.brokers.join(','),
      '--prometheus-host',
      '127.0.0.1',
      '--prometheus-port',
      String(port),
      '--interval',
      options.cadence.interval,
    ],
    env: { ...benchChildEnv(), ...options.env },
    cwd: path.dirname(options.logPath),
    logPath: options.logPath,
  });
  try {
    await child.waitForPort(port, START_TIMEOUT_MS, options.signal);
    const seen: HistogramTotals[] = [];
    const observe = (text: string): void => {
      const totals = histogramTotals(text, SNAPSHOT_HISTOGRAM);
      if (totals) seen.push(totals);
    };
    let lastStart = Date.now();
    const warmUp = await scrape(url, SCRAPE_TIMEOUT_MS, options.signal);
    observe(warmUp.text);
    await options.afterScrape?.(0, warmUp.endedAt);
    const firstCount = seen.at(-1)?.count ?? 0;

    const httpMs: number[] = [];
    const series: number[] = [];
    const bytes: number[] = [];
    for (let i = 1; i <= options.scrapes; i++) {
      const wait = lastStart + options.cadence.gapMs - Date.now();
      if (wait > 0) await sleep(wait);
      child.assertRunning();
      lastStart = Date.now();
      const timed = await scrape(url, SCRAPE_TIMEOUT_MS, options.signal);
      observe(timed.text);
      httpMs.push(timed.wallMs);
      series.push(timed.series);
      bytes.push(timed.bytes);
      await options.afterScrape?.(i, timed.endedAt);
    }
    const memory = child.memory();
    const cpuSeconds = child.cpuSeconds();
    if (!memory) throw new BenchError('Cannot read the memory of kafka-otel collect from /proc.');

    // The timed scrapes' snapshots are those counted after the warm-up's.
    const wanted = Array.from({ length: options.scrapes }, (_, i) => firstCount + 1 + i);
    let durations = snapshotDurations(seen, wanted);
    if (durations.size < wanted.length) {
      // This exposition did not count the snapshot it was taken from: read once more.
      const wait = lastStart + options.cadence.gapMs - Date.now();
      if (wait > 0) await sleep(wait);
      observe((await scrape(url, SCRAPE_TIMEOUT_MS, options.signal)).text);
      durations = snapshotDurations(seen, wanted);
    }
    if (seen.length === 0) {
      throw new BenchError(`kafka-otel's /metrics has no ${SNAPSHOT_HISTOGRAM} histogram.`);
    }
    const shared = seen.slice(1).filter((totals, i) => totals.count !== (seen[i]?.count ?? 0) + 1);
    if (shared.length > 0) {
      throw new BenchError(
        `${shared.length} scrape(s) did not take a fresh snapshot (--interval ${options.cadence.interval}): the timing would mix shared snapshots in.`,
      );
    }
    return {
      snapshotMs: wanted.flatMap((n) => {
        const seconds = durations.get(n);
        return seconds === undefined ? [] : [seconds * 1000];
      }),
      httpMs,
      series,
      bytes,
      peakRssBytes: memory.peakRssBytes,
      steadyRssBytes: memory.rssBytes,
      cpuSeconds,
      points: [],
      erroredPoints: 0,
      note: `--interval ${options.cadence.interval}`,
    };
  } finally {
    await child.stop();
  }
}
