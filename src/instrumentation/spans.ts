/**
 * The attributes and status of every span the client instrumentation starts. Attributes known
 * when a span starts (the ones samplers may read) are built once per client, operation and topic
 * and shared; per-message attributes are set only on spans that record.
 */
import {
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  SpanStatusCode,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import type { ClientIdentity } from './client-identity';
import { errorType } from './error-type';
import { keyText, payloadSize } from './message-payload';
import {
  ATTR_ERROR_TYPE,
  ATTR_KAFKA_CLUSTER_ID,
  ATTR_KAFKA_MESSAGE_KEY,
  ATTR_KAFKA_MESSAGE_TOMBSTONE,
  ATTR_KAFKA_OFFSET,
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_CLIENT_ID,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_MESSAGE_BODY_SIZE,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  LEGACY_KAFKA_ATTRIBUTES,
  MESSAGING_SYSTEM_KAFKA,
} from './semconv';

/** A messaging operation with a span: its name, and its semantic-convention operation type. */
export const SPAN_OPERATIONS = {
  send: 'send',
  process: 'process',
  poll: 'receive',
  commit: 'settle',
  send_offsets: 'settle',
} as const;
export type SpanOperation = keyof typeof SPAN_OPERATIONS;

/** What a span's start attributes describe besides the client. */
export interface SpanScope {
  operation: SpanOperation;
  topic?: string;
  group?: string;
  clusterId?: string;
}

/** The attributes a span starts with: client, operation, destination, group and cluster. */
export function startAttributes(
  client: ClientIdentity,
  scope: SpanScope,
  legacy: boolean,
): Attributes {
  const attributes = clientAttributes(client);
  attributes[ATTR_MESSAGING_OPERATION_NAME] = scope.operation;
  attributes[ATTR_MESSAGING_OPERATION_TYPE] = SPAN_OPERATIONS[scope.operation];
  if (scope.topic !== undefined) attributes[ATTR_MESSAGING_DESTINATION_NAME] = scope.topic;
  if (scope.group !== undefined) attributes[ATTR_MESSAGING_CONSUMER_GROUP_NAME] = scope.group;
  if (scope.clusterId !== undefined) attributes[ATTR_KAFKA_CLUSTER_ID] = scope.clusterId;
  return legacy ? withLegacyNames(attributes) : attributes;
}

/** The attributes every span of a client carries: system, client id and bootstrap broker. */
export function clientAttributes(client: ClientIdentity): Attributes {
  const attributes: Attributes = { [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA };
  if (client.clientId !== undefined) attributes[ATTR_MESSAGING_CLIENT_ID] = client.clientId;
  if (client.serverAddress !== undefined) attributes[ATTR_SERVER_ADDRESS] = client.serverAddress;
  if (client.serverPort !== undefined) attributes[ATTR_SERVER_PORT] = client.serverPort;
  return attributes;
}

/** The message a span is about, as far as its attributes go. */
export interface MessageFacts {
  key?: unknown;
  value?: unknown;
}

/** Sets one message's body size, key (when captured) and tombstone flag on a recording span. */
export function setMessageAttributes(
  span: Span,
  message: MessageFacts,
  captureKey: boolean,
  legacy: boolean,
) {
  span.setAttribute(ATTR_MESSAGING_MESSAGE_BODY_SIZE, payloadSize(message.value));
  if (captureKey) {
    const key = keyText(message.key);
    if (key !== undefined) setWithLegacy(span, ATTR_KAFKA_MESSAGE_KEY, key, legacy);
  }
  if (message.value === null) setWithLegacy(span, ATTR_KAFKA_MESSAGE_TOMBSTONE, true, legacy);
}

/** Sets where a message sits: its partition and, when known, its offset. */
export function setPosition(
  span: Span,
  partition: string,
  offset: number | undefined,
  legacy: boolean,
) {
  span.setAttribute(ATTR_MESSAGING_DESTINATION_PARTITION_ID, partition);
  if (offset !== undefined) setWithLegacy(span, ATTR_KAFKA_OFFSET, offset, legacy);
}

/** Sets the cluster id, learned after the span started. */
export function setClusterId(span: Span, clusterId: string, legacy: boolean) {
  setWithLegacy(span, ATTR_KAFKA_CLUSTER_ID, clusterId, legacy);
}

/** Sets how many messages a batch span covers. */
export function setBatchSize(span: Span, count: number) {
  span.setAttribute(ATTR_MESSAGING_BATCH_MESSAGE_COUNT, count);
}

/**
 * Whether a span that does not record still carries a trace context worth propagating (an
 * unsampled span of an SDK). The no-op tracer's spans share one invalid context: checked first,
 * by identity, since that is the common case of an application without tracing.
 */
export function carriesTraceContext(span: Span): boolean {
  const spanContext = span.spanContext();
  return spanContext !== INVALID_SPAN_CONTEXT && isSpanContextValid(spanContext);
}

/** Marks a span failed the way the semantic conventions ask: status, exception event, error.type. */
export function failSpan(span: Span, error: unknown) {
  span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
  if (error instanceof Error) {
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  } else {
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
  }
}

/** Adds the pre-1.45 `messaging.kafka.*` names next to the current ones. */
function withLegacyNames(attributes: Attributes): Attributes {
  for (const [current, legacy] of Object.entries(LEGACY_KAFKA_ATTRIBUTES)) {
    if (attributes[current] !== undefined) attributes[legacy] = attributes[current];
  }
  return attributes;
}

function setWithLegacy(
  span: Span,
  name: string,
  value: string | number | boolean,
  legacy: boolean,
) {
  span.setAttribute(name, value);
  const legacyName = legacy ? LEGACY_KAFKA_ATTRIBUTES[name] : undefined;
  if (legacyName !== undefined) span.setAttribute(legacyName, value);
}
