/**
 * What the live demo runs on: the local Kafka with its brokers' Jolokia agents and a Kafka
 * Connect worker (or KAFKA_BROKERS, with Connect and JMX only when their URLs are given too),
 * and the otel stack (Collector, Prometheus, Jaeger) with the demo's alert rules and the cluster
 * collector as a scrape target. Each is started or reused; `stop` stops only what this run
 * started, and gives a reused stack its own rules and targets back.
 */
import { startCluster, startConnect, stopCluster, stopConnect } from '../../../scripts/local-kafka';
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

/** A Kafka Connect worker: its REST API, and its Jolokia agent when it has one. */
export interface ConnectEndpoints {
  url: string;
  jolokiaUrl?: string;
}

export interface Infrastructure {
  brokers: string[];
  /** The Connect worker the demo's connectors run on; none for KAFKA_BROKERS without KAFKA_CONNECT_URL. */
  connect?: ConnectEndpoints;
  /** One Jolokia agent per broker, for the brokers' own metrics; none when not known. */
  brokerJolokiaUrls?: string[];
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

/** A comma-separated list from the environment; undefined when unset or empty. */
function listFromEnv(name: string): string[] | undefined {
  const values = process.env[name]?.split(',').filter(Boolean);
  return values?.length ? values : undefined;
}

/**
 * Kafka and, with it, the brokers' Jolokia agents and a Connect worker. A given Kafka
 * (KAFKA_BROKERS) comes with them only when told where they are, with the variables the
 * launcher prints: KAFKA_CONNECT_URL, KAFKA_CONNECT_JOLOKIA_URL and KAFKA_JOLOKIA_URLS.
 */
async function startKafka(options: InfrastructureOptions) {
  const fromEnv = listFromEnv('KAFKA_BROKERS');
  if (fromEnv) {
    const connectUrl = process.env.KAFKA_CONNECT_URL;
    const connectJolokiaUrl = process.env.KAFKA_CONNECT_JOLOKIA_URL;
    return {
      brokers: fromEnv,
      started: false,
      connectStarted: false,
      source: 'KAFKA_BROKERS',
      connect: connectUrl
        ? { url: connectUrl, ...(connectJolokiaUrl ? { jolokiaUrl: connectJolokiaUrl } : {}) }
        : undefined,
      brokerJolokiaUrls: listFromEnv('KAFKA_JOLOKIA_URLS'),
    };
  }
  const started = await startCluster({
    cluster: LIVE_CLUSTER,
    basePort: LIVE_KAFKA_PORT,
    jmx: true,
    log: (line) => options.log(`  kafka: ${line}`),
    signal: options.signal,
  }).catch((error: Error) => {
    // A 'demo' cluster left running by an older demo has no agents, and keeps them off.
    throw new Error(
      `${error.message}\n(the live demo runs its Kafka with --jmx; stop the old one first: npm run kafka -- stop --cluster ${LIVE_CLUSTER})`,
      { cause: error },
    );
  });
  const clusterStarted = started.startedNodes.length > 0;
  try {
    const connect = await startConnect({
      cluster: LIVE_CLUSTER,
      log: (line) => options.log(`  connect: ${line}`),
      signal: options.signal,
    });
    return {
      brokers: started.brokers,
      started: clusterStarted,
      connectStarted: !connect.alreadyRunning,
      source: `local cluster '${started.cluster}'`,
      connect: { url: connect.url, jolokiaUrl: connect.jolokiaUrl },
      brokerJolokiaUrls: started.jolokiaUrls,
    };
  } catch (error) {
    if (clusterStarted && !options.keepKafka) await stopCluster({ cluster: LIVE_CLUSTER });
    throw error;
  }
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
    if (kafka.status !== 'fulfilled' || options.keepKafka) return;
    // Stopping the cluster stops its worker too; a worker started on a reused cluster alone.
    if (kafka.value.started) await stopCluster({ cluster: LIVE_CLUSTER });
    else if (kafka.value.connectStarted) await stopConnect({ cluster: LIVE_CLUSTER });
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
  const { brokers, started, connectStarted, source, connect, brokerJolokiaUrls } = kafka.value;
  const { stack } = otel.value;
  const fate = (isNew: boolean, keep: boolean, stop: string) =>
    !isNew
      ? 'already running, left running at the end'
      : keep
        ? `started, left running at the end (stop it with: ${stop})`
        : 'started, stopped at the end';
  return {
    brokers,
    ...(connect ? { connect } : {}),
    ...(brokerJolokiaUrls ? { brokerJolokiaUrls } : {}),
    stack,
    summary: [
      `Kafka ${brokers.join(',')} (${source}): ${
        source === 'KAFKA_BROKERS'
          ? 'given, left alone'
          : fate(started, options.keepKafka, `npm run kafka -- stop --cluster ${LIVE_CLUSTER}`)
      }`,
      connect
        ? `Kafka Connect ${connect.url}${connect.jolokiaUrl ? ` (JMX ${connect.jolokiaUrl})` : ''}: ${
            source === 'KAFKA_BROKERS'
              ? 'given, left alone'
              : fate(
                  connectStarted,
                  options.keepKafka,
                  `npm run kafka -- connect stop --cluster ${LIVE_CLUSTER}`,
                )
          }`
        : 'Kafka Connect: none (set KAFKA_CONNECT_URL to watch one)',
      brokerJolokiaUrls
        ? `Brokers' JMX: ${brokerJolokiaUrls.join(',')}`
        : "Brokers' JMX: none (set KAFKA_JOLOKIA_URLS to read it)",
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
