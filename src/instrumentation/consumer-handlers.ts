import { context, ROOT_CONTEXT, trace, type Context, type Span } from '@opentelemetry/api';
import type {
  ConsumerRunConfig,
  EachBatchPayload,
  EachMessagePayload,
  KafkaMessage,
} from 'kafkajs';
import { BatchMessageSpans } from './batch-message-spans';
import { errorType } from './error-type';

import { payloadSize } from './message-attributes';
import { failSpan } from './span-failure';
import { bytesAttributes } from './metric-attributes';
import { safely } from './patch-support';

import type { ConsumerScope } from './consumer-scope';
import { cachedOperationAttributes } from './consumer-scope';
import { extractProducerContext, startPollSpan, startProcessSpan } from './consumer-spans';

/** `eachMessage`: a `process` span per message (child of, or linked to, its producer) and message metrics. */
export function wrapEachMessage(
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

/** `eachBatch`: a `poll` span, per-message `process` spans timed by `resolveOffset`, message metrics. */
export function wrapEachBatch(
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
