/**
 * The request-counting pass: `kafka-otel collect` run once more, outside the timed rounds, with
 * request-count-hook.cjs loaded, scraped like a timed run; the requests of each snapshot are the
 * difference of the hook's totals before and after its scrape.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchError } from '../errors';
import type { CommitMover } from './commit-mover';
import { runKafkaOtel, type SnapshotCadence } from './kafka-otel-run';

/**
 * The one method every collector request goes through, relative to the built package's
 * dist/cjs folder: `spec.name` of its argument is the API name. The collector rewrite may move
 * it; this is the only place that names it.
 */
export const REQUEST_CHOKE_POINT = {
  module: 'collectors/protocol/broker-connection.js',
  exportName: 'BrokerConnection',
  method: 'send',
} as const;

const HOOK_PATH = path.join(__dirname, 'request-count-hook.cjs');
const FLUSH_WAIT_MS = 10_000;

type Totals = Record<string, { total: number; byBroker: Record<string, number> }>;

interface HookFile {
  writtenAt: number;
  problem?: string;
  requests: Totals;
}

/** Requests of one snapshot, by API. */
export interface RequestCounts {
  /** API name -> requests in the snapshot. */
  perApi: Record<string, number>;
  /** API name -> distinct brokers the requests went to. */
  brokersPerApi: Record<string, number>;
  total: number;
}

/** What `after` holds beyond `before`, per API (APIs without requests left out). */
export function requestDelta(before: Totals, after: Totals): RequestCounts {
  const perApi: Record<string, number> = {};
  const brokersPerApi: Record<string, number> = {};
  let total = 0;
  for (const [api, entry] of Object.entries(after)) {
    const count = entry.total - (before[api]?.total ?? 0);
    if (count <= 0) continue;
    perApi[api] = count;
    total += count;
    brokersPerApi[api] = Object.entries(entry.byBroker).filter(
      ([broker, n]) => n > (before[api]?.byBroker[broker] ?? 0),
    ).length;
  }
  return { perApi, brokersPerApi, total };
}

/** The hook's file once it was written after `since` (epoch ms). */
async function totalsAfter(file: string, since: number): Promise<Totals> {
  const deadline = Date.now() + FLUSH_WAIT_MS;
  for (;;) {
    try {
      const body = JSON.parse(fs.readFileSync(file, 'utf8')) as HookFile;
      if (body.problem) {
        throw new BenchError(
          `The request-counting hook could not wrap the collector's requests: ${body.problem}. Update REQUEST_CHOKE_POINT in bench/collector/request-count.ts.`,
        );
      }
      if (body.writtenAt > since) return body.requests;
    } catch (error) {
      if (error instanceof BenchError) throw error;
      // Not written yet.
    }
    if (Date.now() > deadline) {
      throw new BenchError(`The request-counting hook wrote nothing to ${file}.`);
    }
    await sleep(50);
  }
}

/** Requests per snapshot of `scrapes` snapshots (after a warm-up), by API. */
export async function countRequests(options: {
  cliPath: string;
  /** dist/cjs of the same build. */
  cjsDir: string;
  brokers: string[];
  scrapes: number;
  cadence: SnapshotCadence;
  dir: string;
  /** With --moving-commits: moves every group's commits after each scrape, as timed runs do. */
  movingCommits?: CommitMover;
  signal: AbortSignal;
}): Promise<RequestCounts[]> {
  fs.mkdirSync(options.dir, { recursive: true });
  const file = path.join(options.dir, 'request-counts.json');
  fs.rmSync(file, { force: true });
  const chokePoint = {
    ...REQUEST_CHOKE_POINT,
    module: path.join(options.cjsDir, REQUEST_CHOKE_POINT.module),
  };
  const counts: RequestCounts[] = [];
  let previous: Totals = {};
  await runKafkaOtel({
    cliPath: options.cliPath,
    brokers: options.brokers,
    scrapes: options.scrapes,
    cadence: options.cadence,
    logPath: path.join(options.dir, 'kafka-otel-counting.log'),
    env: {
      NODE_OPTIONS: `--require ${JSON.stringify(HOOK_PATH)}`,
      KAFKA_OTEL_BENCH_REQUEST_COUNT_FILE: file,
      KAFKA_OTEL_BENCH_REQUEST_CHOKE_POINT: JSON.stringify(chokePoint),
    },
    afterScrape: async (index, endedAt) => {
      const totals = await totalsAfter(file, endedAt);
      if (index > 0) counts.push(requestDelta(previous, totals));
      previous = totals;
      await options.movingCommits?.move(index + 1);
    },
    signal: options.signal,
  });
  return counts;
}
