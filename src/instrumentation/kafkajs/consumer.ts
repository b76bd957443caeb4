/**
 * A KafkaJS delivery, from the fetched batch to the application's handler settling: the
 * consumer's message counts, bytes and end-to-end latency, the handler's duration, and the
 * `process` (and, for `eachBatch`, `poll`) spans in the context the messages carry.
 */
import { context, SpanKind, trace, type Context, type Span } from '@opentelemetry/api';
import type {
  Consumer,
  ConsumerRunConfig,
  EachBatchPayload,
  EachMessagePayload,
  KafkaMessage,
  TopicPartitionOffsetAndMetadata,
} from 'kafkajs';
import type { CarriedContext } from '../carrier';
import type { ClientIdentity } from '../client-identity';
import { rememberMessageContext } from '../message-context';
import type { ConsumerSeries } from '../recorder/consumer-series';
import { failureName } from '../error-type';
import { reportedError, safely, settle } from '../settle';
import { carriesTraceContext, failSpan, setBatchSize, setPosition } from '../spans';
import { BatchMessageSpans } from './consumer-batch-spans';
import { listenToGroupEvents } from './consumer-group';
import {
  ConsumerScope,
  type ConsumerTelemetry,
  type PartitionState,
  type Placement,
} from './consumer-scope';
import { optionsCopy, RUN_OPTIONS } from './faithful-copy';
import { markInstrumented } from './instrumented-mark';
import type { KafkaJsTelemetry } from './kafkajs-telemetry';

type EachMessage = NonNullable<ConsumerRunConfig['eachMessage']>;
type EachBatch = NonNullable<ConsumerRunConfig['eachBatch']>;

/** Links per `poll` span are capped: a 10k-message batch must not carry 10k links. */
const MAX_BATCH_LINKS = 128;

/**
 * Instruments one KafkaJS consumer: `run` handlers get their spans and delivery metrics,
 * `commitOffsets` a commit span, and KafkaJS's own events feed the group telemetry.
 */
export function instrumentConsumer(
  consumer: Consumer,
  telemetry: KafkaJsTelemetry,
  client: ClientIdentity,
  group: string,
) {
  if (!markInstrumented(consumer)) return;
  const scope = new ConsumerScope(telemetry, client, group);
  const { run, commitOffsets } = consumer;

  consumer.run = function instrumentedRun(this: unknown, config?: ConsumerRunConfig) {
    if (!telemetry.isEnabled() || typeof config !== 'object' || config === null) {
      return run.call(this, config);
    }
    let wrapped = config;
    safely(telemetry.diag, 'run', () => {
      wrapped = withWrappedHandlers(scope, config);
    });
    return run.call(this, wrapped);
  };

  consumer.commitOffsets = function instrumentedCommitOffsets(
    this: unknown,
    offsets: TopicPartitionOffsetAndMetadata[],
  ) {
    if (!telemetry.isEnabled()) return commitOffsets.call(this, offsets);
    return traceCommit(scope, offsets, () => commitOffsets.call(this, offsets));
  };

  listenToGroupEvents(consumer, scope);
}

/**
 * The run config KafkaJS gets: the application's, with its handlers wrapped, every other option
 * read as KafkaJS reads it (one a class supplies through a getter included).
 */
function withWrappedHandlers(scope: ConsumerScope, config: ConsumerRunConfig): ConsumerRunConfig {
  return withInstrumentedHandlers(scope, config, (handlers) =>
    optionsCopy(config, RUN_OPTIONS, handlers),
  );
}

/**
 * A `run` config with the application's `eachMessage` / `eachBatch` wrapped, made by `copy` the
 * way the client library reads the original; the original itself when it has no handler. Shared
 * by every client with the KafkaJS consumer API: their payloads have the same shape.
 */
export function withInstrumentedHandlers(
  scope: ConsumerScope,
  config: ConsumerRunConfig,
  copy: (handlers: Partial<ConsumerRunConfig>) => ConsumerRunConfig,
): ConsumerRunConfig {
  const { eachMessage, eachBatch } = config;
  const handlers: Partial<ConsumerRunConfig> = {};
  if (typeof eachMessage === 'function') handlers.eachMessage = wrapEachMessage(scope, eachMessage);
  if (typeof eachBatch === 'function') handlers.eachBatch = wrapEachBatch(scope, eachBatch);
  if (!handlers.eachMessage && !handlers.eachBatch) return config;
  return copy(handlers);
}

