/**
 * How a time lag is estimated for a committed offset, given one partition's table:
 * - `caught-up`: the committed offset is at (or past) the newest log end offset; time lag 0;
 * - `interpolated`: between two recorded points;
 * - `extrapolated`: older than the oldest point; projected back at the table's average rate;
 * - `clamped`: older than the oldest point while the table saw no production to take a rate
 *   from; the oldest point's time is used, so the lag is a lower bound;
 * - `unknown`: no estimate (empty table, a single point, or no committed offset).
 */
export type TimeLagEstimate = 'caught-up' | 'interpolated' | 'extrapolated' | 'clamped' | 'unknown';

/**
 * What `record` did with a point:
 * - `appended`: stored as a new point (dropping the least informative one when full);
 * - `extended`: the log end offset had not moved, so the newest point of the flat run moved
 *   forward in time instead of adding a point;
 * - `reset`: the offset (or the clock) went backwards, so the history no longer describes this
 *   log; the table restarted from this point;
 * - `ignored`: not stored (same timestamp as the newest point, or not a finite offset >= 0).
 */
export type OffsetTimeRecordOutcome = 'appended' | 'extended' | 'reset' | 'ignored';

/** Default number of points kept per partition (as kafka-lag-exporter's lookup table). */
export const DEFAULT_POINTS_PER_PARTITION = 60;

/**
 * One partition's history of its log end offset over time: a bounded table of
 * (offset, time ms) points, recorded once per collection cycle, used to estimate *when* a
 * committed offset was the log end, and so how far behind (in seconds) a consumer group is.
 *
 * Definition: the time lag of a group at committed offset C is `now - T(C)`, where `T(C)` is
 * the latest time at which the partition's log end offset was C. The message at offset C (the
 * next one the group will read) was appended right after T(C), so this is the age of the
 * oldest message the group has not consumed yet.
 *
 * Worked example (times in seconds for readability; the API takes milliseconds):
 *
 * ```
 * record(offset, t)   table afterwards                          outcome
 * (1000,  0)          (1000,0)                                  appended
 * (1300, 15)          (1000,0) (1300,15)                        appended
 * (1300, 30)          (1000,0) (1300,15) (1300,30)              appended  (flat run starts)
 * (1300, 45)          (1000,0) (1300,15) (1300,45)              extended  (run kept as 2 points)
 * (1600, 60)          (1000,0) (1300,15) (1300,45) (1600,60)    appended
 *
 * timeLagSeconds(C, now = 60 s):
 * C = 1600 -> 0      caught up (C >= newest offset)
 * C = 1450 -> 7.5    between (1300,45) and (1600,60): T = 45 + 150 * 15/300 = 52.5
 * C = 1300 -> 15     the log end was last at 1300 at 45 s (end of the flat run)
 * C = 1150 -> 52.5   between (1000,0) and (1300,15): T = 7.5
 * C = 700  -> 90     extrapolated: average rate 600 offsets / 60 s = 10/s, T = 0 - 300/10 = -30
 * ```
 *
 * Older than the oldest point: we extrapolate along the straight line through the oldest and
 * newest points (kafka-lag-exporter's choice), because clamping to the oldest point would cap
 * the reported lag at the table's time span and hide a consumer that is hours behind. To keep
 * extrapolation rare and sound, (1) the table thins old history instead of dropping it (below),
 * so its span keeps growing; (2) the rate is the whole table's average, the least noisy one;
 * (3) we never extrapolate forwards (C >= newest offset is caught up); (4) with no production in
 * the table (rate 0) we clamp to the oldest point (a lower bound) instead of dividing by zero;
 * (5) `estimateKind` tells the caller which case applied.
 *
 * Bounded memory: one `Float64Array` of `2 * (capacity + 1)` numbers per partition, allocated
 * once. When a point would exceed the capacity, the table drops the *interior* point whose
 * removal changes lookups the least, relative to the age of that point (a removal error of 10 s
 * matters at 30 s of lag, not at 3 days). The oldest and newest points are never dropped, so
 * recent history stays dense, old history becomes sparse and the span only grows; a steady
 * producer (collinear points) loses nothing. Flat runs (no production) are kept as two points:
 * when the log end reached the offset, and when it was last seen there.
 *
 * Lookups allocate nothing: a binary search over the offsets, O(log capacity). Recording is
 * O(capacity) only when the table is full.
 *
 * Time is always passed in by the caller (no clock is read here), so results are deterministic.
 */
export class OffsetTimeTable {
  /** Maximum number of points kept. */
  readonly capacity: number;
  /** Interleaved points, oldest first: [offset0, time0, offset1, time1, ...]; one spare slot. */
  private readonly points: Float64Array;
  private count = 0;
  private lastRecordMs = Number.NaN;

  /** @param capacity maximum points kept (>= 2: the oldest and the newest). */
  constructor(capacity: number = DEFAULT_POINTS_PER_PARTITION) {
    if (!Number.isInteger(capacity) || capacity < 2) {
      throw new RangeError(`OffsetTimeTable capacity must be an integer >= 2, got ${capacity}`);
    }
    this.capacity = capacity;
    this.points = new Float64Array(2 * (capacity + 1));
  }

  /** Number of points currently stored (never more than `capacity`). */
  get size(): number {
    return this.count;
  }

  /** The newest recorded log end offset, or `undefined` when the table is empty. */
  get newestOffset(): number | undefined {
    return this.count === 0 ? undefined : this.offsetAt(this.count - 1);
  }

  /** Time (ms) of the last `record` call with valid arguments, whatever its outcome; NaN before. */
  get lastRecordedAtMs(): number {
    return this.lastRecordMs;
  }

