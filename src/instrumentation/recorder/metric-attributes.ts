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
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA,
    [ATTR_MESSAGING_OPERATION_NAME]: fields.operation,
  };
  setDefined(attributes, ATTR_MESSAGING_DESTINATION_NAME, fields.topic);
  setDefined(attributes, ATTR_MESSAGING_DESTINATION_PARTITION_ID, fields.partition?.toString());
  setDefined(attributes, ATTR_MESSAGING_CONSUMER_GROUP_NAME, fields.group);
  setDefined(attributes, ATTR_SERVER_ADDRESS, fields.serverAddress);
  setDefined(attributes, ATTR_ERROR_TYPE, fields.errorType);
  return attributes;
}

/** messaging.client.operation.duration: the same, plus the operation type. */
export function operationAttributes(fields: OperationFields): Attributes {
  const attributes = messagingAttributes(fields);
  attributes[ATTR_MESSAGING_OPERATION_TYPE] = OPERATION_TYPES[fields.operation];
  return attributes;
}

export interface GroupFields {
  group: string;
  errorType?: string;
  restart?: boolean;
}

/** Consumer group metrics: rebalances, join duration, commits, crashes, assigned partitions. */
export function groupAttributes(fields: GroupFields): Attributes {
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA,
    [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: fields.group,
  };
  setDefined(attributes, ATTR_ERROR_TYPE, fields.errorType);
  setDefined(attributes, ATTR_KAFKA_CONSUMER_RESTART, fields.restart);
  return attributes;
}

/** kafka.consumer.lag: one series per group, topic and partition. */
export function lagAttributes(group: string, topic: string, partition: number): Attributes {
  return {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA,
    [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: group,
    [ATTR_MESSAGING_DESTINATION_NAME]: topic,
    [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(partition),
  };
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
  const attributes = requestSizeAttributes(fields);
  setDefined(attributes, ATTR_KAFKA_API_KEY, fields.apiKey);
  setDefined(attributes, ATTR_KAFKA_API_VERSION, fields.apiVersion);
  setDefined(attributes, ATTR_ERROR_TYPE, fields.errorType);
  return attributes;
}

/** Request and response sizes and timeouts: per API and broker only, to keep histograms few. */
export function requestSizeAttributes(
  fields: Pick<RequestFields, 'apiName' | 'serverAddress' | 'serverPort'>,
): Attributes {
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA,
    [ATTR_KAFKA_API_NAME]: fields.apiName,
    [ATTR_SERVER_ADDRESS]: fields.serverAddress,
  };
  setDefined(attributes, ATTR_SERVER_PORT, fields.serverPort);
  return attributes;
}

/** kafka.client.connections and the request queue gauge: per broker (and client kind). */
export function brokerAttributes(serverAddress: string, serverPort?: number, kind?: string) {
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA,
    [ATTR_SERVER_ADDRESS]: serverAddress,
  };
  setDefined(attributes, ATTR_SERVER_PORT, serverPort);
  setDefined(attributes, ATTR_KAFKA_CLIENT_KIND, kind);
  return attributes;
}

/** Byte counters: per topic (and group for consumed bytes). */
export function bytesAttributes(topic: string, group?: string): Attributes {
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA,
    [ATTR_MESSAGING_DESTINATION_NAME]: topic,
  };
  setDefined(attributes, ATTR_MESSAGING_CONSUMER_GROUP_NAME, group);
  return attributes;
}

/** Sets an attribute only when it has a value: a series never splits on an absent one. */
function setDefined(
  attributes: Attributes,
  key: string,
  value: string | number | boolean | undefined,
) {
  if (value !== undefined) attributes[key] = value;
}
