/** What the collector saw of one (group, topic, partition) in one collection cycle. */
export interface LagObservation {
  /** When the snapshot was taken, in ms (injected by the caller; never read from a clock here). */
  timestampMs: number;
  /** The group's committed offset (the next offset it will read); -1 / negative = none. */
  committedOffset: number;
  /** Latest (log end) offset minus committed offset; negative values (offset races) count as 0. */
  lag: number;
  /** The partition's earliest available offset, when known; enables the ERR rule. */
  logStartOffset?: number;
  /**
   * Whether a live member of the group holds this partition: `true` when the group has members
   * (and, when assignments are known, one of them is assigned the partition); `false` when the
   * group is Empty / Dead or nobody is assigned it; omitted when unknown. Separates STALL (alive
   * but stuck) from STOP (nobody consuming).
   */
  consumerActive?: boolean;
}

/** Read-only view of a window, oldest observation at index 0; what the rules evaluate. */
export interface LagWindowView {
  /** Number of observations held (at most the window size). */
  readonly size: number;
  /** Timestamp (ms) of the observation at `index` (0 = oldest). */
  timestampAt(index: number): number;
  /** Committed offset of the observation at `index` (0 = oldest). */
  committedAt(index: number): number;
  /** Lag (>= 0) of the observation at `index` (0 = oldest). */
  lagAt(index: number): number;
  /** Log start offset of the newest observation, or `undefined` if it had none. */
  readonly newestLogStartOffset: number | undefined;
  /** `consumerActive` of the newest observation. */
  readonly newestConsumerActive: boolean | undefined;
}

const FIELDS = 3; // timestamp, committed offset, lag

/**
 * The last `capacity` observations of one partition for one group: a fixed ring of
 * `3 * capacity` numbers allocated once, so memory does not grow with pushes. A plain array of
 * doubles rather than a Float64Array: a collector tracks one window per group-partition (tens
 * of thousands), and a small typed array costs more than twice its bytes in native bookkeeping.
 */
export class LagWindow implements LagWindowView {
  /** Maximum number of observations kept. */
  readonly capacity: number;
  private readonly ring: number[];
  private start = 0;
  private count = 0;
  private logStart: number | undefined;
  private active: boolean | undefined;

  /** @param capacity observations kept (>= 2: a trend needs two points). */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) {
      throw new RangeError(`LagWindow capacity must be an integer >= 2, got ${capacity}`);
    }
    this.capacity = capacity;
    // Filled with a fraction first: the array then holds unboxed doubles from the start, and
    // the first timestamp stored does not convert (and copy) it.
    this.ring = new Array<number>(FIELDS * capacity).fill(0.5).fill(0);
  }

  /** Number of observations held. */
  get size(): number {
    return this.count;
  }

  /** Timestamp of the newest observation, NaN when empty. */
  get newestTimestampMs(): number {
    return this.count === 0 ? Number.NaN : this.timestampAt(this.count - 1);
  }

  /** Log start offset of the newest observation. */
  get newestLogStartOffset(): number | undefined {
    return this.logStart;
  }

  /** `consumerActive` of the newest observation. */
  get newestConsumerActive(): boolean | undefined {
    return this.active;
  }

  /**
   * Adds an observation, dropping the oldest when full. Returns false (and keeps nothing) when
   * the observation has no committed offset or non-finite numbers. An observation with the same
   * timestamp as the newest replaces it (the same cycle pushed twice); an older timestamp means
   * the clock stepped back, and the window restarts rather than mixing two timelines.
   */
  push(observation: LagObservation): boolean {
    const { timestampMs, committedOffset, lag } = observation;
    if (!Number.isFinite(timestampMs) || !Number.isFinite(lag)) return false;
    if (!Number.isFinite(committedOffset) || committedOffset < 0) return false;
    if (this.count > 0) {
      const newest = this.newestTimestampMs;
      if (timestampMs === newest) this.count--;
      else if (timestampMs < newest) this.clear();
    }
    if (this.count === this.capacity) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
    const slot = FIELDS * ((this.start + this.count) % this.capacity);
    this.ring[slot] = timestampMs;
    this.ring[slot + 1] = committedOffset;
    this.ring[slot + 2] = Math.max(0, lag);
    this.count++;
    this.logStart = observation.logStartOffset;
    this.active = observation.consumerActive;
    return true;
  }

  /** Drops every observation. */
  clear(): void {
    this.start = 0;
    this.count = 0;
  }

  /** Timestamp (ms) of the observation at `index` (0 = oldest). */
  timestampAt(index: number): number {
    return this.field(index, 0);
  }

  /** Committed offset of the observation at `index` (0 = oldest). */
  committedAt(index: number): number {
    return this.field(index, 1);
  }

  /** Lag of the observation at `index` (0 = oldest). */
  lagAt(index: number): number {
    return this.field(index, 2);
  }

  private field(index: number, field: number): number {
    return this.ring[FIELDS * ((this.start + index) % this.capacity) + field]!;
  }
}
