import type { PartitionRange } from '../run-contract';

/**
 * Which (partition, offset) pairs of the pre-filled topic a consumer has received: one byte per
 * offset (the same cheap bookkeeping in every variant), so a duplicate or a stray offset is
 * caught instead of being counted towards the total.
 */
export class DeliveryTracker {
  /** Distinct pairs received. */
  distinct = 0;
  /** Deliveries of a pair already received (a rebalance re-delivers uncommitted messages). */
  duplicates = 0;
  /** Deliveries outside the ranges the topic was filled with. */
  strays = 0;
  readonly expected: number;
  private readonly seen = new Map<number, { low: number; flags: Uint8Array }>();

  constructor(ranges: PartitionRange[]) {
    for (const range of ranges) {
      this.seen.set(range.partition, {
        low: range.low,
        flags: new Uint8Array(range.high - range.low),
      });
    }
    this.expected = ranges.reduce((sum, r) => sum + r.high - r.low, 0);
  }

  /** Records one delivery; true once every expected pair has been received. */
  record(partition: number, offset: string): boolean {
    const entry = this.seen.get(partition);
    const index = entry ? Number(offset) - entry.low : -1;
    if (!entry || index < 0 || index >= entry.flags.length) {
      this.strays++;
    } else if (entry.flags[index] === 1) {
      this.duplicates++;
    } else {
      entry.flags[index] = 1;
      this.distinct++;
    }
    return this.distinct === this.expected;
  }

  /** Why the deliveries are not exactly the expected pairs, or undefined when they are. */
  problem(): string | undefined {
    const issues: string[] = [];
    if (this.distinct !== this.expected) {
      issues.push(`${this.distinct} of ${this.expected} distinct messages received`);
    }
    if (this.duplicates > 0) issues.push(`${this.duplicates} duplicate deliveries`);
    if (this.strays > 0) issues.push(`${this.strays} deliveries outside the filled offsets`);
    return issues.length > 0 ? issues.join(', ') : undefined;
  }
}
