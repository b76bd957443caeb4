import type { ClusterSnapshot, GroupSnapshot } from './cluster-snapshot';
import { type LagStatus, worseLagStatus } from './lag/lag-status';
import { LagStatusEvaluator, type LagStatusEvaluatorOptions } from './lag/lag-status-evaluator';
import { OffsetTimeIndex, type OffsetTimeIndexOptions } from './lag/offset-time-index';

export interface LagTrackerOptions {
  timeIndex?: OffsetTimeIndexOptions;
  status?: LagStatusEvaluatorOptions;
}

/** What the tracker derived for one group from this snapshot and the ones before it. */
export interface GroupLagEstimate {
  /**
   * Lag status by the sliding-window rules: the worst of the partitions the group has a
   * committed offset on in this snapshot, each by its window (as last judged where this
   * snapshot could not measure its lag); undefined when none of them was ever measured.
   */
  status?: LagStatus;
  /**
   * Interpolated time lag in seconds of each of the group's partitions that has none from the
   * log, in the order of the snapshot's `group.partitions`; undefined where the snapshot has
   * one or it could not be interpolated. An array, not a map by partition: it is made for
   * every group-partition at every snapshot.
   */
  timeLagSeconds: (number | undefined)[];
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
    // Log start offsets by topic, then partition: no key string per partition per snapshot.
    const logStart = new Map<string, Map<number, number>>();
    for (const topic of snapshot.topics) {
      const starts = new Map<number, number>();
      logStart.set(topic.name, starts);
      for (const p of topic.partitions) {
        if (p.currentOffset !== undefined) {
          this.index.record(topic.name, p.partition, p.currentOffset, now);
        }
        if (p.oldestOffset !== undefined) starts.set(p.partition, p.oldestOffset);
      }
    }
    const estimates = new Map<string, GroupLagEstimate>();
    for (const group of snapshot.groups) {
      const consumerActive = hasMembers(group);
      // The worst status of the partitions the group has in this snapshot: a window kept for a
      // partition it no longer has (its topic deleted, its offsets expired) waits in the
      // evaluator to be forgotten, but must not speak for the group meanwhile. A partition it
      // still has whose lag this snapshot could not measure (ListOffsets failed: its leader is
      // down, say) keeps its last status: an outage must not make the group look healthier.
      let status: LagStatus | undefined;
      const timeLagSeconds = group.partitions.map((p) => {
        if (p.committedOffset === undefined) return undefined;
        if (p.lag !== undefined) {
          this.evaluator.observe(group.groupId, p.topic, p.partition, {
            timestampMs: now,
            committedOffset: p.committedOffset,
            lag: p.lag,
            logStartOffset: logStart.get(p.topic)?.get(p.partition),
            consumerActive,
          });
        }
        const judged = this.evaluator.partitionStatus(group.groupId, p.topic, p.partition);
        if (judged !== undefined) {
          status = status === undefined ? judged : worseLagStatus(status, judged);
        }
        if (p.lag === undefined) return undefined;
        // Interpolated only where the log could not tell (see the snapshot's time-lag phase).
        return p.timeLagSeconds !== undefined
          ? undefined
          : this.index.timeLagSeconds(p.topic, p.partition, p.committedOffset, now);
      });
      estimates.set(group.groupId, { status, timeLagSeconds });
    }
    this.index.forgetStale(now);
    this.evaluator.forgetStale(now);
    return estimates;
  }
}

/** Group states only a group with members is in: classic, then KIP-848 (Stable is both). */
const STATES_WITH_MEMBERS: ReadonlySet<string> = new Set([
  'Stable',
  'CompletingRebalance',
  'Assigning',
  'Reconciling',
]);
/** Group states of a group without members, classic and KIP-848 alike. */
const STATES_WITHOUT_MEMBERS: ReadonlySet<string> = new Set(['Empty', 'Dead']);

/**
 * Whether the group has live members, which tells STALL (consumed, yet stuck) from STOP (nobody
 * consuming). From the member count when DescribeGroups gave one; else (a KIP-848 group, which
 * it does not describe, or a DescribeGroups that failed) from the state, where the state
 * decides it; undefined, which the rules read as STOP, when it does not: PreparingRebalance
 * (its last member may just have left) or no state at all.
 */
function hasMembers(group: GroupSnapshot): boolean | undefined {
  if (group.members !== undefined) return group.members > 0;
  if (STATES_WITH_MEMBERS.has(group.state)) return true;
  if (STATES_WITHOUT_MEMBERS.has(group.state)) return false;
  return undefined;
}
