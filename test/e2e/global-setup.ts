/**
 * Global setup of the `e2e` project: the real pipeline and a real Kafka, started once per run,
 * after dist/ is rebuilt if any source is newer than it:
 *  - the otel stack `e2e` (scripts/otel-stack): the Collector running otel-collector.yaml,
 *    Jaeger v2 and Prometheus on a free loopback block searched from 17400 (built and cached
 *    on first use: a cold build takes minutes);
 *  - the single-node Kafka cluster `e2e` on base port 49592 (broker 49592, controller 49692),
 *    with its Jolokia agent (49652) for the broker-internals panels (`inject('jolokiaUrls')`);
 *  - `@confluentinc/kafka-javascript` (scripts/confluent-client, cached) for the app on it.
 * Both are stopped at the end when this run started them.
 */
import type { TestProject } from 'vitest/node';
import { startCluster, stopCluster } from '../../scripts/local-kafka';
import { startStack, stopStack } from '../../scripts/otel-stack';
import '../support/otel-stack-context';
import { provideConfluentClient } from '../support/confluent-client-setup';
import '../support/provided-context';
import { ensureBuilt } from '../support/built-package';

const NAME = 'e2e';
const KAFKA_BASE_PORT = 49_592;
const STACK_PREFERRED_BASE_PORT = 17_400;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The apps run the built package: after an edit, `npm run test:e2e` must not test a stale one.
  ensureBuilt();
  const log = (line: string): void => console.log(`[e2e] ${line}`);
  await provideConfluentClient(project, (line) => log(`confluent-client: ${line}`));
  const kafka = await startCluster({
    cluster: NAME,
    nodes: 1,
    basePort: KAFKA_BASE_PORT,
    jmx: true,
    log: (line) => log(`local-kafka: ${line}`),
  });
  let stack;
  try {
    stack = await startStack({
      name: NAME,
      preferredBasePort: STACK_PREFERRED_BASE_PORT,
      // Tests look for values a second or two after the apps export them.
      scrapeIntervalSeconds: 1,
      // No targets from an earlier run: each test file adds its own.
      scrapeTargets: [],
      log: (line) => log(`otel-stack: ${line}`),
    });
  } catch (error) {
    if (!kafka.alreadyRunning) await stopCluster({ cluster: NAME });
    throw error;
  }
  log(
    `Kafka ${kafka.kafkaVersion} at ${kafka.brokers.join(',')}; Collector ${stack.versions.collector} (OTLP ${stack.urls.otlpHttp}), ` +
      `Prometheus ${stack.urls.prometheus}, Jaeger ${stack.urls.jaeger} (${(stack.elapsedMs / 1000).toFixed(1)} s)`,
  );
  project.provide('kafkaBrokers', kafka.brokers);
  project.provide('localKafkaCluster', NAME);
  project.provide('jolokiaUrls', kafka.jolokiaUrls ?? []);
  project.provide('otelStack', {
    name: stack.name,
    otlpHttp: stack.urls.otlpHttp,
    prometheus: stack.urls.prometheus,
    jaeger: stack.urls.jaeger,
    collectorMetrics: stack.urls.collectorMetrics,
  });

  return async () => {
    if (!stack.alreadyRunning) await stopStack({ name: NAME });
    if (!kafka.alreadyRunning) await stopCluster({ cluster: NAME });
  };
}
