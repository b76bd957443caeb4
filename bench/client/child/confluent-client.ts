/**
 * `@confluentinc/kafka-javascript`'s KafkaJS API as the scenarios drive it (see
 * bench-client.ts), loaded from the cached install the bench names (never from node_modules:
 * the client is not a dependency of the project), with the settings of confluent-settings.ts.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { CONFLUENT_PRODUCER_OPTIONS, CONFLUENT_PRODUCER_PROPERTIES } from '../confluent-settings';
import type { RunSpec } from '../run-contract';
import type {
  BenchClient,
  BenchConsumer,
  BenchProducer,
  ConsumeHandlers,
  OutgoingMessage,
} from './bench-client';

/** The part of the client the bench uses: its KafkaJS API takes `kafkaJS` options and librdkafka properties. */
interface ConfluentKafka {
  producer(config: Record<string, unknown>): {
    connect(): Promise<void>;
    send(record: { topic: string; messages: OutgoingMessage[] }): Promise<unknown>;
    disconnect(): Promise<void>;
  };
  consumer(config: Record<string, unknown>): {
    connect(): Promise<void>;
    subscribe(subscription: { topics: string[] }): Promise<void>;
    run(config: ConsumeHandlers): Promise<void>;
    disconnect(): Promise<void>;
  };
}

interface ConfluentModule {
  KafkaJS: {
    Kafka: new (config: Record<string, unknown>) => ConfluentKafka;
    logLevel: { ERROR: number };
  };
}

/**
 * Requires the client from `installDir`'s node_modules. Call it after the variant's
 * instrumentation is registered: it patches the client's modules as they load.
 */
export function loadConfluentModule(installDir: string): ConfluentModule {
  return createRequire(path.join(installDir, 'package.json'))(
    '@confluentinc/kafka-javascript',
  ) as ConfluentModule;
}

export function confluentClient(client: ConfluentModule, spec: RunSpec): BenchClient {
  const kafka = new client.KafkaJS.Kafka({
    kafkaJS: {
      clientId: `kafka-otel-bench-${spec.variant}`,
      brokers: spec.brokers,
      logLevel: client.KafkaJS.logLevel.ERROR,
    },
  });
  return {
    async connectProducer(): Promise<BenchProducer> {
      const producer = kafka.producer({
        kafkaJS: { ...CONFLUENT_PRODUCER_OPTIONS },
        ...CONFLUENT_PRODUCER_PROPERTIES,
      });
      await producer.connect();
      return {
        send: (topic, messages) => producer.send({ topic, messages }),
        disconnect: () => producer.disconnect(),
      };
    },
    // No crash to hear of: the client logs a failed handler and delivers its messages again,
    // which the delivery tracker reports as duplicates.
    consumer(groupId): BenchConsumer {
      // fromBeginning belongs to the consumer's config in this API, not to subscribe().
      const consumer = kafka.consumer({ kafkaJS: { groupId, fromBeginning: true } });
      return {
        connect: () => consumer.connect(),
        subscribe: (topic) => consumer.subscribe({ topics: [topic] }),
        run: (handlers) => consumer.run(handlers),
        disconnect: () => consumer.disconnect(),
      };
    },
  };
}
