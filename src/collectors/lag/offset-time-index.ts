import {
  DEFAULT_POINTS_PER_PARTITION,
  OffsetTimeTable,
  type OffsetTimeRecordOutcome,
  type TimeLagEstimate,
} from './offset-time-table';

/** Options of an {@link OffsetTimeIndex}. */
export interface OffsetTimeIndexOptions {
  /** Points kept per partition (>= 2). Default 60. */
  pointsPerPartition?: number;
  /**
   * A partition not recorded for longer than this (ms) is forgotten by `forgetStale`: its topic
   * was deleted or filtered out. Default 15 minutes.
   */
  forgetAfterMs?: number;
  /**
   * Hard cap on tracked partitions. At the cap, new partitions are refused (not evicted in
   * favour of others: evicting would reset tables every cycle once a cluster outgrows the cap,
   * and no partition would ever get an estimate). Default 100 000.
   */
  maxPartitions?: number;
}

/** Default `forgetAfterMs`: 15 minutes. */
export const DEFAULT_FORGET_AFTER_MS = 15 * 60_000;
/** Default `maxPartitions`. */
export const DEFAULT_MAX_PARTITIONS = 100_000;

/**
 * Offset-to-time tables for every tracked partition, keyed by topic and partition, feeding
 * `kafka.consumer_group.time_lag` / `time_lag_max`.
 *
 * Each collection cycle, for every partition of interest:
 *
 * ```ts
 * index.record(topic, partition, latestOffset, nowMs);   // once per partition per cycle
 * index.timeLagSeconds(topic, partition, committed, nowMs); // per group; 0 when caught up
 * index.forgetStale(nowMs);                               // once per cycle
 * ```
 *
 * Record before looking up in the same cycle, so "caught up" compares against the current log
 * end offset. The time passed in is the caller's (e.g. the snapshot's `Date.now()`).
 *
 * Memory: at most `maxPartitions` tables of one `Float64Array(2 * (pointsPerPartition + 1))`
 * each, measured at about 1.3 KB per partition with the defaults (5 000 partitions ~6 MB; the
 * default cap ~130 MB, a safety net, not a working size). Lookups use nested maps (topic, then
 * partition), so they build no key strings and allocate nothing.
 */
export class OffsetTimeIndex {
  private readonly pointsPerPartition: number;
  private readonly forgetAfterMs: number;
  private readonly maxPartitions: number;
  private readonly byTopic = new Map<string, Map<number, OffsetTimeTable>>();
  private tracked = 0;

  /** Creates an empty index; throws `RangeError` on invalid options. */
  constructor(options: OffsetTimeIndexOptions = {}) {
    this.pointsPerPartition = options.pointsPerPartition ?? DEFAULT_POINTS_PER_PARTITION;
    this.forgetAfterMs = options.forgetAfterMs ?? DEFAULT_FORGET_AFTER_MS;
    this.maxPartitions = options.maxPartitions ?? DEFAULT_MAX_PARTITIONS;
    if (!(this.forgetAfterMs > 0)) {
      throw new RangeError(`forgetAfterMs must be > 0, got ${this.forgetAfterMs}`);
    }
    if (!Number.isInteger(this.maxPartitions) || this.maxPartitions < 1) {
      throw new RangeError(`maxPartitions must be an integer >= 1, got ${this.maxPartitions}`);
    }
    if (!Number.isInteger(this.pointsPerPartition) || this.pointsPerPartition < 2) {
      throw new RangeError(
        `pointsPerPartition must be an integer >= 2, got ${this.pointsPerPartition}`,
      );
    }
  }

  /** Number of partitions currently tracked. */
  get partitionCount(): number {
    return this.tracked;
  }

  /**
   * Records the latest (log end) offset of a partition at `nowMs`. Returns what the partition's
   * table did with it, or `refused` when the partition is new and `maxPartitions` is reached.
   */
  record(
    topic: string,
    partition: number,
    latestOffset: number,
    nowMs: number,
  ): OffsetTimeRecordOutcome | 'refused' {
    // Checked here too so that garbage never creates a table for a partition.
    if (!(latestOffset >= 0) || !Number.isFinite(latestOffset) || !Number.isFinite(nowMs)) {
      return 'ignored';
    }
    let partitions = this.byTopic.get(topic);
    let table = partitions?.get(partition);
    if (!table) {
      if (this.tracked >= this.maxPartitions) return 'refused';
      if (!partitions) {
        partitions = new Map();
        this.byTopic.set(topic, partitions);
      }
      table = new OffsetTimeTable(this.pointsPerPartition);
      partitions.set(partition, table);
      this.tracked++;
    }
    return table.record(latestOffset, nowMs);
  }

  /**
   * Time lag in seconds of a group at `committedOffset` on this partition at `nowMs`: 0 when
   * caught up, `undefined` when the partition is untracked or has too few points.
   */
  timeLagSeconds(
    topic: string,
    partition: number,
    committedOffset: number,
    nowMs: number,
  ): number | undefined {
    return this.byTopic.get(topic)?.get(partition)?.timeLagSeconds(committedOffset, nowMs);
  }

  /** How the time lag of `committedOffset` is estimated on this partition (`unknown` if untracked). */
  estimateKind(topic: string, partition: number, committedOffset: number): TimeLagEstimate {
    return this.byTopic.get(topic)?.get(partition)?.estimateKind(committedOffset) ?? 'unknown';
  }

  /** The table of one partition, if tracked (for inspection: size, points, newest offset). */
  table(topic: string, partition: number): OffsetTimeTable | undefined {
    return this.byTopic.get(topic)?.get(partition);
  }

  /** Forgets every partition of a topic (e.g. the snapshot saw the topic deleted). */
  forgetTopic(topic: string): void {
    const partitions = this.byTopic.get(topic);
    if (!partitions) return;
    this.tracked -= partitions.size;
    this.byTopic.delete(topic);
  }

  /**
   * Forgets partitions not recorded for more than `forgetAfterMs` before `nowMs` (deleted or
   * no longer selected topics). Call once per cycle; returns how many were forgotten.
   */
  forgetStale(nowMs: number): number {
    let forgotten = 0;
    for (const [topic, partitions] of this.byTopic) {
      for (const [partition, table] of partitions) {
        if (nowMs - table.lastRecordedAtMs > this.forgetAfterMs) {
          partitions.delete(partition);
          forgotten++;
        }
      }
      if (partitions.size === 0) this.byTopic.delete(topic);
    }
    this.tracked -= forgotten;
    return forgotten;
  }
}
