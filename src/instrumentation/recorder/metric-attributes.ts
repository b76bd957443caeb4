/**
 * The attribute sets of every client metric, built in one place so the KafkaJS instrumentation
 * and the manual `KafkaMetrics` API emit identical series. Each builder omits absent values
 * rather than writing `undefined`, so series never split on a missing attribute.
 */
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_KAFKA_API_KEY,
  ATTR_KAFKA_API_NAME,
  ATTR_KAFKA_API_VERSION,
  ATTR_KAFKA_CLIENT_KIND,
  ATTR_KAFKA_CONSUMER_RESTART,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  MESSAGING_SYSTEM_KAFKA,
  OPERATION_TYPE_PROCESS,
  OPERATION_TYPE_SEND,
} from '../semconv';

/** The operations `messaging.client.operation.duration` and `messaging.process.duration` carry. */
export type MessagingOperation = 'send' | 'process' | 'poll' | 'commit';

const OPERATION_TYPES: Record<MessagingOperation, string> = {
  send: OPERATION_TYPE_SEND,
  process: OPERATION_TYPE_PROCESS,
  poll: 'receive',
  commit: 'settle',
};

export interface OperationFields {
  operation: MessagingOperation;
  topic?: string;
  partition?: number | string;
  group?: string;
  serverAddress?: string;
  errorType?: string;
}

/**
 * messaging.client.sent/consumed.messages and messaging.process.duration, with the attributes
 * the messaging conventions list for them (the operation type is not one of them).
 */
export function messagingAttributes(fields: OperationFields): Attributes {
  return kafkaAttributes({
    [ATTR_MESSAGING_OPERATION_NAME]: fields.operation,
    [ATTR_MESSAGING_DESTINATION_NAME]: fields.topic,
    [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: fields.partition?.toString(),
    [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: fields.group,
    [ATTR_SERVER_ADDRESS]: fields.serverAddress,
    [ATTR_ERROR_TYPE]: fields.errorType,
  });
}

/** messaging.client.operation.duration: the same, plus the operation type. */
export function operationAttributes(fields: OperationFields): Attributes {
  const attributes = messagingAttributes(fields);
  attributes[ATTR_MESSAGING_OPERATION_TYPE] = OPERATION_TYPES[fields.operation];
  return attributes;
}

/** Consumer group metrics: rebalances, join duration, commits, crashes, assigned partitions. */
export function groupAttributes(group: string, errorType?: string, restart?: boolean): Attributes {
  return kafkaAttributes({
    [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: group,
    [ATTR_ERROR_TYPE]: errorType,
    [ATTR_KAFKA_CONSUMER_RESTART]: restart,
  });
}

/** kafka.consumer.lag: one series per group, topic and partition. */
export function lagAttributes(group: string, topic: string, partition: number): Attributes {
  return kafkaAttributes({
    [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: group,
    [ATTR_MESSAGING_DESTINATION_NAME]: topic,
    [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(partition),
  });
}

export interface RequestFields {
  apiName: string;
  apiKey?: number;
  apiVersion?: number;
  serverAddress: string;
  serverPort?: number;
  errorType?: string;
}

/** kafka.client.request.duration: per API, version and broker, with the error name. */
export function requestAttributes(fields: RequestFields): Attributes {
  return addDefined(requestSizeAttributes(fields), {
    [ATTR_KAFKA_API_KEY]: fields.apiKey,
    [ATTR_KAFKA_API_VERSION]: fields.apiVersion,
    [ATTR_ERROR_TYPE]: fields.errorType,
  });
}

/** Request and response sizes and timeouts: per API and broker only, to keep histograms few. */
export function requestSizeAttributes(
  fields: Pick<RequestFields, 'apiName' | 'serverAddress' | 'serverPort'>,
): Attributes {
  return kafkaAttributes({
    [ATTR_KAFKA_API_NAME]: fields.apiName,
    [ATTR_SERVER_ADDRESS]: fields.serverAddress,
    [ATTR_SERVER_PORT]: fields.serverPort,
  });
}

/** kafka.client.connections and the request queue gauge: per broker (and client kind). */
export function brokerAttributes(serverAddress: string, serverPort?: number, kind?: string) {
  return kafkaAttributes({
    [ATTR_SERVER_ADDRESS]: serverAddress,
    [ATTR_SERVER_PORT]: serverPort,
    [ATTR_KAFKA_CLIENT_KIND]: kind,
  });
}

/** Byte counters: per topic (and group for consumed bytes). */
export function bytesAttributes(topic: string, group?: string): Attributes {
  return kafkaAttributes({
    [ATTR_MESSAGING_DESTINATION_NAME]: topic,
    [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: group,
  });
}

/** `messaging.system`=kafka and the given attributes, in that order. */
function kafkaAttributes(values: AttributeValues): Attributes {
  return addDefined({ [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA }, values);
}

type AttributeValues = Record<string, string | number | boolean | undefined>;

/** Adds the attributes that have a value: a series never splits on an absent attribute. */
function addDefined(attributes: Attributes, values: AttributeValues): Attributes {
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) attributes[key] = value;
  }
  return attributes;
}
