import { Kafka, logLevel, Partitioners, type ProducerConfig } from 'kafkajs';
import { inject } from 'vitest';
import { uniqueName } from './names';

/** Brokers of the cluster the current suite runs against (from the project's global setup). */
export function injectedBrokers(): string[] {
  return inject('kafkaBrokers');
}

/** A KafkaJS client for the suite's cluster; quiet, with short timeouts so failures surface fast. */
export function createTestKafka(options: { brokers?: string[]; clientId?: string } = {}): Kafka {
  return new Kafka({
    clientId: options.clientId ?? uniqueName('kafka-otel-test'),
    brokers: options.brokers ?? injectedBrokers(),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
  });
}

/**
 * Producer options for tests: the explicit DefaultPartitioner silences KafkaJS 2's warning about
 * the partitioner change, acks=-1 (required by idempotence) makes writes wait for
 * min.insync.replicas.
 */
export const testProducerConfig: ProducerConfig = {
  createPartitioner: Partitioners.DefaultPartitioner,
  allowAutoTopicCreation: false,
  // Tests count the records in the log: a retried Produce (a slow, loaded CI machine) must not
  // write a batch twice, which only the idempotent producer guarantees.
  idempotent: true,
  maxInFlightRequests: 1,
};
