import type { Span } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { KafkaMessage, Message } from 'kafkajs';

/** Information handed to the producer hook for each message span. */
export interface ProducerHookInfo {
  /** Topic the message is sent to. */
  topic: string;
  /** The message as the application passed it (do not mutate it). */
  message: Message;
}

/** Information handed to the consumer hook for each process span. */
export interface ConsumerHookInfo {
  /** Topic the message was read from. */
  topic: string;
  /** Partition the message was read from. */
  partition: number;
  /** The message as KafkaJS delivered it. */
  message: KafkaMessage;
}

/** Called with the recording span of a produced message, before it is sent. Errors are logged, never thrown. */
export type ProducerHook = (span: Span, info: ProducerHookInfo) => void;
/** Called with the recording span of a consumed message, before the handler runs. Errors are logged, never thrown. */
export type ConsumerHook = (span: Span, info: ConsumerHookInfo) => void;

/** How a `process` span relates to the producer's context carried in the message headers. */
export type ProducerContextRelation = 'parent' | 'link';

/** How many spans a producer `send` call emits. */
export type ProducerSpanMode = 'message' | 'call';

/**
 * Configuration of {@link KafkaJsInstrumentation}. The constructor accepts the same shape as
 * `@opentelemetry/instrumentation-kafkajs` (`producerHook`, `consumerHook`), so either can be
 * swapped for the other; everything else is optional and additive.
 */
export interface KafkaJsInstrumentationConfig extends InstrumentationConfig {
  /** Customises each producer span (`send <topic>`). */
  producerHook?: ProducerHook;
  /** Customises each consumer span (`process <topic>`). */
  consumerHook?: ConsumerHook;
  /**
   * `message` (default): one PRODUCER span per message, filled with its partition and offset.
   * `call`: one span per `send`/`sendBatch` call for bulk producers; every message carries it.
   */
  producerSpanMode?: ProducerSpanMode;
  /** Whether the producer's context parents the `process` span (default) or is linked to it. */
  consumerContextRelation?: ProducerContextRelation;
  /** Record `kafka.message.key` on spans (default true). Turn off when keys carry personal data. */
  captureMessageKey?: boolean;
  /** Also emit the pre-1.45 `messaging.kafka.*` attribute names used by older dashboards. */
  emitLegacyKafkaAttributes?: boolean;
  /**
   * Attach `messaging.destination.partition.id` to metrics (default true). Turn off to bound
   * cardinality on topics with many partitions; spans keep the partition either way.
   */
  metricPartitionAttribute?: boolean;
  /**
   * In `eachBatch`, a `process` span per message (default true), child of the `poll` span and
   * linked to the producer; it ends when the handler resolves the message's offset.
   */
  batchMessageSpans?: boolean;
  /** A CLIENT span per Kafka protocol request (Produce, Fetch, Metadata, ...). Off by default. */
  requestSpans?: boolean;
}

/**
 * Configuration of {@link ConfluentKafkaInstrumentation}: the options of the KafkaJS
 * instrumentation (the same spans and metrics), and librdkafka's statistics interval. The
 * Confluent client has no per-request hook: `requestSpans` does not apply to it.
 */
export interface ConfluentKafkaInstrumentationConfig extends KafkaJsInstrumentationConfig {
  /**
   * `statistics.interval.ms` for clients whose configuration sets none (default 5000): librdkafka
   * then emits the statistics the `kafka.client.*` broker, queue and lag metrics of this client
   * come from. 0 leaves clients as configured. An interval the application set is never changed.
   */
  statisticsIntervalMs?: number;
}
