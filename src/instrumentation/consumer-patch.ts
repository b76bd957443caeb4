import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  isSpanContextValid,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import type {
  Consumer,
  ConsumerRunConfig,
  EachBatchPayload,
  EachMessagePayload,
  KafkaMessage,
  TopicPartitionOffsetAndMetadata,
} from 'kafkajs';
import { BatchMessageSpans } from './batch-message-spans';
import { errorType } from './error-type';
import { headerGetter } from './header-carrier';
import type { ClientInfo, Telemetry } from './internal-types';
import {
  AttributeCache,
  messageAttributes,
  payloadSize,
  withLegacyNames,
} from './message-attributes';
import { failSpan } from './producer-patch';
import {
  bytesAttributes,
  groupAttributes,
  lagAttributes,
  operationAttributes,
  type MessagingOperation,
} from './metric-attributes';
import { markInstrumented, safely } from './patch-support';
import {
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
  OPERATION_TYPE_PROCESS,
  OPERATION_TYPE_RECEIVE,
  OPERATION_TYPE_SETTLE,
} from './semconv';

/** Links per `poll` span are capped: a 10k-message batch must not carry 10k links. */
const MAX_BATCH_LINKS = 128;

interface ConsumerScope {
  telemetry: Telemetry;
  client: ClientInfo;
  groupId: string;
  /** The consumer object: the key of its lag series. */
  consumer: Consumer;
  metricAttributes: AttributeCache;
}

/**
 * Instruments one KafkaJS consumer: `run` handlers get process / poll spans and message
 * metrics, `commitOffsets` a commit span, and KafkaJS's own instrumentation events feed the
 * group telemetry (rebalances, join time, commits, crashes, assignment, lag).
 */
export function instrumentConsumer(
  consumer: Consumer,
  telemetry: Telemetry,
  client: ClientInfo,
  groupId: string,
) {
  if (!markInstrumented(consumer)) return;
  const scope: ConsumerScope = {
    telemetry,
    client,
    groupId,
    consumer,
    metricAttributes: new AttributeCache(),
  };
  const { run, commitOffsets } = consumer;

  consumer.run = function instrumentedRun(this: unknown, config?: ConsumerRunConfig) {
    if (!telemetry.isEnabled() || typeof config !== 'object' || config === null) {
      return run.call(this, config);
    }
    const wrapped: ConsumerRunConfig = { ...config };
    if (typeof config.eachMessage === 'function') {
      wrapped.eachMessage = wrapEachMessage(scope, config.eachMessage);
    }
    if (typeof config.eachBatch === 'function') {
      wrapped.eachBatch = wrapEachBatch(scope, config.eachBatch);
    }
    return run.call(this, wrapped);
  };

  consumer.commitOffsets = function instrumentedCommitOffsets(
    this: unknown,
    offsets: TopicPartitionOffsetAndMetadata[],
  ) {
    if (!telemetry.isEnabled()) return commitOffsets.call(this, offsets);
    return observeCommit(scope, offsets, () => commitOffsets.call(this, offsets));
  };

  listenToGroupEvents(scope);
}

function wrapEachMessage(
  scope: ConsumerScope,
  handler: NonNullable<ConsumerRunConfig['eachMessage']>,
): NonNullable<ConsumerRunConfig['eachMessage']> {
  const { telemetry } = scope;
  return function instrumentedEachMessage(this: unknown, payload: EachMessagePayload) {
    if (!telemetry.isEnabled()) return handler.call(this, payload);
    const started = performance.now();
    let span: Span | undefined;
    let handlerContext: Context = context.active();
    safely(telemetry, 'eachMessage', () => {
      recordDelivery(scope, payload.topic, payload.partition, [payload.message]);
      const { message } = payload;
      const producerContext = extractProducerContext(scope, message);
      // Parent mode: the handler continues the producer's trace. Link mode: it stays in whatever
      // trace is active around the consumer loop, pointing at the producer by a link.
      const asLink = scope.telemetry.config.consumerContextRelation === 'link';
      const parent =
        asLink || !producerContext
          ? context.active()
          : trace.setSpanContext(ROOT_CONTEXT, producerContext);
      span = startProcessSpan(scope, payload.topic, payload.partition, message, {
        parent,
        link: asLink ? producerContext : undefined,
      });
      handlerContext = trace.setSpan(parent, span);
    });
    return settleHandler(scope, payload.topic, started, span, () =>
      context.with(handlerContext, () => handler.call(this, payload)),
    );
  };
}

