import { errorType } from './error-type';

import { lagAttributes } from './metric-attributes';
import { safely } from './patch-support';

import type { ConsumerScope } from './consumer-scope';
import { cachedGroupAttributes } from './consumer-scope';

/** Group telemetry from KafkaJS's instrumentation events (emitted only while someone listens). */
export function listenToGroupEvents(scope: ConsumerScope) {
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
