/**
 * `npm run bench -- client`: builds kafka-otel, gets a Kafka, fills the consume topic once, runs
 * every planned run in its own child process, checks each, and renders the report. Whatever
 * happens, the topics it created are deleted, the build copy removed and the Kafka it started
 * stopped.
 */
import path from 'node:path';
import {
  ensureConfluentClient,
  type ConfluentClient,
} from '../../scripts/confluent-client/confluent-client-install';
import { BenchError, InterruptedError } from '../errors';
import { BenchTopics, uniqueName } from './bench-topics';
import { prepareBuiltPackage } from '../built-package';
import { compileChildProgram } from './child-program';
import { runChild } from './child-runner';
import { runTimeoutMs, type ClientBenchOptions } from './client-bench-options';
import { readCodeVersion, readMachineInfo } from '../environment';
import { acquireKafka, type KafkaTarget, type OwnCluster } from '../kafka-target';
import { DISTURBED_RUN_CORES, startLoadProbe } from '../machine-load';
import type { ClientBenchReport } from './markdown-report';
import { readConfluentVersions, readVersions } from './client-versions';
import { planRuns, type PlannedRun } from './run-plan';
import { clientOf, isConsumeScenario, type PartitionRange, type RunSpec } from './run-contract';
import { cpuMicrosPerMessage, throughput, type RunRecord } from './statistics';

type Log = (line: string) => void;

/** The client bench's own single-node cluster and ports, so it never shares a broker with a test run. */
const CLIENT_BENCH_CLUSTER: OwnCluster = { name: 'bench', basePort: 59092, nodes: 1 };

/** Sampling interval of --cpu-prof-dir profiles: finer than V8's 1 ms for windows of seconds. */
const CPU_PROFILE_INTERVAL_US = 250;

/** A topic a run works on, with the offsets it was filled with (empty for produce topics). */
interface RunTopic {
  topic: string;
  partitions: PartitionRange[];
}

/**
 * With --cpu-prof-dir, one folder per run: V8 names profiles itself (one per thread, by pid and
 * thread id), and the folder says which run they belong to.
 */
