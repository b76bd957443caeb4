/**
 * Global setup of the `integration` project: one real single-node Kafka for every test file.
 * KAFKA_BROKERS set in the environment wins (a cluster someone already runs); otherwise the
 * local cluster `test` on base port 29092 is started, or reused when already running, and
 * stopped at the end only if this run started it. That cluster is --secure (SASL_SSL on 29102,
 * mTLS on 29112 besides PLAINTEXT on 29092), so tests can reach Kafka through every listener.
 * Also provides `@confluentinc/kafka-javascript` (scripts/confluent-client: built on first use,
 * cached per Node ABI) for the tests that run on that client.
 */
import type { TestProject } from 'vitest/node';
import {
  clusterStatus,
  startCluster,
  stopCluster,
  type ClusterStatus,
} from '../../scripts/local-kafka';
import { provideConfluentClient } from '../support/confluent-client-setup';
import '../support/provided-context';
import { listLocalClusters } from '../support/local-clusters';

const CLUSTER = 'test';
const BASE_PORT = 29092;

/** The launcher cluster that serves exactly these brokers, so launcher tests can inspect it. */
function localClusterServing(brokers: string[]): ClusterStatus | undefined {
  return listLocalClusters()
    .map((name) => clusterStatus({ cluster: name }))
    .find(
      (s): s is ClusterStatus =>
        s !== undefined && brokers.every((b) => s.nodes.some((n) => n.address === b)),
    );
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await provideConfluentClient(project, (line) => console.log(`[confluent-client] ${line}`));
  const external = process.env.KAFKA_BROKERS?.trim();
  if (external) {
    const brokers = external.split(',').map((b) => b.trim());
    const serving = localClusterServing(brokers);
    project.provide('kafkaBrokers', brokers);
    project.provide('localKafkaCluster', serving?.cluster ?? null);
    project.provide('kafkaSecurity', serving?.security ?? null);
    return () => Promise.resolve();
  }

  // KAFKA_OTEL_KAFKA_VERSION (e.g. 3.9) runs the suite against another Kafka line; each version
  // gets its own cluster name because formatted data only fits the version that wrote it.
  const version = process.env.KAFKA_OTEL_KAFKA_VERSION?.trim() || undefined;
  const cluster = version ? `${CLUSTER}-kafka-${version}` : CLUSTER;
  // A cluster made before the suite needed the secured listeners is recreated once (its data is
  // only test topics); a secure one is reused as usual.
  const existing = clusterStatus({ cluster });
  const fresh = existing !== undefined && !existing.secure;
  if (fresh) console.log(`[local-kafka] Recreating '${cluster}' with --secure listeners.`);
  const result = await startCluster({
    cluster,
    nodes: 1,
    basePort: BASE_PORT,
    kafkaVersion: version,
    secure: true,
    fresh,
    log: (line) => console.log(`[local-kafka] ${line}`),
  });
  console.log(
    `[local-kafka] ${result.alreadyRunning ? 'Reusing' : 'Started'} Kafka ${result.kafkaVersion} '${cluster}' at ${result.brokers.join(',')} (${(result.elapsedMs / 1000).toFixed(1)} s)`,
  );
  // Subprocesses of tests (CLIs, examples) find the cluster the same way users' tools do.
  process.env.KAFKA_BROKERS = result.brokers.join(',');
  project.provide('kafkaBrokers', result.brokers);
  project.provide('localKafkaCluster', cluster);
  project.provide('kafkaSecurity', result.security ?? null);

  return async () => {
    delete process.env.KAFKA_BROKERS;
    if (result.alreadyRunning) return;
    await stopCluster({ cluster });
  };
}
