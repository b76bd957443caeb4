import { context, SpanKind, type Span } from '@opentelemetry/api';
import type { TopicPartitionOffsetAndMetadata } from 'kafkajs';

import { errorType } from './error-type';

import { failSpan } from './span-failure';

import { safely } from './patch-support';
import { OPERATION_TYPE_SETTLE } from './semconv';
import type { ConsumerScope } from './consumer-scope';
import { cachedGroupAttributes, cachedOperationAttributes, spanAttributes } from './consumer-scope';

/** An explicit `commitOffsets`: a `commit` span and the commit duration; failures are counted here. */
export function observeCommit(
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