/**
 * `eachMessage`: a `process` span per message, the delivery and the handler's duration. The
 * hottest path of the package, written out rather than through `settle` to keep closures off it.
 */
function wrapEachMessage(scope: ConsumerScope, handler: EachMessage): EachMessage {
  const { telemetry } = scope;
  return async function instrumentedEachMessage(this: unknown, payload: EachMessagePayload) {
    if (!telemetry.isEnabled()) return handler.call(this, payload);
    const started = performance.now();
    let partition: PartitionState | undefined;
    let placement: Placement | undefined;
    try {
      partition = scope.partition(payload.topic, payload.partition);
      placement = startMessage(scope, partition, payload);
    } catch (error) {
      telemetry.diag.error('kafka-otel: eachMessage instrumentation failed', error);
    }
    const handlerContext = placement?.context;
    let value: void;
    try {
      value = await (handlerContext
        ? context.with(handlerContext, handler, this, payload)
        : handler.call(this, payload));
    } catch (error) {
      endMessage(telemetry, partition, placement, started, reportedError(error));
      throw error;
    }
    endMessage(telemetry, partition, placement, started, undefined);
    return value;
  };
}

/** Counts the delivery (and the batch's age, for its first message) and places the span. */
function startMessage(
  scope: ConsumerScope,
  partition: PartitionState,
  { topic, partition: id, message }: EachMessagePayload,
): Placement {
  const { series } = partition;
  series.delivered(1, sizeOf(message.key) + sizeOf(message.value));
  if (partition.batchStarting) {
    partition.batchStarting = false;
    recordBatchAge(series, message, Date.now());
  }
  const carried = scope.carried(message.headers);
  const asParent = scope.telemetry.settings.producerContextAsParent;
  const placement = scope.placeProcess(topic, id, message, context.active(), carried, asParent);
  if (placement.span) rememberMessageContext(message, placement.context!);
  return placement;
}

/** The handler settled: its duration, and the span's end. */
function endMessage(
  telemetry: ConsumerTelemetry,
  partition: PartitionState | undefined,
  placement: Placement | undefined,
  started: number,
  error: unknown,
) {
  try {
    partition?.series.processed((performance.now() - started) / 1000, failureName(error));
    const span = placement?.span;
    if (span) {
      if (error !== undefined) failSpan(span, error);
      span.end();
    }
  } catch (failure) {
    telemetry.diag.error('kafka-otel: eachMessage instrumentation failed', failure);
  }
}

/** `eachBatch`: a `poll` span, per-message `process` spans timed by `resolveOffset`, the delivery. */
function wrapEachBatch(scope: ConsumerScope, handler: EachBatch): EachBatch {
  const { telemetry } = scope;
  return function instrumentedEachBatch(this: unknown, payload: EachBatchPayload) {
    if (!telemetry.isEnabled()) return handler.call(this, payload);
    const started = performance.now();
    const { topic, partition, messages } = payload.batch;
    let series: ConsumerSeries | undefined;
    let poll: Span | undefined;
    let handlerContext: Context | undefined;
    let handlerPayload = payload;
    let messageSpans: BatchMessageSpans | undefined;
    try {
      series = scope.partition(topic, partition).series;
      recordDelivery(series, messages);
      const traced = startPoll(scope, topic, partition, messages);
      poll = traced.poll;
      handlerContext = traced.context;
      if (poll && handlerContext && telemetry.settings.batchMessageSpans && messages.length > 0) {
        const spans = new BatchMessageSpans(
          scope,
          topic,
          partition,
          messages,
          traced.carried!,
          handlerContext,
        );
        messageSpans = spans;
        for (const message of messages) rememberMessageContext(message, spans);
        // A copy of KafkaJS's payload whose resolveOffset also ends the message spans.
        handlerPayload = {
          ...payload,
          resolveOffset: (offset: string) => {
            safely(telemetry.diag, 'resolveOffset', () => spans.resolved(offset));
            return payload.resolveOffset(offset);
          },
        };
      }
    } catch (error) {
      telemetry.diag.error('kafka-otel: eachBatch instrumentation failed', error);
    }
    const invoke = handlerContext
      ? () => context.with(handlerContext, handler, this, handlerPayload)
      : () => handler.call(this, handlerPayload);
    return settle(telemetry.diag, 'eachBatch', invoke, (error) => {
      messageSpans?.finish(error);
      series?.processed((performance.now() - started) / 1000, failureName(error));
      if (poll) {
        if (error !== undefined) failSpan(poll, error);
        poll.end();
      }
    });
  };
}

