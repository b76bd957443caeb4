import type { ClusterSnapshot } from './cluster-snapshot';
import type { LagStatus } from './lag/lag-status';
import { LagStatusEvaluator, type LagStatusEvaluatorOptions } from './lag/lag-status-evaluator';
import { OffsetTimeIndex, type OffsetTimeIndexOptions } from './lag/offset-time-index';
import { partitionKey } from './phases/phase-outcome';

export interface LagTrackerOptions {
  timeIndex?: OffsetTimeIndexOptions;
  status?: LagStatusEvaluatorOptions;
}

/** What the tracker derived for one group from this snapshot and the ones before it. */
export interface GroupLagEstimate {
  /** Lag status by the sliding-window rules; undefined until enough observations exist. */
  status?: LagStatus;
  /** Time lag in seconds by `partitionKey(topic, partition)`, where it could be interpolated. */
  timeLagSeconds: Map<string, number>;
}

/**
 * The collector's memory between snapshots: the offset-to-time points behind time lag, and the
 * sliding windows behind lag status. Fed once per finished snapshot, which it only reads;
 * bounded by the limits of its two parts, and forgetting partitions and groups that disappear.
 */
export class LagTracker {
  private readonly index: OffsetTimeIndex;
  private readonly evaluator: LagStatusEvaluator;

  constructor(options: LagTrackerOptions = {}) {
    this.index = new OffsetTimeIndex(options.timeIndex);
    this.evaluator = new LagStatusEvaluator(options.status);
  }

  /** Records this snapshot's log end offsets, then estimates time lag and status per group. */
  update(snapshot: ClusterSnapshot): Map<string, GroupLagEstimate> {
    const now = snapshot.takenAt;
    const oldest = new Map<string, number>();
    for (const topic of snapshot.topics) {
      for (const p of topic.partitions) {
        if (p.currentOffset !== undefined) {
          this.index.record(topic.name, p.partition, p.currentOffset, now);
        }
        if (p.oldestOffset !== undefined)
          oldest.set(partitionKey(topic.name, p.partition), p.oldestOffset);
      }
    }
    const estimates = new Map<string, GroupLagEstimate>();
    for (const group of snapshot.groups) {
      const consumerActive = group.members > 0;
      const timeLagSeconds = new Map<string, number>();
      for (const p of group.partitions) {
        if (p.committedOffset === undefined || p.lag === undefined) continue;
        const key = partitionKey(p.topic, p.partition);
        const seconds = this.index.timeLagSeconds(p.topic, p.partition, p.committedOffset, now);
        if (seconds !== undefined) timeLagSeconds.set(key, seconds);
        this.evaluator.observe(group.groupId, p.topic, p.partition, {
          timestampMs: now,
          committedOffset: p.committedOffset,
          lag: p.lag,
          logStartOffset: oldest.get(key),
          consumerActive,
        });
      }
      estimates.set(group.groupId, {
        status: this.evaluator.groupStatus(group.groupId),
        timeLagSeconds,
      });
    }
    this.index.forgetStale(now);
    this.evaluator.forgetStale(now);
    return estimates;
  }
}
