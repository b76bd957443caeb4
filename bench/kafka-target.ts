/**
 * The Kafka a benchmark runs against: the brokers the user named (`--brokers` or KAFKA_BROKERS),
 * or a local cluster of the launcher (scripts/local-kafka) owned by that benchmark, started (or
 * reused when already running) and stopped at the end only when the benchmark started it.
 */
import { clusterStatus, startCluster, stopCluster } from '../scripts/local-kafka';
import { knownClusters } from '../scripts/local-kafka/cluster-state';

/** A launcher cluster of the benchmark's own, on ports nobody else uses. */
export interface OwnCluster {
  name: string;
  basePort: number;
  nodes: number;
  /** Launcher variables for its start (e.g. KAFKA_OTEL_KAFKA_HEAP_MB). */
  env?: Record<string, string>;
}

export interface KafkaTarget {
  brokers: string[];
  /** Broker version, or a note saying why it is unknown. */
  kafkaVersion: string;
  /** Where the brokers come from, for the report. */
  description: string;
  /** True for the benchmark's own cluster, false for brokers the user named. */
  owned: boolean;
  /** Broker nodes, when known (a launcher cluster), else the count of named brokers. */
  nodeCount: number;
  /** The broker JVMs' pids when they run on this machine (launcher clusters). */
  brokerPids: number[];
  /** Stops the cluster if the bench started it. */
  release(): Promise<void>;
}

/** The launcher cluster serving exactly these brokers, to report its version and broker pids. */
function localClusterServing(brokers: string[]) {
  return knownClusters()
    .map((cluster) => clusterStatus({ cluster }))
    .find(
      (status) =>
        status !== undefined &&
        brokers.every((broker) => status.nodes.some((node) => node.up && node.address === broker)),
    );
}

function pidsOf(status: ReturnType<typeof clusterStatus>): number[] {
  return (status?.nodes ?? [])
    .map((node) => node.pid)
    .filter((pid): pid is number => typeof pid === 'number');
}

export async function acquireKafka(options: {
  brokers: string[] | undefined;
  /** The cluster to start when no brokers are named. */
  own: OwnCluster;
  signal: AbortSignal;
  log: (line: string) => void;
}): Promise<KafkaTarget> {
  const named =
    options.brokers ??
    process.env.KAFKA_BROKERS?.split(',')
      .map((b) => b.trim())
      .filter(Boolean);
  if (named && named.length > 0) {
    const local = localClusterServing(named);
    return {
      brokers: named,
      kafkaVersion: local?.kafkaVersion ?? 'unknown (brokers not started by scripts/local-kafka)',
      description: local
        ? `existing local cluster '${local.cluster}' (${local.nodes.length} node(s)) at ${named.join(',')}`
        : `existing brokers ${named.join(',')}`,
      owned: false,
      nodeCount: local?.nodes.length ?? named.length,
      brokerPids: pidsOf(local),
      release: () => Promise.resolve(),
    };
  }

  const { own } = options;
  const started = await startCluster({
    cluster: own.name,
    nodes: own.nodes,
    basePort: own.basePort,
    env: { ...process.env, ...own.env },
    log: (line) => options.log(`[local-kafka] ${line}`),
    signal: options.signal,
  });
  options.log(
    `${started.alreadyRunning ? 'Reusing' : 'Started'} Kafka ${started.kafkaVersion} cluster '${own.name}' at ${started.brokers.join(',')}.`,
  );
  const shape = own.nodes === 1 ? 'single-node' : `${own.nodes}-node`;
  return {
    brokers: started.brokers,
    kafkaVersion: started.kafkaVersion,
    description: `local ${shape} cluster '${own.name}' (scripts/local-kafka) at ${started.brokers.join(',')}`,
    owned: true,
    nodeCount: own.nodes,
    brokerPids: pidsOf(clusterStatus({ cluster: own.name })),
    release: async () => {
      if (started.alreadyRunning) return;
      options.log(`Stopping the Kafka cluster '${own.name}' the bench started...`);
      await stopCluster({ cluster: own.name });
    },
  };
}