function wrapEachBatch(
  scope: ConsumerScope,
  handler: NonNullable<ConsumerRunConfig['eachBatch']>,
): NonNullable<ConsumerRunConfig['eachBatch']> {
  const { telemetry } = scope;
  return function instrumentedEachBatch(this: unknown, payload: EachBatchPayload) {
    if (!telemetry.isEnabled()) return handler.call(this, payload);
    const started = performance.now();
    const { topic, partition, messages } = payload.batch;
    let span: Span | undefined;
    let handlerContext: Context = context.active();
    let handlerPayload = payload;
    let messageSpans: BatchMessageSpans | undefined;
    safely(telemetry, 'eachBatch', () => {
      recordDelivery(scope, topic, partition, messages);
      const producerContexts = messages.map((message) => extractProducerContext(scope, message));
      const poll = startPollSpan(scope, topic, partition, messages, producerContexts);
      span = poll;
      handlerContext = trace.setSpan(context.active(), poll);
      if (telemetry.config.batchMessageSpans === false || !poll.isRecording()) return;
      const pollContext = handlerContext;
      const spans = new BatchMessageSpans(
        messages,
        (index, startTime) =>
          startProcessSpan(scope, topic, partition, messages[index]!, {
            parent: pollContext,
            link: producerContexts[index],
            startTime,
          }),
        Date.now(),
      );
      messageSpans = spans;
      // A copy of KafkaJS's payload whose resolveOffset also ends the message spans.
      handlerPayload = {
        ...payload,
        resolveOffset: (offset: string) => {
          safely(telemetry, 'resolveOffset', () => spans.resolved(offset));
          return payload.resolveOffset(offset);
        },
      };
    });
    return settleHandler(
      scope,
      topic,
      started,
      span,
      () => context.with(handlerContext, () => handler.call(this, handlerPayload)),
      (error) => messageSpans?.finish(error),
    );
  };
}

/** Runs the user's handler; whatever it returns or throws reaches KafkaJS unchanged. */
function settleHandler(
  scope: ConsumerScope,
  topic: string,
  started: number,
  span: Span | undefined,
  invoke: () => Promise<void>,
  onSettled?: (error: unknown) => void,
): Promise<void> {
  const finish = (error: unknown) =>
    safely(scope.telemetry, 'handler', () => {
      onSettled?.(error);
      const failure = error === undefined ? undefined : errorType(error);
      scope.telemetry.instruments.processDuration.record(
        (performance.now() - started) / 1000,
        cachedOperationAttributes(scope, 'process', topic, undefined, failure),
      );
      if (span) {
        if (error !== undefined) failSpan(span, error);
        span.end();
      }
    });
  let result: Promise<void>;
  try {
    result = invoke();
  } catch (error) {
    finish(error);
    throw error;
  }
  return Promise.resolve(result).then(
    (value) => {
      finish(undefined);
      return value;
    },
    (error: unknown) => {
      finish(error ?? new Error('handler rejected'));
      throw error;
    },
  );
}

