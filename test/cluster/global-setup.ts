/**
 * Global setup of the `cluster` project: a fresh three-node KRaft cluster `test3` on base port
 * 39092 (brokers 39092-39094, controllers 39192-39194) for replication, quorum and failover
 * tests, stopped when the run ends.
 */
import type { TestProject } from 'vitest/node';
import { startCluster, stopCluster } from '../../scripts/local-kafka';
import '../support/provided-context';

const CLUSTER = 'test3';
const BASE_PORT = 39092;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const result = await startCluster({
    cluster: CLUSTER,
    nodes: 3,
    basePort: BASE_PORT,
    // Failover tests stop and start nodes: always begin from clean data and all nodes up.
    fresh: true,
    // The broker JMX tests read every node's MBeans through its Jolokia agent (BASE+60+N-1).
    jmx: true,
    kafkaVersion: process.env.KAFKA_OTEL_KAFKA_VERSION?.trim() || undefined,
    log: (line) => console.log(`[local-kafka] ${line}`),
  });
  console.log(
    `[local-kafka] Started Kafka ${result.kafkaVersion} '${CLUSTER}' at ${result.brokers.join(',')} (${(result.elapsedMs / 1000).toFixed(1)} s)`,
  );
  project.provide('kafkaBrokers', result.brokers);
  project.provide('localKafkaCluster', CLUSTER);
  project.provide('jolokiaUrls', result.jolokiaUrls ?? []);
  return async () => {
    await stopCluster({ cluster: CLUSTER });
  };
}
