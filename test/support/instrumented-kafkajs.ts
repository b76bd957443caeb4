/**
 * KafkaJS loaded under the instrumentation, for tests of the instrumentation itself.
 *
 * The instrumentation hooks `require`: kafkajs must be required after `enable()`, through
 * Node's own require. A static `import 'kafkajs'` in a vitest file is loaded through the ESM
 * loader instead and escapes the hook, so test files of the instrumentation never import kafkajs
 * at runtime (type imports are fine) and use the module returned here.
 */
import type * as KafkaJs from 'kafkajs';
import { createRequire } from 'node:module';
import { inject } from 'vitest';
import { KafkaJsInstrumentation, type KafkaJsInstrumentationConfig } from '../../src';
import { uniqueName } from './names';
import { TelemetryHarness } from './telemetry-harness';
import { waitFor } from './wait-for';

export interface InstrumentedKafkaJs {
  harness: TelemetryHarness;
  instrumentation: KafkaJsInstrumentation;
  kafkajs: typeof KafkaJs;
  brokers: string[];
  /** A quiet client with short retries, so failures surface fast. */
  createKafka: (clientId?: string) => KafkaJs.Kafka;
  /** Creates a topic with the instrumented client and waits until every partition has a leader. */
  createTopic: (partitions?: number, prefix?: string) => Promise<string>;
  shutdown: () => Promise<void>;
}

export function instrumentKafkaJs(config: KafkaJsInstrumentationConfig = {}): InstrumentedKafkaJs {
  const nodeRequire = createRequire(import.meta.url);
  // The files the instrumentation patches; other kafkajs internals (the protocol encoder a
  // fake server uses, say) may load first without harm.
  const loaded = Object.keys(nodeRequire.cache).find((file) =>
    /[\\/]kafkajs[\\/](index\.js|src[\\/]index\.js|src[\\/]network[\\/]connection\.js|src[\\/]producer[\\/]groupMessagesPerPartition\.js)$/.test(
      file,
    ),
  );
  if (loaded) {
    // Patching would then be partial (internal modules captured unpatched): fail loudly instead
    // of letting assertions pass or fail for the wrong reason.
    throw new Error(
      `kafkajs (${loaded}) was loaded before the instrumentation was enabled: a test or support module imports kafkajs at runtime`,
    );
  }
  const harness = new TelemetryHarness();
  const instrumentation = new KafkaJsInstrumentation(config);
  instrumentation.setTracerProvider(harness.tracerProvider);
  instrumentation.setMeterProvider(harness.meterProvider);
  instrumentation.enable();
  const kafkajs = nodeRequire('kafkajs') as typeof KafkaJs;
  const brokers = inject('kafkaBrokers');
  const createKafka = (clientId = uniqueName('otel-test')) =>
    new kafkajs.Kafka({
      clientId,
      brokers,
      logLevel: kafkajs.logLevel.NOTHING,
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
  return {
    harness,
    instrumentation,
    kafkajs,
    brokers,
    createKafka,
    createTopic: async (partitions = 1, prefix = 'instrumented') => {
      const topic = uniqueName(prefix);
      const admin = createKafka('topic-admin').admin();
      await admin.connect();
      try {
        // Leaders are waited for below: KafkaJS's own wait gives up on the UNKNOWN_TOPIC_OR_PARTITION
        // a freshly started KRaft broker answers while the new topic's metadata propagates.
        await admin.createTopics({
          topics: [{ topic, numPartitions: partitions }],
          waitForLeaders: false,
        });
        await waitFor(
          async () => {
            const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
            const found = topics[0]?.partitions ?? [];
            return found.length === partitions && found.every((p) => p.leader >= 0);
          },
          { description: `leaders for ${topic}`, intervalMs: 100 },
        );
      } finally {
        await admin.disconnect();
      }
      return topic;
    },
    shutdown: async () => {
      instrumentation.disable();
      await harness.shutdown();
    },
  };
}
