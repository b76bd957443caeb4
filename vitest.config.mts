import { defineConfig } from 'vitest/config';

// Four suites, each a vitest project:
//  - unit:        no broker, fast, fakes allowed for logic that needs no Kafka;
//  - integration: a real single-node Kafka started once per run by the global setup
//                 (or the cluster named by KAFKA_BROKERS);
//  - cluster:     a real three-node KRaft cluster for replication, quorum and failover;
//  - e2e:         the real export pipeline (OpenTelemetry Collector, Prometheus, Jaeger from
//                 scripts/otel-stack) and a single-node Kafka, with apps under kafka-otel/register.
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
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Builds the Collector and Jaeger on first use (minutes, then cached) and starts them.
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          // After the other projects: its apps and exporters do not compete for the CPU with
          // their timing-sensitive tests. (Global setups, this build included, run before all.)
          sequence: { groupOrder: 1 },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
