import type { ClusterSnapshot } from './cluster-snapshot';
import { LagStatusEvaluator, type LagStatusEvaluatorOptions } from './lag/lag-status-evaluator';
import { OffsetTimeIndex, type OffsetTimeIndexOptions } from './lag/offset-time-index';

export interface LagTrackerOptions {
  timeIndex?: OffsetTimeIndexOptions;
  status?: LagStatusEvaluatorOptions;
}

/**
 * The collector's memory between snapshots: the offset-to-time points behind time lag, and the
 * sliding windows behind lag status. Updated once per snapshot taken, in place; bounded by the
 * limits of its two parts, and forgetting partitions and groups that disappear.
 */
export class LagTracker {
  private readonly index: OffsetTimeIndex;
  private readonly evaluator: LagStatusEvaluator;

  constructor(options: LagTrackerOptions = {}) {
    this.index = new OffsetTimeIndex(options.timeIndex);
    this.evaluator = new LagStatusEvaluator(options.status);
  }

  /** Records this snapshot's log end offsets, then fills time lag and status of every group. */
  update(snapshot: ClusterSnapshot) {
    const now = snapshot.takenAt;
    const oldest = new Map<string, number>();
    for (const topic of snapshot.topics) {
      for (const p of topic.partitions) {
        if (p.currentOffset !== undefined) {
          this.index.record(topic.name, p.partition, p.currentOffset, now);
        }
        if (p.oldestOffset !== undefined)
          oldest.set(`${topic.name}\u0000${p.partition}`, p.oldestOffset);
      }
    }
    for (const group of snapshot.groups) {
      const consumerActive = group.members > 0;
      for (const p of group.partitions) {
        if (p.committedOffset === undefined || p.lag === undefined) continue;
        p.timeLagSeconds = this.index.timeLagSeconds(p.topic, p.partition, p.committedOffset, now);
        this.evaluator.observe(group.groupId, p.topic, p.partition, {
          timestampMs: now,
          committedOffset: p.committedOffset,
          lag: p.lag,
          logStartOffset: oldest.get(`${p.topic}\u0000${p.partition}`),
          consumerActive,
        });
      }
      group.status = this.evaluator.groupStatus(group.groupId);
    }
    this.index.forgetStale(now);
    this.evaluator.forgetStale(now);
  }
}
