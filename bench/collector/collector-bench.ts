/**
 * `npm run bench -- collector`: builds kafka-otel (and, with --git-ref, a committed version),
 * gets a Kafka and puts it in the asked shape (reused when already there), then runs every
 * variant in a fresh process per round, rounds interleaved with a rotated order, and finally the
 * request-counting pass. Whatever happens, every process it started is stopped, the build
 * copies removed, and the Kafka cluster stopped if the bench started it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensureCollector, COLLECTOR_VERSION } from '../../scripts/otel-stack';
import { prepareBuiltPackage, type BuiltPackage } from '../built-package';
import {
  readCodeVersion,
  readMachineInfo,
  type CodeVersion,
  type MachineInfo,
} from '../environment';
import { InterruptedError } from '../errors';
import { acquireKafka, type KafkaTarget } from '../kafka-target';
import { startLoadProbe } from '../machine-load';
import { planRounds, type RoundSlot } from '../round-schedule';
import { formatShape, layoutShape, type ShapeLayout } from './cluster-shape';
import { CommitMover } from './commit-mover';
import {
  COLLECTOR_BENCH_CLUSTER,
  COLLECTOR_BENCH_HEAP_MB,
  MAX_REPLICATION_FACTOR,
  type CollectorBenchOptions,
} from './collector-bench-options';
import { probeSnapshotCadence, runKafkaOtel, type SnapshotCadence } from './kafka-otel-run';
import { runKafkametrics } from './kafkametrics-run';
import { countRequests, type RequestCounts } from './request-count';
import {
  KAFKA_OTEL_VARIANT,
  KAFKAMETRICS_VARIANT,
  type CollectorRunRecord,
  type CollectorRunResult,
  type CollectorVariant,
} from './run-record';
import { ShapeSetup, type ShapeState } from './shape-setup';

type Log = (line: string) => void;

/** One kafka-otel build under test. */
interface KafkaOtelBuild {
  variant: CollectorVariant;
  built: BuiltPackage;
  code: CodeVersion;
  cadence?: SnapshotCadence;
}

export interface VariantCode {
  variant: CollectorVariant;
  code: CodeVersion;
  /** The --interval its runs used. */
  interval: string;
}

export interface CollectorBenchReport {
  options: CollectorBenchOptions;
  layout: ShapeLayout;
  shapeState: ShapeState;
  variants: CollectorVariant[];
  records: CollectorRunRecord[];
  requestCounts: Array<{ variant: CollectorVariant; counts: RequestCounts[] }>;
  kafkaOtel: VariantCode[];
  machine: MachineInfo;
  kafkaVersion: string;
  kafkaDescription: string;
  brokerCount: number;
  /** -Xmx of the broker JVMs, when they run here. */
  brokerHeap: string | undefined;
  collectorVersion: string | undefined;
  startedAt: Date;
  finishedAt: Date;
}

/** The -Xmx flag of a local JVM, read from its command line. */
function heapOf(pid: number | undefined): string | undefined {
  if (pid === undefined) return undefined;
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.find((a) => a.startsWith('-Xmx'))?.slice(4);
  } catch {
    return undefined;
  }
}

