import type { Message } from 'kafkajs';
import type { Telemetry } from '../telemetry';
import type { ClientRegistry } from './client-registry';
import type { ClusterIds } from './cluster-ids';
import type { MessagesPerPartition } from './kafkajs-internals';

/** What the KafkaJS patches share besides the instrumentation's telemetry. */
export interface KafkaJsTelemetry extends Telemetry {
  /** Identity of every client created while the instrumentation was enabled. */
  readonly clients: ClientRegistry;
  /** Cluster ids seen in Metadata answers, per broker address. */
  readonly clusterIds: ClusterIds;
  /** Where KafkaJS put each message of a send: partition grouping per `messages` array. */
  readonly partitionGrouping: WeakMap<Message[], MessagesPerPartition>;
}
