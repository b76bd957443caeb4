import { type Attributes } from '@opentelemetry/api';
import type { Consumer } from 'kafkajs';

import type { ClientInfo, Telemetry } from './internal-types';
import type { AttributeCache } from './message-attributes';

import { groupAttributes, operationAttributes, type MessagingOperation } from './metric-attributes';

import {
  ATTR_KAFKA_CLUSTER_ID,
  ATTR_MESSAGING_CLIENT_ID,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  MESSAGING_SYSTEM_KAFKA,
} from './semconv';

/** One instrumented consumer: what its patches and event listeners share. */
export interface ConsumerScope {
  telemetry: Telemetry;
  client: ClientInfo;
  groupId: string;
  /** The consumer object: the key of its lag series. */
  consumer: Consumer;
  metricAttributes: AttributeCache;
}

/**
 * Group metric attributes, cached per consumer (like the other builders here) so hot-path
 * recordings allocate nothing.
 */
export function cachedGroupAttributes(
  scope: ConsumerScope,
  failure?: string,
  restart?: boolean,
): Attributes {
  return scope.metricAttributes.get(`group\u0000${failure}\u0000${restart}`, () =>
    groupAttributes({ group: scope.groupId, errorType: failure, restart }),
  );
}

/** Operation metric attributes (process, commit), cached per consumer. */
export function cachedOperationAttributes(
  scope: ConsumerScope,
  operation: MessagingOperation,
  topic: string | undefined,
  partition: number | undefined,
  failure: string | undefined,
): Attributes {
  const key = `op\u0000${operation}\u0000${topic}\u0000${partition}\u0000${failure}`;
  return scope.metricAttributes.get(key, () =>
    operationAttributes({ operation, topic, partition, group: scope.groupId, errorType: failure }),
  );
}

/** Attributes every consumer span carries. */
export function spanAttributes(
  scope: ConsumerScope,
  topic: string | undefined,
  operation: string,
  operationType: string,
): Attributes {
  const { client } = scope;
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA,
    [ATTR_MESSAGING_OPERATION_NAME]: operation,
    [ATTR_MESSAGING_OPERATION_TYPE]: operationType,
    [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: scope.groupId,
  };
  if (topic !== undefined) attributes[ATTR_MESSAGING_DESTINATION_NAME] = topic;
  if (client.clientId !== undefined) attributes[ATTR_MESSAGING_CLIENT_ID] = client.clientId;
  if (client.serverAddress !== undefined) attributes[ATTR_SERVER_ADDRESS] = client.serverAddress;
  if (client.serverPort !== undefined) attributes[ATTR_SERVER_PORT] = client.serverPort;
  const clusterId = scope.telemetry.clusterIds.of(client.serverAddress, client.serverPort);
  if (clusterId !== undefined) attributes[ATTR_KAFKA_CLUSTER_ID] = clusterId;
  return attributes;
}