function describeRecord(record: CollectorRunRecord, total: number, index: number): string {
  const r = record.result;
  const mid = (values: number[]): string =>
    values.length === 0 ? '—' : (values.reduce((a, b) => a + b, 0) / values.length).toFixed(0);
  const parts = [
    `snapshot ${r.snapshotMs.map((v) => (v / 1000).toFixed(2)).join('/')} s`,
    `series ${mid(r.series)}`,
    `peak RSS ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
    `steady ${(r.steadyRssBytes / 2 ** 20).toFixed(0)} MiB`,
  ];
  if (r.httpMs.length > 0)
    parts.push(`GET ${r.httpMs.map((v) => (v / 1000).toFixed(2)).join('/')} s`);
  if (record.otherCores !== undefined) parts.push(`others ${record.otherCores.toFixed(2)} cores`);
  return `[${index}/${total}] round ${record.round} ${record.variant}: ${parts.join(', ')}`;
}

async function prepareBuilds(options: CollectorBenchOptions, signal: AbortSignal, log: Log) {
  const builds: KafkaOtelBuild[] = [];
  try {
    if (options.variants.includes(KAFKA_OTEL_VARIANT)) {
      const code = readCodeVersion(undefined);
      const built = await prepareBuiltPackage({
        build: options.build,
        gitRef: undefined,
        signal,
        log,
      });
      builds.push({ variant: KAFKA_OTEL_VARIANT, built, code });
    }
    if (options.gitRef !== undefined) {
      const code = readCodeVersion(options.gitRef);
      const built = await prepareBuiltPackage({ build: true, gitRef: options.gitRef, signal, log });
      builds.push({ variant: `${KAFKA_OTEL_VARIANT}@${options.gitRef}`, built, code });
    }
  } catch (error) {
    for (const b of builds) b.built.dispose();
    throw error;
  }
  return builds;
}

export async function runCollectorBench(
  options: CollectorBenchOptions,
  signal: AbortSignal,
  log: Log,
): Promise<CollectorBenchReport> {
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const runDir = path.join(options.rawDir, 'runs', `${stamp}-${formatShape(options.shape)}`);
  fs.mkdirSync(runDir, { recursive: true });
  const layout = layoutShape(options.shape);
  const builds = await prepareBuilds(options, signal, log);
  let kafka: KafkaTarget | undefined;
  let movingCommits: CommitMover | undefined;
  try {
    const withCollector = options.variants.includes(KAFKAMETRICS_VARIANT);
    const collector = withCollector ? await ensureCollector({ log, signal }) : undefined;
    kafka = await acquireKafka({
      brokers: options.brokers,
      own: {
        ...COLLECTOR_BENCH_CLUSTER,
        env: { KAFKA_OTEL_KAFKA_HEAP_MB: String(COLLECTOR_BENCH_HEAP_MB) },
      },
      signal,
      log,
    });
    const rf = Math.min(MAX_REPLICATION_FACTOR, kafka.nodeCount);
    log(
      `Shape ${formatShape(options.shape)}: ${layout.topics.length} topic(s), ${options.shape.partitions} partitions (RF ${rf}), ${layout.groups.length} group(s), ${layout.groupPartitions} group-partitions.`,
    );
    const shapeState = await new ShapeSetup(kafka.brokers, log).ensure(layout, {
      replicationFactor: rf,
      messagesPerPartition: options.messagesPerPartition,
      removeOtherShapes: kafka.owned,
    });
    log(`Shape in place (${shapeState.work}).`);
    if (options.movingCommits) {
      movingCommits = new CommitMover(kafka.brokers, layout, options.messagesPerPartition);
      await movingCommits.connect();
    }

    for (const build of builds) {
      build.cadence = await probeSnapshotCadence(
        path.join(build.built.cjsDir, 'cli.js'),
        path.join(runDir, `${build.variant.replace(/[^\w.-]/g, '_')}-probe.log`),
        signal,
      );
      log(
        `${build.variant}: --interval ${build.cadence.interval} (every scrape takes a snapshot).`,
      );
    }

    const variants: CollectorVariant[] = [
      ...builds.map((b) => b.variant),
      ...(withCollector ? [KAFKAMETRICS_VARIANT] : []),
    ];
    const plan = planRounds(variants, options.rounds);
    // Written after every run, so that a run that fails late loses no figures already measured.
    const partialFile = path.join(runDir, 'records.json');
    log(
      `${plan.length} runs: ${variants.join(', ')} × ${options.rounds} round(s), ${options.scrapes} timed scrape(s) each.`,
    );
    const records: CollectorRunRecord[] = [];
    for (const [index, slot] of plan.entries()) {
      if (signal.aborted) throw new InterruptedError();
      const dir = path.join(runDir, `round${slot.round}-${slot.variant.replace(/[^\w.-]/g, '_')}`);
      fs.mkdirSync(dir, { recursive: true });
      const probe = startLoadProbe(kafka.brokerPids);
      const result = await runVariant(slot, {
        builds,
        collector: collector?.binary,
        kafka,
        options,
        movingCommits,
        dir,
        signal,
      });
      const otherCores = probe.otherCores((result.cpuSeconds ?? 0) * 1e6);
      const record = { ...slot, result, otherCores };
      records.push(record);
      fs.writeFileSync(partialFile, `${JSON.stringify(records, null, 2)}\n`);
      log(describeRecord(record, plan.length, index + 1));
    }

    const requestCounts: CollectorBenchReport['requestCounts'] = [];
    if (options.countRequests) {
      for (const build of builds) {
        log(`Counting ${build.variant}'s requests per snapshot (a separate, untimed run)...`);
        const counts = await countRequests({
          cliPath: path.join(build.built.cjsDir, 'cli.js'),
          cjsDir: build.built.cjsDir,
          brokers: kafka.brokers,
          scrapes: Math.min(options.scrapes, 3),
          cadence: build.cadence ?? { interval: '1s', gapMs: 1_100 },
          dir: path.join(runDir, `count-${build.variant.replace(/[^\w.-]/g, '_')}`),
          movingCommits,
          signal,
        });
        requestCounts.push({ variant: build.variant, counts });
      }
    }

    const report: CollectorBenchReport = {
      options,
      layout,
      shapeState,
      variants,
      records,
      requestCounts,
      kafkaOtel: builds.map((b) => ({
        variant: b.variant,
        code: b.code,
        interval: b.cadence?.interval ?? '?',
      })),
      machine: readMachineInfo(),
      kafkaVersion: kafka.kafkaVersion,
      kafkaDescription: kafka.description,
      brokerCount: kafka.nodeCount,
      brokerHeap: heapOf(kafka.brokerPids[0]),
      collectorVersion: withCollector ? COLLECTOR_VERSION : undefined,
      startedAt,
      finishedAt: new Date(),
    };
    const rawFile = path.join(options.rawDir, `${stamp}-${formatShape(options.shape)}.json`);
    fs.writeFileSync(rawFile, `${JSON.stringify({ ...report, layout: undefined }, null, 2)}\n`);
    log(`Raw figures in ${rawFile}.`);
    return report;
  } finally {
    await movingCommits?.disconnect().catch(() => undefined);
    await kafka?.release();
    for (const b of builds) b.built.dispose();
  }
}

