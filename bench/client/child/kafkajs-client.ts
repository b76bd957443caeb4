/** KafkaJS as the scenarios drive it (see bench-client.ts), configured as the bench always was. */
import type * as KafkaJs from 'kafkajs';
import type { RunSpec } from '../run-contract';
import type { BenchClient, BenchConsumer, BenchProducer } from './bench-client';

export function kafkaJsClient(kafkajs: typeof KafkaJs, spec: RunSpec): BenchClient {
  const kafka = new kafkajs.Kafka({
    clientId: `kafka-otel-bench-${spec.variant}`,
    brokers: spec.brokers,
    // Errors still reach stderr; KafkaJS's INFO lines (group joins, ...) would only add noise.
    logLevel: kafkajs.logLevel.ERROR,
  });
  return {
    async connectProducer(): Promise<BenchProducer> {
      const producer = kafka.producer({
        createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
        // A Produce request retried after a timeout on a loaded machine must not write twice:
        // the bench checks the topic holds exactly `messages` records.
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await producer.connect();
      return {
        send: (topic, messages) => producer.send({ topic, messages }),
        disconnect: () => producer.disconnect(),
      };
    },
    consumer(groupId, onCrash): BenchConsumer {
      const consumer = kafka.consumer({ groupId });
      consumer.on(consumer.events.CRASH, ({ payload }) =>
        onCrash(
          new Error(`the consumer crashed: ${payload.error.message}`, { cause: payload.error }),
        ),
      );
      return {
        connect: () => consumer.connect(),
        subscribe: (topic) => consumer.subscribe({ topic, fromBeginning: true }),
        run: (handlers) => consumer.run(handlers),
        disconnect: () => consumer.disconnect(),
      };
    },
  };
}
