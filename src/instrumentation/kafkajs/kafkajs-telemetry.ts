import type { Message } from 'kafkajs';
import type { ClientRegistry } from './client-registry';
import type { ConsumerTelemetry } from './consumer-scope';
import type { MessagesPerPartition } from './kafkajs-internals';

/** What the KafkaJS patches share besides the instrumentation's telemetry. */
export interface KafkaJsTelemetry extends ConsumerTelemetry {
  /** Identity of every client created while the instrumentation was enabled. */
  readonly clients: ClientRegistry;
  /** Where KafkaJS put each message of a send: partition grouping per `messages` array. */
  readonly partitionGrouping: WeakMap<Message[], MessagesPerPartition>;
}