/** What the `poll` span of a batch gives the handler. */
interface TracedPoll {
  /** The poll span, when it records. */
  poll: Span | undefined;
  /** The handler's context, when tracing changes it. */
  context: Context | undefined;
  /** What each message carries, read only when the poll span records. */
  carried: CarriedContext[] | undefined;
}

/**
 * Starts the batch's `poll` span (a receive operation: kind CLIENT). The messages' headers are
 * read only when it records: then the poll links to up to MAX_BATCH_LINKS producers.
 */
function startPoll(
  scope: ConsumerScope,
  topic: string,
  partition: number,
  messages: KafkaMessage[],
): TracedPoll {
  const parent = context.active();
  const poll = scope.telemetry.tracer.startSpan(
    `poll ${topic}`,
    { kind: SpanKind.CLIENT, attributes: scope.spanStart('poll', topic) },
    parent,
  );
  if (!poll.isRecording()) {
    const carriesContext = carriesTraceContext(poll);
    return {
      poll: undefined,
      context: carriesContext ? trace.setSpan(parent, poll) : undefined,
      carried: undefined,
    };
  }
  setPosition(poll, String(partition), undefined, false);
  setBatchSize(poll, messages.length);
  const carried = messages.map((message) => scope.carried(message.headers));
  const links = [];
  for (const { producer } of carried) {
    if (links.length >= MAX_BATCH_LINKS) break;
    if (producer) links.push({ context: producer });
  }
  if (links.length > 0) poll.addLinks(links);
  return { poll, context: trace.setSpan(parent, poll), carried };
}

/** Consumed messages and bytes of a batch, and its end-to-end latency. */
function recordDelivery(series: ConsumerSeries, messages: KafkaMessage[]) {
  if (messages.length === 0) return;
  let bytes = 0;
  for (const message of messages) bytes += sizeOf(message.key) + sizeOf(message.value);
  series.delivered(messages.length, bytes);
  recordBatchAge(series, messages[0]!, Date.now());
}

/**
 * The batch's end-to-end latency: the age of its first record when the handler starts on it.
 * One point per batch: a histogram point costs the SDK a hash of its attribute set (about a
 * microsecond), more than KafkaJS spends on a message.
 */
function recordBatchAge(series: ConsumerSeries, first: KafkaMessage, now: number) {
  const timestamp = Number(first.timestamp);
  // Producer clocks can run ahead of ours; a negative latency is skew, not information.
  if (timestamp > 0) series.endToEnd(Math.max(0, now - timestamp) / 1000);
}

/** KafkaJS delivers keys and values as Buffers (or null). */
function sizeOf(value: Buffer | null | undefined): number {
  return value ? value.length : 0;
}

/** An explicit `commitOffsets`: a `commit` span. Commits are counted where all commits pass. */
export function traceCommit(
  scope: ConsumerScope,
  offsets: TopicPartitionOffsetAndMetadata[],
  invoke: () => Promise<void>,
): Promise<void> {
  const { telemetry } = scope;
  let span: Span | undefined;
  safely(telemetry.diag, 'commit', () => {
    const topics = Array.isArray(offsets) ? new Set(offsets.map((o) => o?.topic)) : new Set();
    const [only] = topics;
    const topic = topics.size === 1 && typeof only === 'string' ? only : undefined;
    span = telemetry.tracer.startSpan(
      topic ? `commit ${topic}` : 'commit',
      { kind: SpanKind.CLIENT, attributes: scope.spanStart('commit', topic) },
      context.active(),
    );
  });
  return settle(telemetry.diag, 'commit', invoke, (error) => {
    if (!span) return;
    if (error !== undefined) failSpan(span, error);
    span.end();
  });
}
