import type { LagStatus } from './lag-status';
import { evaluateLagWindow } from './lag-status-rules';
import { type LagObservation, LagWindow } from './lag-window';

/** Options of a {@link LagStatusEvaluator}. */
export interface LagStatusEvaluatorOptions {
  /** Observations kept per partition (>= 2). Default 10, as Burrow's `intervals`. */
  windowSize?: number;
  /**
   * Observations needed before the trend rules (STOP, STALL, WARN) apply; until then such a
   * partition is OK. Between 2 and `windowSize`; default `windowSize` (judge full windows only).
   * Pick `windowSize * collection interval` longer than the consumers' commit interval.
   */
  minObservations?: number;
  /**
   * A partition with no observation for longer than this (ms) is forgotten by `forgetStale`
   * (its group was deleted or stopped committing to that topic, or its lag could not be
   * measured for that long). Default 10 minutes.
   */
  forgetAfterMs?: number;
  /**
   * Hard cap on tracked (group, topic, partition) windows. At the cap new ones are refused
   * rather than evicting others, so a too-small cap degrades coverage instead of resetting
   * every window each cycle. Default 100 000.
   */
  maxPartitions?: number;
}

/** Default `windowSize`. */
export const DEFAULT_WINDOW_SIZE = 10;
/** Default `forgetAfterMs`: 10 minutes. */
export const DEFAULT_STATUS_FORGET_AFTER_MS = 10 * 60_000;
/** Default `maxPartitions`. */
export const DEFAULT_MAX_STATUS_PARTITIONS = 100_000;

interface TrackedPartition {
  readonly window: LagWindow;
  status: LagStatus;
}

type TopicPartitions = Map<number, TrackedPartition>;

/**
 * Sliding-window lag status per (group, topic, partition), behind
 * `kafka.consumer_group.status`. Each collection cycle, for every partition a group has a
 * committed offset and a measured lag on:
 *
 * ```ts
 * evaluator.observe(group, topic, partition, { timestampMs: now, committedOffset, lag,
 *   logStartOffset, consumerActive });
 * ```
 *
 * then read `partitionStatus(...)` and call `forgetStale(now)`. A group's status is made of its
 * partitions' by the collector's `LagTracker`, which knows which partitions the group still has;
 * the evaluator only keeps windows, so a partition the group lost keeps its window here until
 * `forgetStale` drops it.
 * The rules are in `lag-status-rules.ts`; a partition's status is computed when it is observed
 * (O(windowSize)), so reading it is a lookup that allocates nothing.
 *
 * Partitions without evidence: one with no committed offset is refused by `observe` and has no
 * status — export no status series for it rather than invent one. An Empty group keeps its
 * committed offsets: observe them with `consumerActive: false`; such a partition is OK while
 * caught up and becomes STOP once its lag is positive and its offset has not moved for a full
 * window. A Dead / deleted group is no longer observed, and `forgetStale` drops its windows.
 *
 * Memory: at most `maxPartitions` windows, each one array of `3 * windowSize` doubles plus a few
 * fields, measured at about 0.45 KB per partition with the defaults (30 000 group-partitions
 * ~13 MB; the default cap ~45 MB). Keys are nested maps (group, topic, partition): no key strings are built.
 */
export class LagStatusEvaluator {
  private readonly windowSize: number;
  private readonly minObservations: number;
  private readonly forgetAfterMs: number;
  private readonly maxPartitions: number;
  private readonly byGroup = new Map<string, Map<string, TopicPartitions>>();
  private tracked = 0;

  /** Creates an empty evaluator; throws `RangeError` on invalid options. */
  constructor(options: LagStatusEvaluatorOptions = {}) {
    this.windowSize = options.windowSize ?? DEFAULT_WINDOW_SIZE;
    this.minObservations = options.minObservations ?? this.windowSize;
    this.forgetAfterMs = options.forgetAfterMs ?? DEFAULT_STATUS_FORGET_AFTER_MS;
    this.maxPartitions = options.maxPartitions ?? DEFAULT_MAX_STATUS_PARTITIONS;
    if (!Number.isInteger(this.windowSize) || this.windowSize < 2) {
      throw new RangeError(`windowSize must be an integer >= 2, got ${this.windowSize}`);
    }
    const min = this.minObservations;
    if (!Number.isInteger(min) || min < 2 || min > this.windowSize) {
      throw new RangeError(`minObservations must be an integer in [2, windowSize], got ${min}`);
    }
    if (!(this.forgetAfterMs > 0)) {
      throw new RangeError(`forgetAfterMs must be > 0, got ${this.forgetAfterMs}`);
    }
    if (!Number.isInteger(this.maxPartitions) || this.maxPartitions < 1) {
      throw new RangeError(`maxPartitions must be an integer >= 1, got ${this.maxPartitions}`);
    }
  }

  /** Number of (group, topic, partition) windows tracked. */
  get partitionCount(): number {
    return this.tracked;
  }

  /**
   * Adds one cycle's observation of a partition for a group and re-evaluates its status.
   * Returns false when it was not kept: no committed offset (negative), non-finite numbers, or
   * a new partition while `maxPartitions` windows are tracked.
   */
  observe(group: string, topic: string, partition: number, observation: LagObservation): boolean {
    if (!(observation.committedOffset >= 0)) return false;
    let tracked = this.byGroup.get(group)?.get(topic)?.get(partition);
    if (!tracked) {
      if (this.tracked >= this.maxPartitions) return false;
      const window = new LagWindow(this.windowSize);
      if (!window.push(observation)) return false;
      tracked = { window, status: 'OK' };
      this.partitionsOf(group, topic).set(partition, tracked);
      this.tracked++;
    } else if (!tracked.window.push(observation)) {
      return false;
    }
    tracked.status = evaluateLagWindow(tracked.window, this.minObservations);
    return true;
  }

  /** Status of one partition for a group, or `undefined` if it is not tracked. */
  partitionStatus(group: string, topic: string, partition: number): LagStatus | undefined {
    return this.byGroup.get(group)?.get(topic)?.get(partition)?.status;
  }

  /**
   * Forgets windows whose newest observation is more than `forgetAfterMs` before `nowMs`.
   * Call once per cycle; returns how many were forgotten.
   */
  forgetStale(nowMs: number): number {
    let forgotten = 0;
    for (const [group, topics] of this.byGroup) {
      for (const [topic, partitions] of topics) {
        for (const [partition, tracked] of partitions) {
          if (nowMs - tracked.window.newestTimestampMs > this.forgetAfterMs) {
            partitions.delete(partition);
            forgotten++;
          }
        }
        if (partitions.size === 0) topics.delete(topic);
      }
      if (topics.size === 0) this.byGroup.delete(group);
    }
    this.tracked -= forgotten;
    return forgotten;
  }

  private partitionsOf(group: string, topic: string): TopicPartitions {
    let topics = this.byGroup.get(group);
    if (!topics) {
      topics = new Map();
      this.byGroup.set(group, topics);
    }
    let partitions = topics.get(topic);
    if (!partitions) {
      partitions = new Map();
      topics.set(topic, partitions);
    }
    return partitions;
  }
}