  /**
   * Records the partition's log end offset `offset` observed at `timeMs`.
   * A lower offset than the newest one means the log was recreated or truncated; a time before
   * the newest point means the clock stepped back: either way the old points no longer describe
   * this log, so the table restarts from this point rather than freezing or mixing two logs.
   */
  record(offset: number, timeMs: number): OffsetTimeRecordOutcome {
    if (!isOffset(offset) || !Number.isFinite(timeMs)) return 'ignored';
    this.lastRecordMs = timeMs;
    if (this.count === 0) return this.append(offset, timeMs);
    const newest = this.count - 1;
    const newestTime = this.timeAt(newest);
    if (timeMs === newestTime) return 'ignored';
    if (timeMs < newestTime || offset < this.offsetAt(newest)) {
      this.count = 0;
      this.append(offset, timeMs);
      return 'reset';
    }
    if (offset === this.offsetAt(newest) && newest > 0 && this.offsetAt(newest - 1) === offset) {
      this.points[2 * newest + 1] = timeMs;
      return 'extended';
    }
    this.append(offset, timeMs);
    if (this.count > this.capacity) this.dropLeastInformativePoint(timeMs);
    return 'appended';
  }

  /**
   * Time lag in seconds of a group whose committed offset is `committedOffset`, at `nowMs`:
   * 0 when caught up, `undefined` when no estimate is possible (see `estimateKind`).
   * Never negative.
   */
  timeLagSeconds(committedOffset: number, nowMs: number): number | undefined {
    const kind = this.estimateKind(committedOffset);
    if (kind === 'unknown') return undefined;
    if (kind === 'caught-up') return 0;
    return Math.max(0, nowMs - this.logEndTimeMs(committedOffset)) / 1000;
  }

  /** How `timeLagSeconds` estimates the lag of `committedOffset` with the current points. */
  estimateKind(committedOffset: number): TimeLagEstimate {
    if (this.count === 0 || !isOffset(committedOffset)) return 'unknown';
    const newestOffset = this.offsetAt(this.count - 1);
    if (committedOffset >= newestOffset) return 'caught-up';
    if (this.count < 2) return 'unknown';
    const oldestOffset = this.offsetAt(0);
    if (committedOffset >= oldestOffset) return 'interpolated';
    return newestOffset > oldestOffset ? 'extrapolated' : 'clamped';
  }

  /** A copy of the points, oldest first (for tests and debugging; allocates). */
  toArray(): Array<{ offset: number; timeMs: number }> {
    const result: Array<{ offset: number; timeMs: number }> = [];
    for (let i = 0; i < this.count; i++) {
      result.push({ offset: this.offsetAt(i), timeMs: this.timeAt(i) });
    }
    return result;
  }

  /** T(C): latest time the log end was `offset`; requires 2+ points and offset < newest offset. */
  private logEndTimeMs(offset: number): number {
    const last = this.count - 1;
    const oldestOffset = this.offsetAt(0);
    const oldestTime = this.timeAt(0);
    if (offset < oldestOffset) {
      // Times are strictly increasing, so the denominator is > 0.
      const rate = (this.offsetAt(last) - oldestOffset) / (this.timeAt(last) - oldestTime);
      return rate > 0 ? oldestTime - (oldestOffset - offset) / rate : oldestTime;
    }
    // Invariant: offsetAt(lo) <= offset < offsetAt(hi); ends with hi = lo + 1, lo being the last
    // point at or below `offset` (so the end of a flat run, the latest time at that offset).
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (this.offsetAt(mid) <= offset) lo = mid;
      else hi = mid;
    }
    return interpolateTime(
      offset,
      this.offsetAt(lo),
      this.timeAt(lo),
      this.offsetAt(hi),
      this.timeAt(hi),
    );
  }

  private append(offset: number, timeMs: number): 'appended' {
    this.points[2 * this.count] = offset;
    this.points[2 * this.count + 1] = timeMs;
    this.count++;
    return 'appended';
  }

  /** Removes the interior point whose loss moves lookups the least, relative to its age. */
  private dropLeastInformativePoint(nowMs: number): void {
    let victim = 1;
    let victimCost = Number.POSITIVE_INFINITY;
    for (let k = 1; k < this.count - 1; k++) {
      const cost = this.removalCost(k, nowMs);
      // Strict comparison: on ties the oldest candidate goes, thinning old history first.
      if (cost < victimCost) {
        victim = k;
        victimCost = cost;
      }
    }
    this.points.copyWithin(2 * victim, 2 * victim + 2, 2 * this.count);
    this.count--;
  }

  /**
   * Lookups are piecewise linear, so removing point k changes them most at offset k itself:
   * by the gap between its time and the time the segment (k-1, k+1) would give there. Divided
   * by the point's age, it is the relative error introduced in the time lag of a group there.
   */
  private removalCost(k: number, nowMs: number): number {
    const offsetBefore = this.offsetAt(k - 1);
    const offsetAfter = this.offsetAt(k + 1);
    const time = this.timeAt(k);
    const error =
      offsetAfter === offsetBefore
        ? 0
        : Math.abs(
            time -
              interpolateTime(
                this.offsetAt(k),
                offsetBefore,
                this.timeAt(k - 1),
                offsetAfter,
                this.timeAt(k + 1),
              ),
          );
    return error / Math.max(1, nowMs - time);
  }

  private offsetAt(index: number): number {
    return this.points[2 * index]!;
  }

  private timeAt(index: number): number {
    return this.points[2 * index + 1]!;
  }
}

/** Time at `offset` on the straight line through (o1, t1) and (o2, t2), with o2 > o1. */
function interpolateTime(offset: number, o1: number, t1: number, o2: number, t2: number): number {
  return t1 + ((offset - o1) * (t2 - t1)) / (o2 - o1);
}

/** Kafka offsets are >= 0; -1 means "no committed offset". */
function isOffset(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}
