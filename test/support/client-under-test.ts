/**
 * One driver for both clients, so an assertion body runs unchanged on KafkaJS and on
 * `@confluentinc/kafka-javascript`. It smooths only the differences of API, never of telemetry:
 *  - where `fromBeginning` goes (KafkaJS: subscribe; Confluent: the consumer's config);
 *  - how a producer becomes transactional (Confluent: `transactionalId` + `idempotent` in its
 *    config; KafkaJS also needs `maxInFlightRequests: 1`);
 *  - producer defaults: idempotent on both, so a Produce retried on a loaded machine never
 *    writes a record twice (tests count records), and KafkaJS's explicit DefaultPartitioner.
 * Producers and consumers come back connected. The clients are made by the test's harness
 * (instrumented-kafkajs.ts, instrumented-confluent.ts), instrumented or not.
 */
import type * as KafkaJs from 'kafkajs';
import type {
  ConfluentConsumer,
  ConfluentEachBatchPayload,
  ConfluentEachMessagePayload,
  ConfluentKafka,
  ConfluentOutgoingMessage,
} from './instrumented-confluent';

export type ClientName = 'kafkajs' | 'confluent';

/** A message as a handler receives it, on either client. */
export type ReceivedMessage = ConfluentEachMessagePayload['message'];
export type EachMessagePayload = ConfluentEachMessagePayload;
export type EachBatchPayload = ConfluentEachBatchPayload;

export interface OutgoingRecord {
  topic: string;
  messages: ConfluentOutgoingMessage[];
}

/** Where each record of a send landed, per topic-partition (the clients' answers, trimmed). */
export interface SentPartition {
  topic: string;
  partition: number;
  /** The lowest offset written to that partition by this call. */
  baseOffset: string;
}

