/**
 * One soak run: build if needed, install the app, start the three-node cluster and the OTLP
 * receiver, start the app, then for the chosen minutes sample it every 10 s while a broker
 * restarts every 2 minutes; finally stop everything it started and judge the curves.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { clusterStatus, startCluster, stopCluster, type StartResult } from '../local-kafka';
import type { AppStats } from './app/stats-protocol';
import { installApp, type AppInstall } from './app-install';
import { AppProcess } from './app-process';
import { SOAK_CLUSTER, type SoakOptions } from './args';
import { runBrokerRestarts, type RestartEvent } from './broker-restarts';
import { InterruptedError, SoakError } from './errors';
import { OtlpSink } from './otlp-sink';
import { ensureFreshBuild } from './package-build';
import { SOAK_DIR } from './paths';
import { perProcessChurnByMetric, steadyLabelSets } from './series-count';
import { SAMPLE_EVERY_MS, takeSample, type Sample } from './soak-sample';
import { judgeSoak, WARM_UP_SECONDS, type SoakVerdict } from './soak-verdict';

/** The app's own deadline past the soak's end: the driver normally stops it long before. */
const APP_DEADLINE_MARGIN_MS = 10 * 60_000;
const NODES = 3;

export interface SoakResult {
  options: SoakOptions;
  runId: string;
  /** Why the package was built first, when it was. */
  built: string | undefined;
  kafkaVersion: string;
  brokers: string[];
  startedAt: string;
  endedAt: string;
  samples: Sample[];
  restarts: RestartEvent[];
  /** The app's last answer: errors by kind with their last messages. */
  finalStats: AppStats | undefined;
  /** In the last scrape, per-process series naming churn topics or groups, by metric. */
  perProcessChurnByMetric: Record<string, number>;
  /** Steady label sets in the last scrape that the first one after the warm-up lacked. */
  newSteadySeries: string[];
  verdict: SoakVerdict;
  interrupted: boolean;
  failure: string | undefined;
  files: { samples: string; appLog: string; firstScrape: string; lastScrape: string };
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** What the samples loop shares with the restarts. */
interface Progress {
  samples: Sample[];
  nodeDown: number | undefined;
  /** The first scrape after the warm-up, and the latest. */
  firstExposition: string | undefined;
  lastExposition: string | undefined;
  lastStats: AppStats | undefined;
}

function progressLine(s: Sample): string {
  const mib = (n: number | undefined) => (n === undefined ? '-' : (n / 1024 / 1024).toFixed(1));
  return (
    `[soak] t=${s.t}s heap ${mib(s.memory?.heapUsed)} MiB (after GC ${mib(s.heapAfterMajorGc)}), ` +
    `RSS ${mib(s.memory?.rss)} MiB, series ${s.series?.total ?? '-'} (steady ${s.series?.steady ?? '-'}), ` +
    `sent ${s.sent ?? '-'}, consumed ${s.consumed ?? '-'}, errors ${s.errors ?? '-'}` +
    `${s.problems.length > 0 ? `; ${s.problems.join('; ')}` : ''}`
  );
}

async function sampleLoop(
  app: AppProcess,
  sink: OtlpSink,
  metricsUrl: string,
  startedAt: number,
  endsAt: number,
  progress: Progress,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<void> {
  for (let at = startedAt; at <= endsAt; at += SAMPLE_EVERY_MS) {
    await sleep(Math.max(0, at - Date.now()), undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return;
    if (app.ended !== undefined) {
      throw new SoakError(`The soak app ended (${app.ended}) mid-run:\n${app.logTail()}`);
    }
    const { sample, exposition, stats } = await takeSample({
      app,
      sink,
      metricsUrl,
      startedAt,
      brokerDown: progress.nodeDown,
    });
    progress.samples.push(sample);
    if (exposition !== undefined) {
      if (sample.t >= WARM_UP_SECONDS) progress.firstExposition ??= exposition;
      progress.lastExposition = exposition;
    }
    if (stats) progress.lastStats = stats;
    log(progressLine(sample));
  }
}

/**
 * The last resort when the driver exits before its cleanup ran (a second Ctrl+C exits at once):
 * the app and the Kafka nodes run in process groups of their own and would outlive it, so they
 * get a SIGTERM, on which each ends by itself (the app flushes, Kafka shuts down in order); the
 * app's private install is removed.
 */
function killOnExit(
  app: () => AppProcess | undefined,
  includeCluster: boolean,
  install: AppInstall,
): () => void {
  const onExit = (): void => {
    install.dispose();
    const pid = app()?.ended === undefined ? app()?.pid : undefined;
    const nodes = includeCluster ? (clusterStatus({ cluster: SOAK_CLUSTER })?.nodes ?? []) : [];
    for (const target of [pid, ...nodes.map((n) => n.pid)]) {
      if (target === undefined) continue;
      try {
        process.kill(target, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  };
  process.on('exit', onExit);
  return () => process.off('exit', onExit);
}

export async function runSoak(
  options: SoakOptions,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<SoakResult> {
  const built = await ensureFreshBuild(signal, log);
  const runId = new Date().toISOString().replace(/[:.]/g, '-');
  fs.mkdirSync(SOAK_DIR, { recursive: true });
  const files = {
    samples: path.join(SOAK_DIR, `${runId}.json`),
    appLog: path.join(SOAK_DIR, `${runId}.app.log`),
    firstScrape: path.join(SOAK_DIR, `${runId}.metrics-start.txt`),
    lastScrape: path.join(SOAK_DIR, `${runId}.metrics-end.txt`),
  };
  const install = installApp(runId);
  const sink = new OtlpSink();
  let clusterStarted = false;
  let app: AppProcess | undefined;
  const progress: Progress = {
    samples: [],
    nodeDown: undefined,
    firstExposition: undefined,
    lastExposition: undefined,
    lastStats: undefined,
  };
  const restarts: RestartEvent[] = [];
  let cluster: StartResult | undefined;
  let failure: string | undefined;
  const soakStartedAt = new Date().toISOString();
  const removeExitHook = killOnExit(() => app, !options.keepCluster, install);
  try {
    const otlpEndpoint = await sink.start();
    log(
      `[soak] Starting the three-node cluster '${SOAK_CLUSTER}' (fresh) on ${options.basePort}...`,
    );
    cluster = await startCluster({
      cluster: SOAK_CLUSTER,
      nodes: NODES,
      basePort: options.basePort,
      fresh: true,
      signal,
      log,
    });
    clusterStarted = true;
    const prometheusPort = await freeLoopbackPort();
    const durationMs = options.minutes * 60_000;
    app = new AppProcess({
      appDir: install.appDir,
      entry: install.entry,
      brokers: cluster.brokers,
      prometheusPort,
      otlpEndpoint,
      deadlineAt: Date.now() + durationMs + APP_DEADLINE_MARGIN_MS,
      logFile: files.appLog,
    });
    log(`[soak] App started (pid ${app.pid}); its log: ${files.appLog}`);
    await app.ready(signal);
    const startedAt = Date.now();
    const endsAt = startedAt + durationMs;
    log(`[soak] App ready; soaking for ${options.minutes} min (warm-up 1 min)...`);

    // A failure of either loop stops the other (and is reported once both have ended, so that
    // no restart is still starting a node while the cleanup stops the cluster); so does Ctrl+C.
    const failed = new AbortController();
    const both = AbortSignal.any([signal, failed.signal]);
    const guard = <T>(work: Promise<T>) =>
      work.catch((error: unknown) => {
        failed.abort();
        throw error;
      });
    const loops = await Promise.allSettled([
      guard(
        sampleLoop(
          app,
          sink,
          `http://127.0.0.1:${prometheusPort}/metrics`,
          startedAt,
          endsAt,
          progress,
          both,
          log,
        ),
      ),
      guard(
        runBrokerRestarts({
          cluster: SOAK_CLUSTER,
          nodeCount: NODES,
          startedAt,
          endsAt,
          signal: both,
          log,
          onNodeDown: (node) => (progress.nodeDown = node),
          events: restarts,
        }),
      ),
    ]);
    const rejected = loops.find((loop) => loop.status === 'rejected');
    if (rejected) throw rejected.reason;
  } catch (error) {
    // Nothing was sampled yet: a failure to start is the whole story.
    if (progress.samples.length === 0) throw error;
    if (!signal.aborted && !(error instanceof InterruptedError)) {
      failure = (error as Error).message;
    }
  } finally {
    if (app) {
      log('[soak] Stopping the app...');
      await app.stop();
    }
    await sink.stop();
    if (clusterStarted && !options.keepCluster) {
      log(`[soak] Stopping the cluster '${SOAK_CLUSTER}'...`);
      await stopCluster({ cluster: SOAK_CLUSTER, log });
    } else if (clusterStarted) {
      log(`[soak] Cluster '${SOAK_CLUSTER}' left running (--keep-cluster).`);
    }
    install.dispose();
    removeExitHook();
  }

  const { firstExposition, lastExposition: exposition } = progress;
  if (firstExposition !== undefined) fs.writeFileSync(files.firstScrape, firstExposition);
  if (exposition !== undefined) fs.writeFileSync(files.lastScrape, exposition);
  let newSteadySeries: string[] = [];
  if (firstExposition !== undefined && exposition !== undefined) {
    const before = steadyLabelSets(firstExposition);
    newSteadySeries = [...steadyLabelSets(exposition)].filter((set) => !before.has(set)).sort();
  }
  const result: SoakResult = {
    options,
    runId,
    built,
    kafkaVersion: cluster?.kafkaVersion ?? '',
    brokers: cluster?.brokers ?? [],
    startedAt: soakStartedAt,
    endedAt: new Date().toISOString(),
    samples: progress.samples,
    restarts,
    finalStats: progress.lastStats,
    perProcessChurnByMetric: exposition ? perProcessChurnByMetric(exposition) : {},
    newSteadySeries,
    verdict: judgeSoak(progress.samples, restarts),
    interrupted: signal.aborted,
    failure,
    files,
  };
  fs.writeFileSync(files.samples, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