function nodeFlagsFor(options: ClientBenchOptions, run: PlannedRun): string[] {
  if (!options.cpuProfileDir) return [];
  const dir = path.join(options.cpuProfileDir, `${run.scenario}-${run.variant}-round${run.round}`);
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${CPU_PROFILE_INTERVAL_US}`];
}

async function fillConsumeTopic(
  topics: BenchTopics,
  options: ClientBenchOptions,
  log: Log,
): Promise<RunTopic> {
  const topic = await topics.createTopic('kafka-otel-bench-consume', options.partitions);
  log(`Filling ${topic} with ${options.messages} messages of ${options.messageBytes} bytes...`);
  await topics.fill(topic, options.messages, options.messageBytes);
  const partitions = await topics.ranges(topic);
  const held = partitions.reduce((sum, r) => sum + r.high - r.low, 0);
  if (held !== options.messages) {
    throw new BenchError(
      `The consume topic ${topic} holds ${held} records, not ${options.messages}.`,
    );
  }
  return { topic, partitions };
}

/** What every run of one bench shares. */
interface RunContext {
  options: ClientBenchOptions;
  kafka: KafkaTarget;
  topics: BenchTopics;
  /** Undefined when no consume scenario was asked for. */
  consumeTopic: RunTopic | undefined;
  kafkaOtelEntry: string;
  /** Undefined when no Confluent variant was asked for. */
  confluentClient: ConfluentClient | undefined;
  childEntry: string;
  signal: AbortSignal;
}

/** The produce scenario writes to a topic of its own; consumers read the shared filled one. */
async function topicFor(run: PlannedRun, context: RunContext): Promise<RunTopic> {
  if (!isConsumeScenario(run.scenario)) {
    const { partitions } = context.options;
    return {
      topic: await context.topics.createTopic('kafka-otel-bench-produce', partitions),
      partitions: [],
    };
  }
  if (!context.consumeTopic) throw new Error('consume run planned without a filled topic');
  return context.consumeTopic;
}

async function executeRun(run: PlannedRun, context: RunContext): Promise<RunRecord> {
  const { options, kafka, topics } = context;
  const { topic, partitions } = await topicFor(run, context);
  const spec: RunSpec = {
    scenario: run.scenario,
    variant: run.variant,
    brokers: kafka.brokers,
    topic,
    messages: options.messages,
    messageBytes: options.messageBytes,
    sendSize: options.sendSize,
    groupId: uniqueName(`kafka-otel-bench-${run.scenario}-${run.variant}`),
    partitions,
    kafkaOtelEntry: context.kafkaOtelEntry,
    confluentClientDir:
      clientOf(run.variant) === 'confluent' ? context.confluentClient?.installDir : undefined,
    timeoutMs: runTimeoutMs(options.messages),
  };
  const probe = startLoadProbe(kafka.brokerPids);
  const result = await runChild(spec, {
    childEntry: context.childEntry,
    signal: context.signal,
    nodeFlags: nodeFlagsFor(options, run),
  });
  const otherCores = probe.otherCores(result.lifetimeCpuMicros);
  if (!isConsumeScenario(run.scenario)) {
    const records = await topics.recordCount(topic);
    if (records !== options.messages) {
      throw new BenchError(
        `The ${run.variant} produce run reported success, but its topic ${topic} holds ${records} records instead of ${options.messages}.`,
      );
    }
  }
  return { ...run, result, otherCores };
}

function describeRecord(record: RunRecord, total: number, index: number): string {
  const { result } = record;
  const parts = [
    `${Math.round(throughput(result)).toLocaleString('en-US')} msg/s`,
    `${cpuMicrosPerMessage(result).toFixed(1)} µs CPU/msg`,
    `heap ${(result.heapUsedAfterGcBytes / 1024 / 1024).toFixed(1)} MiB`,
  ];
  if (result.spansExported !== undefined) parts.push(`${result.spansExported} spans`);
  if (record.otherCores !== undefined) parts.push(`others ${record.otherCores.toFixed(2)} cores`);
  return `[${index}/${total}] ${record.scenario} round ${record.round} ${record.variant}: ${parts.join(', ')}`;
}

/** The cached Confluent client install, built first when missing (about 2 minutes). */
async function prepareConfluentClient(log: Log): Promise<ConfluentClient> {
  try {
    const client = await ensureConfluentClient({ log });
    log(
      `Confluent client ${client.version} from ${client.installDir}${client.cached ? '' : ` (built in ${Math.round(client.seconds)} s)`}.`,
    );
    return client;
  } catch (error) {
    throw new BenchError(
      `The Confluent variants need @confluentinc/kafka-javascript (npm run confluent-client): ${(error as Error).message}`,
    );
  }
}

export async function runClientBench(
  options: ClientBenchOptions,
  signal: AbortSignal,
  log: Log,
): Promise<ClientBenchReport> {
  const startedAt = new Date();
  const code = readCodeVersion(options.gitRef);
  const plan = planRuns(options.scenarios, options.variants, options.rounds);
  const build = await prepareBuiltPackage({
    build: options.build,
    gitRef: options.gitRef,
    signal,
    log,
  });
  let kafka: KafkaTarget | undefined;
  let topics: BenchTopics | undefined;
  try {
    const childEntry = compileChildProgram(path.join(build.dir, 'bench-child'));
    const confluentClient = options.variants.some((v) => clientOf(v) === 'confluent')
      ? await prepareConfluentClient(log)
      : undefined;
    kafka = await acquireKafka({
      brokers: options.brokers,
      own: CLIENT_BENCH_CLUSTER,
      signal,
      log,
    });
    topics = new BenchTopics(kafka.brokers);
    await topics.connect();
    const consumeTopic = options.scenarios.some(isConsumeScenario)
      ? await fillConsumeTopic(topics, options, log)
      : undefined;
    log(
      `${plan.length} runs: ${options.scenarios.join(', ')} × ${options.variants.join(', ')} × ${options.rounds} round(s).`,
    );
    const records: RunRecord[] = [];
    for (const [index, run] of plan.entries()) {
      if (signal.aborted) throw new InterruptedError();
      const record = await executeRun(run, {
        options,
        kafka,
        topics,
        consumeTopic,
        kafkaOtelEntry: build.entry,
        confluentClient,
        childEntry,
        signal,
      });
      records.push(record);
      log(describeRecord(record, plan.length, index + 1));
    }
    const disturbed = records.filter((r) => (r.otherCores ?? 0) >= DISTURBED_RUN_CORES).length;
    if (disturbed > 0) {
      log(
        `Note: other processes used ${DISTURBED_RUN_CORES}+ core during ${disturbed} of ${records.length} runs; the report says so. Rerun on a quiet machine for steadier figures.`,
      );
    }
    return {
      options,
      records,
      machine: readMachineInfo(),
      versions: readVersions(
        kafka.kafkaVersion,
        code,
        confluentClient && readConfluentVersions(confluentClient.packageDir),
      ),
      kafkaDescription: kafka.description,
      startedAt,
      finishedAt: new Date(),
    };
  } finally {
    await topics?.close(log);
    await kafka?.release();
    build.dispose();
  }
}
