/**
 * The parts of `@confluentinc/kafka-javascript` the patches touch, typed as far as they read
 * them. The package's KafkaJS-compatible API (`lib/kafkajs/`) keeps its state in private class
 * fields; what is reachable is the public prototype methods, the configuration each client is
 * constructed with, and the librdkafka-backed client underneath (`_getInternalClient()`, an
 * event emitter created by `connect()`).
 */
import type { ConsumerRunConfig, Message, TopicPartitionOffsetAndMetadata } from 'kafkajs';

/**
 * A client's configuration as `Kafka#producer()` / `Kafka#consumer()` hand it to the client's
 * constructor: the common configuration merged with the client's own, librdkafka properties at
 * the top level and the KafkaJS-style options under `kafkaJS`.
 */
export interface ConfluentClientConfig {
  kafkaJS?: {
    clientId?: unknown;
    brokers?: unknown;
    groupId?: unknown;
  };
  [property: string]: unknown;
}

/** Headers as librdkafka takes them: one `{ name: value }` object per header, in order. */
export type LibrdkafkaHeaders = Record<string, unknown>[];

/** What the KafkaJS-API producer hands `produce` as its `opaque`: the send's promise functions. */
export interface DeliveryOpaque {
  resolve: (metadata: DeliveryMetadata) => void;
  reject: (error: unknown) => void;
}

/** What a delivery report resolves a message with. */
export interface DeliveryMetadata {
  topicName: string;
  partition: number;
  /** A number here; the send converts it to a string for the application afterwards. */
  baseOffset: number | string | null;
}

/** `lib/producer.js`: the librdkafka producer. */
export interface LibrdkafkaProducer {
  produce(
    topic: string,
    partition: number | null | undefined,
    value: unknown,
    key: unknown,
    timestamp: number | undefined,
    opaque: unknown,
    headers: LibrdkafkaHeaders | null | undefined,
  ): unknown;
}

/** A message as librdkafka's consumer returns it. */
export interface LibrdkafkaMessage {
  topic: string;
  partition: number;
}

/** `lib/kafka-consumer.js`: the librdkafka consumer. */
export interface LibrdkafkaConsumer {
  consume(
    number: unknown,
    callback?: (error: unknown, messages: LibrdkafkaMessage[] | undefined) => void,
  ): unknown;
}

/** The librdkafka-backed client under a KafkaJS-API client: an EventEmitter. */
export interface InternalClient {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
  /** `EAGER` or `COOPERATIVE`, once the consumer joined. */
  rebalanceProtocol?: () => string;
  assignments?: () => { topic: string; partition: number }[];
}

/** A topic-partition of a commit, as the `offset.commit` event lists them. */
export interface CommittedOffset {
  topic: string;
  partition: number;
  offset?: number;
}

/** `lib/kafkajs/_producer.js`'s `Producer`. */
export interface ConfluentProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(record: { topic: string; messages: Message[] }): Promise<unknown>;
  sendBatch(batch: { topicMessages?: unknown }): Promise<unknown>;
  transaction(): Promise<ConfluentProducer>;
  commit(): Promise<void>;
  abort(): Promise<void>;
  sendOffsets(args: { consumer?: unknown; topics?: unknown }): Promise<void>;
  _getInternalClient(): (InternalClient & LibrdkafkaProducer) | null;
}

/** `lib/kafkajs/_consumer.js`'s `Consumer`. */
export interface ConfluentConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  run(config?: ConsumerRunConfig): Promise<void>;
  commitOffsets(offsets?: TopicPartitionOffsetAndMetadata[] | null): Promise<void>;
  _getInternalClient(): (InternalClient & LibrdkafkaConsumer) | null;
}

/** A client class of the KafkaJS API, constructed with its merged configuration. */
export type ClientClass<Client> = new (config: ConfluentClientConfig) => Client;

export interface LibrdkafkaProducerModule {
  prototype: LibrdkafkaProducer;
}
export interface LibrdkafkaConsumerModule {
  prototype: LibrdkafkaConsumer;
}
