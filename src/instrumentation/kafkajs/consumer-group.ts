/**
 * A consumer's life in its group, from KafkaJS's own instrumentation events (emitted only while
 * someone listens): rebalances and join time, assignment, crashes, the lag it sees per batch;
 * and every offset commit, automatic or explicit, at the one place KafkaJS sends them.
 */
import type { Consumer } from 'kafkajs';
import { failureName } from '../error-type';
import { safely, settle } from '../settle';
import type { ConsumerScope } from './consumer-scope';
import type { KafkaJsTelemetry } from './kafkajs-telemetry';
import type { OffsetManager } from './kafkajs-internals';

type GroupEventPayload = Record<string, unknown>;

/** Subscribes the group telemetry of one consumer to its KafkaJS events. */
export function listenToGroupEvents(consumer: Consumer, scope: ConsumerScope) {
  const { telemetry, group } = scope;
  const { recorder } = telemetry;
  const { events } = consumer;
  const on = (event: string, listener: (payload: GroupEventPayload) => void) => {
    consumer.on(event as never, (e: { payload?: GroupEventPayload }) => {
      if (!telemetry.isEnabled()) return;
      safely(telemetry.diag, event, () => listener(e.payload ?? {}));
    });
  };

  on(events.GROUP_JOIN, (payload) => {
    const assignment = (payload.memberAssignment ?? {}) as Record<string, number[]>;
    let assigned = 0;
    for (const partitions of Object.values(assignment)) assigned += partitions.length;
    recorder.recordRebalance({
      group,
      joinDurationSeconds: Number(payload.duration) / 1000,
      assignedPartitions: assigned,
    });
    recorder.retainLag(consumer, assignment);
  });
  on(events.CRASH, (payload) => {
    const restart = payload.restart === true;
    recorder.recordCrash({ group, error: failureName(payload.error) ?? '_OTHER', restart });
    if (!restart) recorder.forgetLag(consumer);
  });
  on(events.START_BATCH_PROCESS, (payload) => {
    scope.partition(String(payload.topic), Number(payload.partition)).batchStarting = true;
  });
  on(events.END_BATCH_PROCESS, (payload) => {
    const lag = Number(payload.offsetLag);
    recorder.setLag(consumer, group, String(payload.topic), Number(payload.partition), lag);
  });
  const leave = () => {
    recorder.forgetLag(consumer);
    recorder.recordAssignedPartitions(group, 0);
  };
  on(events.STOP, leave);
  on(events.DISCONNECT, leave);
}

/**
 * Wraps `OffsetManager#commitOffsets`, which every commit of a KafkaJS consumer goes through
 * (auto-commit after a batch or on interval, `commitOffsetsIfNecessary`, `consumer.commitOffsets`):
 * one `kafka.consumer.commits` count and one commit duration per commit sent, with the error of
 * a failed one. A call with nothing to commit sends nothing and is not counted.
 */
export function offsetCommitPatch(telemetry: KafkaJsTelemetry) {
  return (original: OffsetManager['commitOffsets']): OffsetManager['commitOffsets'] =>
    function commitOffsets(this: OffsetManager, offsets) {
      if (!telemetry.isEnabled()) return original.call(this, offsets);
      let topics: { topic: string }[] = [];
      safely(telemetry.diag, 'commit', () => {
        topics = offsets?.topics ?? this.uncommittedOffsets().topics ?? [];
      });
      if (topics.length === 0) return original.call(this, offsets);
      const started = performance.now();
      return settle(
        telemetry.diag,
        'commit',
        () => original.call(this, offsets),
        (error) => {
          const group = this.groupId;
          if (typeof group !== 'string') return;
          const only = topics.length === 1 ? topics[0]?.topic : undefined;
          telemetry.recorder.recordCommit({
            group,
            topic: typeof only === 'string' ? only : undefined,
            durationSeconds: (performance.now() - started) / 1000,
            error: failureName(error),
          });
        },
      );
    };
}
