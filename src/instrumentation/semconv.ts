/*
 * Local copies of the incubating semantic-convention names this package emits
 * (@opentelemetry/semantic-conventions 1.45). Incubating names are copied rather than imported
 * from the package's `incubating` entry point, as that entry point may change in any minor
 * release; the stable ones (error.type, server.*) are copied too so one file lists every name.
 */

export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';

export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_DESTINATION_PARTITION_ID = 'messaging.destination.partition.id';
export const ATTR_MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name';
export const ATTR_MESSAGING_CLIENT_ID = 'messaging.client.id';
export const ATTR_MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count';
export const ATTR_MESSAGING_MESSAGE_BODY_SIZE = 'messaging.message.body.size';

/** Kafka attributes as named since semantic-conventions 1.45 (previously `messaging.kafka.*`). */
export const ATTR_KAFKA_OFFSET = 'kafka.offset';
export const ATTR_KAFKA_MESSAGE_KEY = 'kafka.message.key';
export const ATTR_KAFKA_MESSAGE_TOMBSTONE = 'kafka.message.tombstone';
export const ATTR_KAFKA_CLUSTER_ID = 'kafka.cluster.id';

/** The pre-1.45 names, emitted as well when `emitLegacyKafkaAttributes` is on. */
export const LEGACY_KAFKA_ATTRIBUTES: Readonly<Record<string, string>> = {
  [ATTR_KAFKA_OFFSET]: 'messaging.kafka.offset',
  [ATTR_KAFKA_MESSAGE_KEY]: 'messaging.kafka.message.key',
  [ATTR_KAFKA_MESSAGE_TOMBSTONE]: 'messaging.kafka.message.tombstone',
  [ATTR_KAFKA_CLUSTER_ID]: 'messaging.kafka.cluster.id',
};

/** Kafka-specific attributes of this package (no semantic convention exists for them yet). */
export const ATTR_KAFKA_API_NAME = 'kafka.api.name';
export const ATTR_KAFKA_API_KEY = 'kafka.api.key';
export const ATTR_KAFKA_API_VERSION = 'kafka.api.version';
export const ATTR_KAFKA_CLIENT_KIND = 'kafka.client.kind';
export const ATTR_KAFKA_CONSUMER_RESTART = 'kafka.consumer.restart';
export const ATTR_KAFKA_TRANSACTION_OUTCOME = 'kafka.transaction.outcome';

export const MESSAGING_SYSTEM_KAFKA = 'kafka';

export const OPERATION_TYPE_SEND = 'send';
export const OPERATION_TYPE_PROCESS = 'process';
export const OPERATION_TYPE_RECEIVE = 'receive';
export const OPERATION_TYPE_SETTLE = 'settle';

/** OpenTelemetry messaging metrics. */
export const METRIC_MESSAGING_CLIENT_SENT_MESSAGES = 'messaging.client.sent.messages';
export const METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES = 'messaging.client.consumed.messages';
export const METRIC_MESSAGING_CLIENT_OPERATION_DURATION = 'messaging.client.operation.duration';
export const METRIC_MESSAGING_PROCESS_DURATION = 'messaging.process.duration';

/** Kafka-specific client metrics of this package. */
export const METRIC_KAFKA_CLIENT_REQUEST_DURATION = 'kafka.client.request.duration';
export const METRIC_KAFKA_CLIENT_REQUEST_SIZE = 'kafka.client.request.size';
export const METRIC_KAFKA_CLIENT_RESPONSE_SIZE = 'kafka.client.response.size';
export const METRIC_KAFKA_CLIENT_REQUEST_TIMEOUTS = 'kafka.client.request.timeouts';
export const METRIC_KAFKA_CLIENT_REQUEST_QUEUE_SIZE = 'kafka.client.request.queue.size';
export const METRIC_KAFKA_CLIENT_CONNECTIONS = 'kafka.client.connections';
export const METRIC_KAFKA_CLIENT_SENT_BYTES = 'kafka.client.sent.bytes';
export const METRIC_KAFKA_CLIENT_CONSUMED_BYTES = 'kafka.client.consumed.bytes';
export const METRIC_KAFKA_CONSUMER_REBALANCES = 'kafka.consumer.rebalances';
export const METRIC_KAFKA_CONSUMER_GROUP_JOIN_DURATION = 'kafka.consumer.group.join.duration';
export const METRIC_KAFKA_CONSUMER_COMMITS = 'kafka.consumer.commits';
export const METRIC_KAFKA_CONSUMER_CRASHES = 'kafka.consumer.crashes';
export const METRIC_KAFKA_CONSUMER_ASSIGNED_PARTITIONS = 'kafka.consumer.assigned_partitions';
export const METRIC_KAFKA_CONSUMER_LAG = 'kafka.consumer.lag';
export const METRIC_KAFKA_CONSUMER_END_TO_END_LATENCY = 'kafka.consumer.end_to_end.latency';
export const METRIC_KAFKA_CONSUMER_INVALID_TRACE_CONTEXT = 'kafka.consumer.invalid_trace_context';

/** Server-side metrics of `instrumentBrokerHandler` (a Node Kafka-protocol server or proxy). */
export const METRIC_KAFKA_SERVER_REQUEST_DURATION = 'kafka.server.request.duration';
export const METRIC_KAFKA_SERVER_REQUEST_SIZE = 'kafka.server.request.size';
export const METRIC_KAFKA_SERVER_RESPONSE_SIZE = 'kafka.server.response.size';
export const METRIC_KAFKA_SERVER_CONNECTIONS = 'kafka.server.connections';
export const ATTR_KAFKA_CORRELATION_ID = 'kafka.request.correlation_id';
export const ATTR_NETWORK_PEER_ADDRESS = 'network.peer.address';
export const ATTR_NETWORK_PEER_PORT = 'network.peer.port';