/** Consumed messages, bytes and end-to-end latency, recorded once per delivery. */
function recordDelivery(
  scope: ConsumerScope,
  topic: string,
  partition: number,
  messages: KafkaMessage[],
) {
  if (messages.length === 0) return;
  const { instruments } = scope.telemetry;
  const withPartition = scope.telemetry.config.metricPartitionAttribute !== false;
  instruments.consumedMessages.add(
    messages.length,
    cachedOperationAttributes(
      scope,
      'process',
      topic,
      withPartition ? partition : undefined,
      undefined,
    ),
  );
  let bytes = 0;
  const now = Date.now();
  const latencyAttributes = cachedOperationAttributes(
    scope,
    'process',
    topic,
    undefined,
    undefined,
  );
  for (const message of messages) {
    bytes += payloadSize(message.key) + payloadSize(message.value);
    const timestamp = Number(message.timestamp);
    // Producer clocks can run ahead of ours; a negative latency is skew, not information.
    if (timestamp > 0) {
      instruments.endToEndLatency.record(Math.max(0, now - timestamp) / 1000, latencyAttributes);
    }
  }
  const bytesKey = `bytes\u0000${topic}`;
  instruments.consumedBytes.add(
    bytes,
    scope.metricAttributes.get(bytesKey, () => bytesAttributes(topic, scope.groupId)),
  );
}

interface SpanPlacement {
  parent: Context;
  /** The producer's span context, when it is linked rather than the parent. */
  link?: SpanContext;
  /** Epoch milliseconds; now when absent. */
  startTime?: number;
}

