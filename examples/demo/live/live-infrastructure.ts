/**
 * What the live demo runs on: the local Kafka (or KAFKA_BROKERS) and the otel stack
 * (Collector, Prometheus, Jaeger) with the demo's alert rules and the cluster collector as a
 * scrape target. Each is started or reused; `stop` stops only what this run started, and gives
 * a reused stack its own rules and targets back.
 */
import { startCluster, stopCluster } from '../../../scripts/local-kafka';
import {
  setRuleFiles,
  setScrapeTargets,
  stackStatus,
  startStack,
  stopStack,
  type ScrapeTarget,
  type StackInfo,
} from '../../../scripts/otel-stack';
import { COLLECTOR_JOB } from './cluster-exporter';

/**
 * The live demo's own Kafka, beside the one-shot demo's (`local`, 19092): the live demo leaves
 * backlogs, stopped groups and probe topics behind, which would cloud the one-shot's short
 * report, and each can run while the other's cluster is up.
 */
export const LIVE_CLUSTER = 'demo';
export const LIVE_KAFKA_PORT = 19_292;

export interface Infrastructure {
  brokers: string[];
  stack: StackInfo;
  /** Lines saying what was started and what reused. */
  summary: string[];
  stop(log: (line: string) => void): Promise<void>;
}

export interface InfrastructureOptions {
  stackName: string;
  ruleFile: string;
  /** host:port of the cluster collector's /metrics. */
  collectTarget: string;
  keepKafka: boolean;
  keepStack: boolean;
  log: (line: string) => void;
  signal: AbortSignal;
}

async function startKafka(options: InfrastructureOptions) {
  const fromEnv = process.env.KAFKA_BROKERS?.split(',').filter(Boolean);
  if (fromEnv?.length) return { brokers: fromEnv, started: false, source: 'KAFKA_BROKERS' };
  const started = await startCluster({
    cluster: LIVE_CLUSTER,
    basePort: LIVE_KAFKA_PORT,
    log: (line) => options.log(`  kafka: ${line}`),
    signal: options.signal,
  });
  return {
    brokers: started.brokers,
    started: started.startedNodes.length > 0,
    source: `local cluster '${started.cluster}'`,
  };
}

async function startOtelStack(options: InfrastructureOptions) {
  const before = stackStatus({ name: options.stackName });
  const previous = before?.up
    ? { scrapeTargets: before.state.scrapeTargets, ruleFiles: before.state.ruleFiles ?? [] }
    : undefined;
  const collectorTarget: ScrapeTarget = { job: COLLECTOR_JOB, target: options.collectTarget };
  const stack = await startStack({
    name: options.stackName,
    ruleFiles: [options.ruleFile],
    scrapeTargets: [
      ...(previous?.scrapeTargets.filter((t) => t.job !== COLLECTOR_JOB) ?? []),
      collectorTarget,
    ],
    log: (line) => options.log(`  otel-stack: ${line}`),
    signal: options.signal,
  });
  return { stack, previous: stack.alreadyRunning ? previous : undefined };
}

/** Starts both at once (each takes seconds); if one fails, stops the other if it started it. */
export async function startInfrastructure(options: InfrastructureOptions): Promise<Infrastructure> {
  const [kafka, otel] = await Promise.allSettled([startKafka(options), startOtelStack(options)]);
  const stopKafka = async () => {
    if (kafka.status === 'fulfilled' && kafka.value.started && !options.keepKafka) {
      await stopCluster({ cluster: LIVE_CLUSTER });
    }
  };
  const stopOtel = async () => {
    if (otel.status !== 'fulfilled') return;
    const { stack, previous } = otel.value;
    if (previous) {
      await setScrapeTargets(previous.scrapeTargets, { name: stack.name });
      await setRuleFiles(previous.ruleFiles, { name: stack.name });
    } else if (!stack.alreadyRunning && !options.keepStack) {
      await stopStack({ name: stack.name });
    }
  };
  if (kafka.status === 'rejected' || otel.status === 'rejected') {
    await Promise.allSettled([stopKafka(), stopOtel()]);
    throw kafka.status === 'rejected' ? kafka.reason : (otel as PromiseRejectedResult).reason;
  }
  const { brokers, started, source } = kafka.value;
  const { stack } = otel.value;
  const fate = (isNew: boolean, keep: boolean, stop: string) =>
    !isNew
      ? 'already running, left running at the end'
      : keep
        ? `started, left running at the end (stop it with: ${stop})`
        : 'started, stopped at the end';
  return {
    brokers,
    stack,
    summary: [
      `Kafka ${brokers.join(',')} (${source}): ${
        source === 'KAFKA_BROKERS'
          ? 'given, left alone'
          : fate(started, options.keepKafka, `npm run kafka -- stop --cluster ${LIVE_CLUSTER}`)
      }`,
      `otel stack '${stack.name}': ${fate(
        !stack.alreadyRunning,
        options.keepStack,
        `npm run otel-stack -- stop --name ${stack.name}`,
      )}`,
    ],
    async stop(log) {
      const results = await Promise.allSettled([stopKafka(), stopOtel()]);
      for (const result of results) {
        if (result.status === 'rejected') log(`cleanup failed: ${String(result.reason)}`);
      }
    },
  };
}
