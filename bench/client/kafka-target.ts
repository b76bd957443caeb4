/**
 * The Kafka the bench runs against: the brokers the user named (`--brokers` or KAFKA_BROKERS),
 * or the launcher's own single-node cluster `bench`, started (or reused when already running)
 * and stopped at the end only when this bench started it.
 */
import { clusterStatus, startCluster, stopCluster } from '../../scripts/local-kafka';
import { knownClusters } from '../../scripts/local-kafka/cluster-state';

/** Its own cluster and ports, so the bench never shares a broker with a test run. */
export const BENCH_CLUSTER = 'bench';
export const BENCH_BASE_PORT = 59092;

export interface KafkaTarget {
  brokers: string[];
  /** Broker version, or a note saying why it is unknown. */
  kafkaVersion: string;
  /** Where the brokers come from, for the report. */
  description: string;
  /** The broker JVM's pid when it runs on this machine (single-node local clusters). */
  brokerPid: number | undefined;
  /** Stops the cluster if the bench started it. */
  release(): Promise<void>;
}

/** The launcher cluster serving exactly these brokers, to report its version and broker pid. */
function localClusterServing(brokers: string[]) {
  return knownClusters()
    .map((cluster) => clusterStatus({ cluster }))
    .find(
      (status) =>
        status !== undefined &&
        brokers.every((broker) => status.nodes.some((node) => node.up && node.address === broker)),
    );
}

export async function acquireKafka(options: {
  brokers: string[] | undefined;
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
      brokerPid: local?.nodes.length === 1 ? local.nodes[0]?.pid : undefined,
      release: () => Promise.resolve(),
    };
  }

  const started = await startCluster({
    cluster: BENCH_CLUSTER,
    nodes: 1,
    basePort: BENCH_BASE_PORT,
    log: (line) => options.log(`[local-kafka] ${line}`),
    signal: options.signal,
  });
  options.log(
    `${started.alreadyRunning ? 'Reusing' : 'Started'} Kafka ${started.kafkaVersion} cluster '${BENCH_CLUSTER}' at ${started.brokers.join(',')}.`,
  );
  return {
    brokers: started.brokers,
    kafkaVersion: started.kafkaVersion,
    description: `local single-node cluster '${BENCH_CLUSTER}' (scripts/local-kafka) at ${started.brokers.join(',')}`,
    brokerPid: clusterStatus({ cluster: BENCH_CLUSTER })?.nodes[0]?.pid,
    release: async () => {
      if (started.alreadyRunning) return;
      options.log(`Stopping the Kafka cluster '${BENCH_CLUSTER}' the bench started...`);
      await stopCluster({ cluster: BENCH_CLUSTER });
    },
  };
}
