import type { Consumer, ConsumerRunConfig, TopicPartitionOffsetAndMetadata } from 'kafkajs';

import type { ClientInfo, Telemetry } from './internal-types';
import { AttributeCache } from './message-attributes';

import { markInstrumented } from './patch-support';

import type { ConsumerScope } from './consumer-scope';
import { observeCommit } from './consumer-commit';
import { listenToGroupEvents } from './consumer-group-events';
import { wrapEachBatch, wrapEachMessage } from './consumer-handlers';

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
