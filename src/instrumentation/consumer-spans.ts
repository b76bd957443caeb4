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
import type { KafkaMessage } from 'kafkajs';

import { headerGetter } from './header-carrier';

import { messageAttributes, withLegacyNames } from './message-attributes';

import { safely } from './patch-support';
import {
  ATTR_KAFKA_OFFSET,
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_SYSTEM,
  MESSAGING_SYSTEM_KAFKA,
  OPERATION_TYPE_PROCESS,
  OPERATION_TYPE_RECEIVE,
} from './semconv';
import type { ConsumerScope } from './consumer-scope';
import { spanAttributes } from './consumer-scope';

/** Links per `poll` span are capped: a 10k-message batch must not carry 10k links. */
const MAX_BATCH_LINKS = 128;

/** Where a `process` span goes: its parent context, the producer link, its start time. */
export interface SpanPlacement {
  parent: Context;
  /** The producer's span context, when it is linked rather than the parent. */
  link?: SpanContext;
  /** Epoch milliseconds; now when absent. */
  startTime?: number;
}

/** Starts the `process` span of one message and runs the consumer hook on it. */
export function startProcessSpan(
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

/** Starts the `poll` span of an `eachBatch` call, linked to up to MAX_BATCH_LINKS producers. */
export function startPollSpan(
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
export function extractProducerContext(scope: ConsumerScope, message: KafkaMessage) {
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
