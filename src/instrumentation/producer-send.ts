import {
  context,
  isSpanContextValid,
  propagation,
  SpanKind,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { Message, RecordMetadata } from 'kafkajs';
import { errorType } from './error-type';
import { headerSetter } from './header-carrier';
import type { ClientInfo, MessagesPerPartition, Telemetry } from './internal-types';
import type { AttributeCache } from './message-attributes';
import { messageAttributes, payloadSize, withLegacyNames } from './message-attributes';
import {
  ATTR_KAFKA_CLUSTER_ID,
  ATTR_KAFKA_OFFSET,
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_CLIENT_ID,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  MESSAGING_SYSTEM_KAFKA,
  OPERATION_TYPE_SEND,
} from './semconv';
import { bytesAttributes, operationAttributes } from './metric-attributes';
import { safely } from './patch-support';
import { failSpan } from './span-failure';

/** One topic's messages of a send call, as KafkaJS takes them. */
export interface TopicMessages {
  topic: string;
  messages: Message[];
}

interface MessageSpan {
  span: Span;
  topic: string;
  /** The message object handed to KafkaJS (our copy when headers were injected). */
  sent: Message;
}

/** Calls the original KafkaJS method with the batches to send. */
export type Invoke = (batches: TopicMessages[]) => Promise<RecordMetadata[]>;

export function observeSend(
  telemetry: Telemetry,
  client: ClientInfo,
  metricAttributes: AttributeCache,
  parent: Context | undefined,
  batches: TopicMessages[],
  invoke: Invoke,
): Promise<RecordMetadata[]> {
  const started = performance.now();
  let sent = batches;
  let spans: MessageSpan[] = [];
  safely(telemetry, 'send', () => {
    const traced = startSpans(telemetry, client, parent ?? context.active(), batches);
    sent = traced.sent;
    spans = traced.spans;
  });
  const finish = (metadata: RecordMetadata[] | undefined, error: unknown) =>
    safely(telemetry, 'send', () =>
      finishSend(telemetry, client, metricAttributes, sent, spans, started, metadata, error),
    );
  let result: Promise<RecordMetadata[]>;
  try {
    result = invoke(sent);
  } catch (error) {
    finish(undefined, error);
    throw error;
  }
  return result.then(
    (metadata) => {
      finish(metadata, undefined);
      return metadata;
    },
    (error: unknown) => {
      finish(undefined, error ?? new Error('send rejected'));
      throw error;
    },
  );
}

/** Starts the producer spans and returns the batches to hand KafkaJS (copies carrying headers). */
function startSpans(
  telemetry: Telemetry,
  client: ClientInfo,
  parent: Context,
  batches: TopicMessages[],
): { sent: TopicMessages[]; spans: MessageSpan[] } {
  const { tracer, config } = telemetry;
  const captureKey = config.captureMessageKey !== false;
  const legacy = config.emitLegacyKafkaAttributes === true;
  const spans: MessageSpan[] = [];
  const perCall = config.producerSpanMode === 'call';

  const sent = batches.map(({ topic, messages }) => {
    const base = { ...baseAttributes(client), [ATTR_MESSAGING_DESTINATION_NAME]: topic };
    if (perCall) {
      const span = tracer.startSpan(
        `send ${topic}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: { ...base, [ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: messages.length },
        },
        parent,
      );
      if (!carriesContext(span)) return { topic, messages };
      const spanContext = trace.setSpan(parent, span);
      spans.push({ span, topic, sent: messages[0]! });
      return { topic, messages: messages.map((message) => withTraceHeaders(message, spanContext)) };
    }
    const copies: Message[] = [];
    for (const message of messages) {
      const attributes = { ...base, ...messageAttributes(message, captureKey) };
      const span = tracer.startSpan(
        `send ${topic}`,
        { kind: SpanKind.PRODUCER, attributes: legacy ? withLegacyNames(attributes) : attributes },
        parent,
      );
      if (!carriesContext(span)) {
        copies.push(message);
        continue;
      }
      runHook(telemetry, () => config.producerHook?.(span, { topic, message }));
      const copy = withTraceHeaders(message, trace.setSpan(parent, span));
      spans.push({ span, topic, sent: copy });
      copies.push(copy);
    }
    return { topic, messages: copies };
  });
  return { sent, spans };
}

/** Tracing is off (no SDK, or a non-recording unsampled root): nothing to propagate. */
function carriesContext(span: Span): boolean {
  return span.isRecording() || isSpanContextValid(span.spanContext());
}

function withTraceHeaders(message: Message, spanContext: Context): Message {
  const headers = { ...message.headers };
  propagation.inject(spanContext, headers, headerSetter);
  return { ...message, headers };
}

function finishSend(
  telemetry: Telemetry,
  client: ClientInfo,
  metricAttributes: AttributeCache,
  batches: TopicMessages[],
  spans: MessageSpan[],
  started: number,
  metadata: RecordMetadata[] | undefined,
  error: unknown,
) {
  const { instruments, partitionGrouping, config } = telemetry;
  const failure = error === undefined ? undefined : errorType(error);
  const withPartition = config.metricPartitionAttribute !== false;
  const seconds = (performance.now() - started) / 1000;

  for (const { topic, messages } of batches) {
    const grouping = partitionGrouping.get(messages);
    if (grouping && withPartition) {
      for (const [partition, inPartition] of Object.entries(grouping)) {
        instruments.sentMessages.add(
          inPartition.length,
          sendAttributes(metricAttributes, client, topic, partition, failure),
        );
      }
    } else {
      instruments.sentMessages.add(
        messages.length,
        sendAttributes(metricAttributes, client, topic, undefined, failure),
      );
    }
    if (failure === undefined) {
      let bytes = 0;
      for (const message of messages) {
        bytes += payloadSize(message.key) + payloadSize(message.value);
      }
      const attributes = metricAttributes.get(`bytes\u0000${topic}`, () => bytesAttributes(topic));
      instruments.sentBytes.add(bytes, attributes);
    }
  }
  const operationTopic = batches.length === 1 ? batches[0]!.topic : undefined;
  instruments.operationDuration.record(
    seconds,
    sendAttributes(metricAttributes, client, operationTopic, undefined, failure),
  );

  if (spans.length > 0) endMessageSpans(telemetry, client, batches, spans, metadata, error);
}

/** Fills partition and offset from the broker's answer, then ends every producer span. */
function endMessageSpans(
  telemetry: Telemetry,
  client: ClientInfo,
  batches: TopicMessages[],
  spans: MessageSpan[],
  metadata: RecordMetadata[] | undefined,
  error: unknown,
) {
  const legacy = telemetry.config.emitLegacyKafkaAttributes === true;
  const positions = new Map<Message, { partition: string; index: number }>();
  for (const { messages } of batches) {
    const grouping: MessagesPerPartition | undefined = telemetry.partitionGrouping.get(messages);
    if (!grouping) continue;
    for (const [partition, inPartition] of Object.entries(grouping)) {
      inPartition.forEach((message, index) => positions.set(message, { partition, index }));
    }
  }
  const baseOffsets = new Map<string, string>();
  for (const entry of metadata ?? []) {
    baseOffsets.set(`${entry.topicName}\u0000${entry.partition}`, entry.baseOffset ?? '-1');
  }

  const clusterId = telemetry.clusterIds.of(client.serverAddress, client.serverPort);
  for (const { span, topic, sent } of spans) {
    if (clusterId !== undefined) span.setAttribute(ATTR_KAFKA_CLUSTER_ID, clusterId);
    const position = positions.get(sent);
    if (position && telemetry.config.producerSpanMode !== 'call') {
      const attributes: Attributes = {
        [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: position.partition,
      };
      const base = Number(baseOffsets.get(`${topic}\u0000${position.partition}`) ?? -1);
      // acks=0 answers without offsets (-1): the offset is then unknown, not wrong.
      if (base >= 0) attributes[ATTR_KAFKA_OFFSET] = base + position.index;
      span.setAttributes(legacy ? withLegacyNames(attributes) : attributes);
    }
    if (error !== undefined) failSpan(span, error);
    span.end();
  }
}

function sendAttributes(
  cache: AttributeCache,
  client: ClientInfo,
  topic: string | undefined,
  partition: string | undefined,
  failure: string | undefined,
): Attributes {
  return cache.get(`${topic}\u0000${partition}\u0000${failure}`, () =>
    operationAttributes({
      operation: 'send',
      topic,
      partition,
      serverAddress: client.serverAddress,
      errorType: failure,
    }),
  );
}

/** Attributes every producer span carries. */
export function baseAttributes(client: ClientInfo): Attributes {
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA,
    [ATTR_MESSAGING_OPERATION_NAME]: 'send',
    [ATTR_MESSAGING_OPERATION_TYPE]: OPERATION_TYPE_SEND,
  };
  if (client.clientId !== undefined) attributes[ATTR_MESSAGING_CLIENT_ID] = client.clientId;
  if (client.serverAddress !== undefined) attributes[ATTR_SERVER_ADDRESS] = client.serverAddress;
  if (client.serverPort !== undefined) attributes[ATTR_SERVER_PORT] = client.serverPort;
  return attributes;
}

/** A record KafkaJS accepts: otherwise we step aside and let KafkaJS raise its own error. */
export function isRecordShape(record: unknown): record is TopicMessages {
  if (typeof record !== 'object' || record === null) return false;
  const { topic, messages } = record as Partial<TopicMessages>;
  return (
    typeof topic === 'string' &&
    Array.isArray(messages) &&
    messages.every((m) => typeof m === 'object' && m !== null && m.value !== undefined)
  );
}

function runHook(telemetry: Telemetry, hook: () => void) {
  safely(telemetry, 'producerHook', hook);
}
