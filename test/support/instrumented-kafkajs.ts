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

export interface InstrumentedKafkaJs {
  harness: TelemetryHarness;
  instrumentation: KafkaJsInstrumentation;
  kafkajs: typeof KafkaJs;
  brokers: string[];
  /** A quiet client with short retries, so failures surface fast. */
  createKafka: (clientId?: string) => KafkaJs.Kafka;
  shutdown: () => Promise<void>;
}

export function instrumentKafkaJs(config: KafkaJsInstrumentationConfig = {}): InstrumentedKafkaJs {
  const harness = new TelemetryHarness();
  const instrumentation = new KafkaJsInstrumentation(config);
  instrumentation.setTracerProvider(harness.tracerProvider);
  instrumentation.setMeterProvider(harness.meterProvider);
  instrumentation.enable();
  const kafkajs = createRequire(import.meta.url)('kafkajs') as typeof KafkaJs;
  const brokers = inject('kafkaBrokers');
  return {
    harness,
    instrumentation,
    kafkajs,
    brokers,
    createKafka: (clientId = uniqueName('otel-test')) =>
      new kafkajs.Kafka({
        clientId,
        brokers,
        logLevel: kafkajs.logLevel.NOTHING,
        retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
      }),
    async shutdown() {
      instrumentation.disable();
      await harness.shutdown();
    },
  };
}
