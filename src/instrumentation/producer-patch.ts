import {
  context,
  isSpanContextValid,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { Message, Producer, RecordMetadata, Transaction } from 'kafkajs';
import { errorType } from './error-type';
import { headerSetter } from './header-carrier';
import type { ClientInfo, MessagesPerPartition, Telemetry } from './internal-types';
import {
  AttributeCache,
  messageAttributes,
  payloadSize,
  withLegacyNames,
} from './message-attributes';
import {
  ATTR_ERROR_TYPE,
  ATTR_KAFKA_CLUSTER_ID,
  ATTR_KAFKA_OFFSET,
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_CLIENT_ID,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  MESSAGING_SYSTEM_KAFKA,
  OPERATION_TYPE_SEND,
  OPERATION_TYPE_SETTLE,
} from './semconv';
import { bytesAttributes, operationAttributes } from './metric-attributes';
import { markInstrumented, safely } from './patch-support';

interface TopicMessages {
  topic: string;
  messages: Message[];
}

interface MessageSpan {
  span: Span;
  topic: string;
  /** The message object handed to KafkaJS (our copy when headers were injected). */
  sent: Message;
}

type Invoke = (batches: TopicMessages[]) => Promise<RecordMetadata[]>;

/**
 * Wraps `send`, `sendBatch` and `transaction` of one KafkaJS producer in place. The producer
 * object is KafkaJS's, not the application's; the application's records and messages are never
 * touched: messages that get trace headers are shallow copies with a copied header object.
 */
export function instrumentProducer(producer: Producer, telemetry: Telemetry, client: ClientInfo) {
  if (!markInstrumented(producer)) return;
  const metricAttributes = new AttributeCache();
  const { send, sendBatch, transaction } = producer;

  producer.send = function instrumentedSend(this: unknown, record) {
    if (!telemetry.isEnabled() || !isRecordShape(record)) return send.call(this, record);
    return observeSend(telemetry, client, metricAttributes, undefined, [record], ([only]) =>
      send.call(this, { ...record, messages: only!.messages }),
    );
  };

  producer.sendBatch = function instrumentedSendBatch(this: unknown, batch) {
    const topicMessages = batch?.topicMessages;
    if (
      !telemetry.isEnabled() ||
      !Array.isArray(topicMessages) ||
      !topicMessages.every(isRecordShape)
    ) {
      return sendBatch.call(this, batch);
    }
    return observeSend(telemetry, client, metricAttributes, undefined, topicMessages, (sent) =>
      sendBatch.call(this, { ...batch, topicMessages: sent }),
    );
  };

  producer.transaction = async function instrumentedTransaction(this: unknown) {
    const txn = await transaction.call(this);
    if (telemetry.isEnabled()) {
      safely(telemetry, 'transaction', () =>
        instrumentTransaction(txn, telemetry, client, metricAttributes),
      );
    }
    return txn;
  };
}

/** A `transaction` span parents every send of the transaction and ends on commit or abort. */
function instrumentTransaction(
  txn: Transaction,
  telemetry: Telemetry,
  client: ClientInfo,
  metricAttributes: AttributeCache,
) {
  const parent = context.active();
  const span = telemetry.tracer.startSpan(
    'transaction',
    { kind: SpanKind.INTERNAL, attributes: baseAttributes(client) },
    parent,
  );
  const inTransaction = trace.setSpan(parent, span);
  const { send, sendBatch, sendOffsets, commit, abort } = txn;

  txn.send = function transactionalSend(this: unknown, record) {
    if (!isRecordShape(record)) return send.call(this, record);
    return observeSend(telemetry, client, metricAttributes, inTransaction, [record], ([only]) =>
      send.call(this, { ...record, messages: only!.messages }),
    );
  };
  txn.sendBatch = function transactionalSendBatch(this: unknown, batch) {
    const topicMessages = batch?.topicMessages;
    if (!Array.isArray(topicMessages) || !topicMessages.every(isRecordShape)) {
      return sendBatch.call(this, batch);
    }
    return observeSend(telemetry, client, metricAttributes, inTransaction, topicMessages, (sent) =>
      sendBatch.call(this, { ...batch, topicMessages: sent }),
    );
  };
  txn.sendOffsets = function transactionalSendOffsets(this: unknown, offsets) {
    const child = telemetry.tracer.startSpan(
      'send_offsets',
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          ...baseAttributes(client),
          [ATTR_MESSAGING_OPERATION_NAME]: 'send_offsets',
          [ATTR_MESSAGING_OPERATION_TYPE]: OPERATION_TYPE_SETTLE,
          [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: offsets?.consumerGroupId,
        },
      },
      inTransaction,
    );
    return settleSpan(child, sendOffsets.call(this, offsets));
  };
  const finish = (outcome: 'commit' | 'abort', original: () => Promise<void>) =>
    function endTransaction(this: unknown) {
      span.setAttribute('kafka.transaction.outcome', outcome);
      return settleSpan(span, original.call(this));
    };
  txn.commit = finish('commit', commit);
  txn.abort = finish('abort', abort);
}

/** Ends `span` when `promise` settles, with ERROR status on rejection; the outcome passes through unchanged. */
function settleSpan<T>(span: Span, promise: Promise<T>): Promise<T> {
  return promise.then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      failSpan(span, error);
      span.end();
      throw error;
    },
  );
}

function observeSend(
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
function baseAttributes(client: ClientInfo): Attributes {
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

/** Marks a span failed the way the semantic conventions ask: status, exception event, error.type. */
export function failSpan(span: Span, error: unknown) {
  const type = errorType(error);
  span.setAttribute(ATTR_ERROR_TYPE, type);
  if (error instanceof Error) {
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  } else {
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
  }
}

/** A record KafkaJS accepts: otherwise we step aside and let KafkaJS raise its own error. */
function isRecordShape(record: unknown): record is TopicMessages {
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
