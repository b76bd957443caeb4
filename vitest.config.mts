import { defineConfig } from 'vitest/config';

// Three suites, each a vitest project:
//  - unit:        no broker, fast, fakes allowed for logic that needs no Kafka;
//  - integration: a real single-node Kafka started once per run by the global setup
//                 (or the cluster named by KAFKA_BROKERS);
//  - cluster:     a real three-node KRaft cluster for replication, quorum and failover.
// Integration and cluster files run one at a time: they share brokers and measure timing.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          globalSetup: ['test/cluster/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