export interface TransactionUnderTest {
  send(record: OutgoingRecord): Promise<SentPartition[]>;
  /** Commits a consumer group's offsets inside the transaction. */
  sendOffsets(
    consumer: ConsumerUnderTest,
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[],
  ): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface ProducerUnderTest {
  send(record: OutgoingRecord): Promise<SentPartition[]>;
  sendBatch(records: OutgoingRecord[]): Promise<SentPartition[]>;
  /** Only on a producer made with `transactionalId`. */
  transaction(): Promise<TransactionUnderTest>;
  disconnect(): Promise<void>;
}

export type RunHandlers =
  | { eachMessage: (payload: EachMessagePayload) => Promise<void> }
  | {
      eachBatch: (payload: EachBatchPayload) => Promise<void>;
      eachBatchAutoResolve?: boolean;
    };

export interface ConsumerUnderTest {
  subscribe(topics: string[]): Promise<void>;
  run(handlers: RunHandlers): Promise<void>;
  /** An explicit commit (the offsets are those of the next records to read). */
  commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface ConsumerOptions {
  groupId: string;
  fromBeginning?: boolean;
  /**
   * Off: only explicit commits (KafkaJS takes it in `run`, Confluent in the consumer's config;
   * the driver puts it where each client wants it). Default: the client's own (on).
   */
  autoCommit?: boolean;
  /** How long the broker holds a fetch with nothing new (default: the client's own). */
  maxWaitTimeInMs?: number;
  /**
   * KafkaJS only: how often its consumer retries a failed handler call before it crashes (and
   * restarts). Confluent's consumer has no such retrier: it seeks back and redelivers.
   */
  kafkaJsRetries?: number;
}

export interface ClientUnderTest {
  name: ClientName;
  producer(options?: { transactionalId?: string }): Promise<ProducerUnderTest>;
  consumer(options: ConsumerOptions): Promise<ConsumerUnderTest>;
}

/** The client's own consumer behind a ConsumerUnderTest, for sendOffsets. */
const nativeConsumers = new WeakMap<ConsumerUnderTest, unknown>();

/**
 * `kafkajs` is the module the harness loaded (never imported here: a second load of KafkaJS
 * would escape the instrumentation's hook).
 */
export function kafkaJsUnderTest(kafkajs: typeof KafkaJs, kafka: KafkaJs.Kafka): ClientUnderTest {
  const sent = (metadata: KafkaJs.RecordMetadata[]): SentPartition[] =>
    metadata.map((m) => ({
      topic: m.topicName,
      partition: m.partition,
      baseOffset: m.baseOffset ?? '',
    }));
  return {
    name: 'kafkajs',
    producer: async ({ transactionalId } = {}) => {
      const producer = kafka.producer({
        // The client's default, named, so KafkaJS 2 does not warn about its change.
        createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: false,
        idempotent: true,
        maxInFlightRequests: 1,
        ...(transactionalId ? { transactionalId } : {}),
      });
      await producer.connect();
      return {
        send: async (record) => sent(await producer.send(record)),
        sendBatch: async (records) => sent(await producer.sendBatch({ topicMessages: records })),
        transaction: async () => {
          const transaction = await producer.transaction();
          return {
            send: async (record) => sent(await transaction.send(record)),
            sendOffsets: (consumer, topics) =>
              transaction.sendOffsets({
                consumerGroupId: consumerGroupOf(consumer),
                topics,
              }),
            commit: () => transaction.commit(),
            abort: () => transaction.abort(),
          };
        },
        disconnect: () => producer.disconnect(),
      };
    },
    consumer: async ({
      groupId,
      fromBeginning = false,
      autoCommit,
      maxWaitTimeInMs,
      kafkaJsRetries,
    }) => {
      const consumer = kafka.consumer({
        groupId,
        ...(maxWaitTimeInMs === undefined ? {} : { maxWaitTimeInMs }),
        ...(kafkaJsRetries === undefined
          ? {}
          : {
              retry: { retries: kafkaJsRetries, initialRetryTime: 100 },
              // A crashed consumer rejoins its group on restart: a short heartbeat lets the
              // broker see the rejoin promptly (as the KafkaJS-only crash test does).
              heartbeatInterval: 500,
            }),
      });
      await consumer.connect();
      const underTest: ConsumerUnderTest = {
        subscribe: (topics) => consumer.subscribe({ topics, fromBeginning }),
        run: (handlers) =>
          consumer.run({ ...handlers, ...(autoCommit === undefined ? {} : { autoCommit }) }),
        commitOffsets: (offsets) => consumer.commitOffsets(offsets),
        disconnect: () => consumer.disconnect(),
      };
      nativeConsumers.set(underTest, groupId);
      return underTest;
    },
  };
}

/** KafkaJS's sendOffsets names the group; the consumer of the same adapter knows it. */
function consumerGroupOf(consumer: ConsumerUnderTest): string {
  const group = nativeConsumers.get(consumer);
  if (typeof group !== 'string') throw new Error('sendOffsets needs a consumer of the same client');
  return group;
}

export function confluentUnderTest(kafka: ConfluentKafka): ClientUnderTest {
  const sent = (
    metadata: { topicName: string; partition: number; baseOffset?: string }[],
  ): SentPartition[] =>
    metadata.map((m) => ({
      topic: m.topicName,
      partition: m.partition,
      baseOffset: String(m.baseOffset ?? ''),
    }));
  return {
    name: 'confluent',
    producer: async ({ transactionalId } = {}) => {
      const producer = kafka.producer({
        kafkaJS: {
          allowAutoTopicCreation: false,
          idempotent: true,
          ...(transactionalId ? { transactionalId } : {}),
        },
      });
      await producer.connect();
      return {
        send: async (record) => sent(await producer.send(record)),
        sendBatch: async (records) => sent(await producer.sendBatch({ topicMessages: records })),
        transaction: async () => {
          const transaction = await producer.transaction();
          return {
            send: async (record) => sent(await transaction.send(record)),
            sendOffsets: (consumer, topics) =>
              transaction.sendOffsets({ consumer: nativeConsumerOf(consumer), topics }),
            commit: () => transaction.commit(),
            abort: () => transaction.abort(),
          };
        },
        disconnect: () => producer.disconnect(),
      };
    },
    consumer: async ({ groupId, fromBeginning = false, autoCommit, maxWaitTimeInMs }) => {
      const consumer = kafka.consumer({
        kafkaJS: {
          groupId,
          fromBeginning,
          ...(autoCommit === undefined ? {} : { autoCommit }),
          ...(maxWaitTimeInMs === undefined ? {} : { maxWaitTimeInMs }),
        },
      });
      await consumer.connect();
      const underTest: ConsumerUnderTest = {
        subscribe: (topics) => consumer.subscribe({ topics }),
        run: (handlers) => consumer.run(handlers),
        commitOffsets: (offsets) => committing(consumer).commitOffsets(offsets),
        disconnect: () => consumer.disconnect(),
      };
      nativeConsumers.set(underTest, consumer);
      return underTest;
    },
  };
}

/** Confluent's consumer commits explicitly as KafkaJS's does (the harness's type omits it). */
function committing(consumer: ConfluentConsumer) {
  return consumer as ConfluentConsumer & {
    commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
  };
}

/** Confluent's sendOffsets takes the consumer object itself. */
function nativeConsumerOf(consumer: ConsumerUnderTest): ConfluentConsumer {
  const native = nativeConsumers.get(consumer);
  if (typeof native !== 'object' || native === null) {
    throw new Error('sendOffsets needs a consumer of the same client');
  }
  return native as ConfluentConsumer;
}
