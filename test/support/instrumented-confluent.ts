/**
 * `@confluentinc/kafka-javascript` loaded under an instrumentation, for tests of the
 * instrumentation itself: the counterpart of instrumented-kafkajs.ts.
 *
 * The instrumentation hooks `require`, so the client is required after `enable()`, through
 * Node's own require, from the install the global setup provides (it is not a dependency of the
 * project: see scripts/confluent-client). The instrumentation is passed in rather than made
 * here, so the harness serves any object with the usual instrumentation methods.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { MeterProvider } from '@opentelemetry/api';
import type { TracerProvider } from '@opentelemetry/api';
import { inject } from 'vitest';
import { providedConfluentClient } from './confluent-client-context';
import { uniqueName } from './names';
import type { AccessName } from './secured-access';
import { securedCluster } from './secured-access';
import { TelemetryHarness } from './telemetry-harness';
import { waitFor } from './wait-for';

/** What the harness needs of an instrumentation (any `InstrumentationBase` has it). */
export interface EnablableInstrumentation {
  setTracerProvider(provider: TracerProvider): void;
  setMeterProvider(provider: MeterProvider): void;
  enable(): void;
  disable(): void;
}

/** Header values as the client hands them to handlers: Buffers, an array for a repeated key. */
export type ConfluentHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

export interface ConfluentMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
  timestamp: string;
  headers?: ConfluentHeaders;
}

export interface ConfluentEachMessagePayload {
  topic: string;
  partition: number;
  message: ConfluentMessage;
}

export interface ConfluentEachBatchPayload {
  batch: {
    topic: string;
    partition: number;
    highWatermark: string;
    messages: ConfluentMessage[];
  };
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
}

export interface ConfluentRecordMetadata {
  topicName: string;
  partition: number;
  errorCode: number;
  baseOffset?: string;
}

export interface ConfluentOutgoingMessage {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  partition?: number;
  headers?: Record<string, string | Buffer | (string | Buffer)[] | undefined>;
}

export interface ConfluentProducerRecord {
  topic: string;
  messages: ConfluentOutgoingMessage[];
}

export interface ConfluentTransaction {
  send(record: ConfluentProducerRecord): Promise<ConfluentRecordMetadata[]>;
  sendOffsets(offsets: {
    consumer: ConfluentConsumer;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface ConfluentProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(record: ConfluentProducerRecord): Promise<ConfluentRecordMetadata[]>;
  sendBatch(batch: {
    topicMessages: ConfluentProducerRecord[];
  }): Promise<ConfluentRecordMetadata[]>;
  transaction(): Promise<ConfluentTransaction>;
}

export interface ConfluentConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(subscription: { topics: string[] }): Promise<void>;
  run(config: {
    eachMessage?: (payload: ConfluentEachMessagePayload) => Promise<void>;
    eachBatch?: (payload: ConfluentEachBatchPayload) => Promise<void>;
    eachBatchAutoResolve?: boolean;
  }): Promise<void>;
}

export interface ConfluentAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  createTopics(options: {
    topics: { topic: string; numPartitions?: number; replicationFactor?: number }[];
  }): Promise<boolean>;
  /** Unlike KafkaJS's, resolves to the list of topics itself (not `{ topics }`). */
  fetchTopicMetadata(options: {
    topics: string[];
  }): Promise<{ name: string; partitions: { partitionId: number; leader: number }[] }[]>;
}

/**
 * Settings of a client: the `kafkaJS` block (the KafkaJS-style options the client accepts) and
 * librdkafka properties at the top level (`security.protocol`, `statistics.interval.ms`, ...).
 */
export interface ConfluentClientConfig {
  kafkaJS?: Record<string, unknown>;
  [librdkafkaProperty: string]: unknown;
}

export interface ConfluentKafka {
  producer(config?: ConfluentClientConfig): ConfluentProducer;
  consumer(config: ConfluentClientConfig): ConfluentConsumer;
  admin(config?: ConfluentClientConfig): ConfluentAdmin;
}

/** The part of `require('@confluentinc/kafka-javascript')` the tests use. */
export interface ConfluentModule {
  KafkaJS: {
    Kafka: new (config: ConfluentClientConfig) => ConfluentKafka;
    logLevel: { NOTHING: number; ERROR: number; WARN: number; INFO: number; DEBUG: number };
  };
  librdkafkaVersion: string;
}