async function runVariant(
  slot: RoundSlot<CollectorVariant>,
  context: {
    builds: KafkaOtelBuild[];
    collector: string | undefined;
    kafka: KafkaTarget;
    options: CollectorBenchOptions;
    /** With --moving-commits: moves every group's commits after each scrape. */
    movingCommits: CommitMover | undefined;
    dir: string;
    signal: AbortSignal;
  },
): Promise<CollectorRunResult> {
  const { kafka, options, dir, signal } = context;
  if (slot.variant === KAFKAMETRICS_VARIANT) {
    if (!context.collector) throw new Error('kafkametrics planned without a Collector binary');
    return runKafkametrics({
      binary: context.collector,
      brokers: kafka.brokers,
      scrapes: options.scrapes,
      dir,
      signal,
    });
  }
  const build = context.builds.find((b) => b.variant === slot.variant);
  if (!build?.cadence) throw new Error(`no build for variant ${slot.variant}`);
  return runKafkaOtel({
    cliPath: path.join(build.built.cjsDir, 'cli.js'),
    brokers: kafka.brokers,
    scrapes: options.scrapes,
    cadence: build.cadence,
    logPath: path.join(dir, 'kafka-otel.log'),
    afterScrape: context.movingCommits && ((index) => context.movingCommits!.move(index + 1)),
    signal,
  });
}