function startProcessSpan(
  scope: ConsumerScope,
  topic: string,
  partition: number,
  message: KafkaMessage,
  placement: SpanPlacement,
): Span {
  const { tracer, config } = scope.telemetry;
  const attributes: Attributes = {
    ...spanAttributes(scope, topic, 'process', OPERATION_TYPE_PROCESS),
    [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(partition),
    [ATTR_KAFKA_OFFSET]: Number(message.offset),
    ...messageAttributes(message, config.captureMessageKey !== false),
  };
  const span = tracer.startSpan(
    `process ${topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: config.emitLegacyKafkaAttributes ? withLegacyNames(attributes) : attributes,
      links: placement.link ? [{ context: placement.link }] : [],
      startTime: placement.startTime,
    },
    placement.parent,
  );
  safely(scope.telemetry, 'consumerHook', () =>
    config.consumerHook?.(span, { topic, partition, message }),
  );
  return span;
}

function startPollSpan(
  scope: ConsumerScope,
  topic: string,
  partition: number,
  messages: KafkaMessage[],
  producerContexts: (SpanContext | undefined)[],
): Span {
  const links: Link[] = [];
  for (const producerContext of producerContexts) {
    if (links.length >= MAX_BATCH_LINKS) break;
    if (producerContext) links.push({ context: producerContext });
  }
  return scope.telemetry.tracer.startSpan(
    `poll ${topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...spanAttributes(scope, topic, 'poll', OPERATION_TYPE_RECEIVE),
        [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(partition),
        [ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: messages.length,
      },
      links,
    },
    context.active(),
  );
}

/**
 * The producer's span context from the message headers. A traceparent that is present but not
 * valid W3C is counted and otherwise ignored: a corrupt header must not break consumption.
 */
function extractProducerContext(scope: ConsumerScope, message: KafkaMessage) {
  const headers = message.headers;
  if (!headers || headers.traceparent === undefined) return undefined;
  const extracted = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, headers, headerGetter));
  if (extracted && isSpanContextValid(extracted)) return extracted;
  scope.telemetry.instruments.invalidTraceContext.add(1, {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA,
    [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: scope.groupId,
  });
  scope.telemetry.diag.debug('kafka-otel: ignored a malformed traceparent header');
  return undefined;
}

function observeCommit(
  scope: ConsumerScope,
  offsets: TopicPartitionOffsetAndMetadata[],
  invoke: () => Promise<void>,
): Promise<void> {
  const started = performance.now();
  const topics = Array.isArray(offsets) ? [...new Set(offsets.map((o) => o?.topic))] : [];
  const topic = topics.length === 1 && typeof topics[0] === 'string' ? topics[0] : undefined;
  let span: Span | undefined;
  safely(scope.telemetry, 'commit', () => {
    span = scope.telemetry.tracer.startSpan(
      topic ? `commit ${topic}` : 'commit',
      {
        kind: SpanKind.CLIENT,
        attributes: spanAttributes(scope, topic, 'commit', OPERATION_TYPE_SETTLE),
      },
      context.active(),
    );
  });
  const finish = (error: unknown) =>
    safely(scope.telemetry, 'commit', () => {
      const failure = error === undefined ? undefined : errorType(error);
      scope.telemetry.instruments.operationDuration.record(
        (performance.now() - started) / 1000,
        cachedOperationAttributes(scope, 'commit', topic, undefined, failure),
      );
      // Successful commits are counted from KafkaJS's commit_offsets event; failures only here.
      if (failure !== undefined) {
        scope.telemetry.instruments.commits.add(1, cachedGroupAttributes(scope, failure));
      }
      if (span) {
        if (error !== undefined) failSpan(span, error);
        span.end();
      }
    });
  return invoke().then(
    () => finish(undefined),
    (error: unknown) => {
      finish(error ?? new Error('commit rejected'));
      throw error;
    },
  );
}

/** Group telemetry from KafkaJS's instrumentation events (emitted only while someone listens). */
function listenToGroupEvents(scope: ConsumerScope) {
  const { consumer, telemetry } = scope;
  const { events } = consumer;
  const { instruments, consumerLag } = telemetry;
  const on = (event: string, listener: (payload: Record<string, unknown>) => void) => {
    consumer.on(event as never, (e: { payload: Record<string, unknown> }) => {
      if (!telemetry.isEnabled()) return;
      safely(telemetry, event, () => listener(e.payload));
    });
  };

  on(events.GROUP_JOIN, (payload) => {
    const assignment = (payload.memberAssignment ?? {}) as Record<string, number[]>;
    const attributes = cachedGroupAttributes(scope);
    instruments.rebalances.add(1, attributes);
    instruments.groupJoinDuration.record(Number(payload.duration) / 1000, attributes);
    let assigned = 0;
    for (const partitions of Object.values(assignment)) assigned += partitions.length;
    instruments.assignedPartitions.record(assigned, attributes);
    consumerLag.retainAssignment(consumer, assignment);
  });
  on(events.COMMIT_OFFSETS, () => {
    instruments.commits.add(1, cachedGroupAttributes(scope));
  });
  on(events.CRASH, (payload) => {
    const restart = payload.restart === true;
    instruments.crashes.add(1, cachedGroupAttributes(scope, errorType(payload.error), restart));
    if (!restart) consumerLag.forget(consumer);
  });
  on(events.END_BATCH_PROCESS, (payload) => {
    const topic = String(payload.topic);
    const partition = Number(payload.partition);
    const attributes = scope.metricAttributes.get(`lag\u0000${topic}\u0000${partition}`, () =>
      lagAttributes(scope.groupId, topic, partition),
    );
    consumerLag.set(consumer, topic, partition, Number(payload.offsetLag), attributes);
  });
  const forget = () => {
    consumerLag.forget(consumer);
    instruments.assignedPartitions.record(0, cachedGroupAttributes(scope));
  };
  on(events.STOP, forget);
  on(events.DISCONNECT, forget);
}

/** Shared attribute builders, cached per consumer so hot-path recordings allocate nothing. */
function cachedGroupAttributes(
  scope: ConsumerScope,
  failure?: string,
  restart?: boolean,
): Attributes {
  return scope.metricAttributes.get(`group\u0000${failure}\u0000${restart}`, () =>
    groupAttributes({ group: scope.groupId, errorType: failure, restart }),
  );
}

function cachedOperationAttributes(
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

function spanAttributes(
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