export interface InstrumentedConfluent {
  harness: TelemetryHarness;
  instrumentation: EnablableInstrumentation;
  client: ConfluentModule;
  brokers: string[];
  /**
   * A quiet client with short retries, so failures surface fast; through the suite's PLAINTEXT
   * listener, or through one of the secured cluster's ways in.
   */
  createKafka: (clientId?: string, access?: AccessName) => ConfluentKafka;
  /** Creates a topic and waits until every partition has a leader. */
  createTopic: (partitions?: number, prefix?: string) => Promise<string>;
  shutdown: () => Promise<void>;
}

/** Matches a module of the client already in Node's require cache, wherever it was loaded from. */
const CLIENT_MODULE = /[\\/]@confluentinc[\\/]kafka-javascript[\\/]lib[\\/]/;

/**
 * librdkafka properties for one of the secured cluster's ways in (the client's `kafkaJS.ssl`
 * takes only `true`, so the CA and the client certificate go as librdkafka file properties).
 */
export function confluentAccessConfig(access: AccessName): {
  brokers: string[];
  properties: Record<string, string | boolean>;
} {
  const settings = securedCluster();
  if (access === 'mtls') {
    return {
      brokers: settings.mtlsBrokers,
      properties: {
        'security.protocol': 'ssl',
        'ssl.ca.location': settings.caFile,
        'ssl.certificate.location': settings.clientCertFile,
        'ssl.key.location': settings.clientKeyFile,
      },
    };
  }
  const saslSsl = { 'security.protocol': 'sasl_ssl', 'ssl.ca.location': settings.caFile };
  if (access === 'oauthbearer') {
    // librdkafka's own unsecured JWT, with the `sub` the cluster's OAUTHBEARER listener expects.
    return {
      brokers: settings.saslSslBrokers,
      properties: {
        ...saslSsl,
        'sasl.mechanisms': 'OAUTHBEARER',
        'enable.sasl.oauthbearer.unsecure.jwt': true,
        'sasl.oauthbearer.config': `principal=${settings.oauthbearer.principal}`,
      },
    };
  }
  const user = {
    plain: settings.plain,
    'scram-sha-256': settings.scramSha256,
    'scram-sha-512': settings.scramSha512,
  }[access];
  return {
    brokers: settings.saslSslBrokers,
    properties: {
      ...saslSsl,
      'sasl.mechanisms': access.toUpperCase(),
      'sasl.username': user.username,
      'sasl.password': user.password,
    },
  };
}

/**
 * Enables `instrumentation` on a fresh TelemetryHarness, then loads the client. Fails when the
 * client is already loaded in this process: its modules would then have been captured before
 * the hooks, and assertions would pass or fail for the wrong reason.
 */
export function instrumentConfluent(
  instrumentation: EnablableInstrumentation,
): InstrumentedConfluent {
  const { packageDir } = providedConfluentClient();
  const nodeRequire = createRequire(import.meta.url);
  const loaded = Object.keys(nodeRequire.cache).find((file) => CLIENT_MODULE.test(file));
  if (loaded) {
    throw new Error(
      `@confluentinc/kafka-javascript (${loaded}) was loaded before the instrumentation was enabled: a test loaded the client twice, or a support module loads it at runtime`,
    );
  }
  const harness = new TelemetryHarness();
  instrumentation.setTracerProvider(harness.tracerProvider);
  instrumentation.setMeterProvider(harness.meterProvider);
  instrumentation.enable();
  // The package's real path: the hooks match modules by the path Node resolves.
  const client = nodeRequire(fs.realpathSync(packageDir)) as ConfluentModule;
  const plaintextBrokers = inject('kafkaBrokers');
  const createKafka = (clientId = uniqueName('otel-test'), access?: AccessName): ConfluentKafka => {
    const secured = access ? confluentAccessConfig(access) : undefined;
    return new client.KafkaJS.Kafka({
      kafkaJS: {
        clientId,
        brokers: secured?.brokers ?? plaintextBrokers,
        logLevel: client.KafkaJS.logLevel.NOTHING,
        retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 },
      },
      ...secured?.properties,
    });
  };
  return {
    harness,
    instrumentation,
    client,
    brokers: plaintextBrokers,
    createKafka,
    createTopic: async (partitions = 1, prefix = 'instrumented') => {
      const topic = uniqueName(prefix);
      const admin = createKafka('topic-admin').admin();
      await admin.connect();
      try {
        await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
        await waitFor(
          async () => {
            const topics = await admin.fetchTopicMetadata({ topics: [topic] });
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
