import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../../src/collectors/deep-freeze';
import { QuorumEpochClock } from '../../../src/collectors/quorum-epoch-clock';

describe('QuorumEpochClock', () => {
  it('keeps the first sighting of an epoch, and restarts at the next epoch', () => {
    const clock = new QuorumEpochClock();
    expect(clock.observe(undefined, 1_000)).toBeUndefined();
    expect(clock.observe({ leaderEpoch: 4 }, 1_000)).toBe(1_000);
    expect(clock.observe({ leaderEpoch: 4 }, 6_000)).toBe(1_000);
    // A snapshot without the quorum (DescribeQuorum failed) does not forget the epoch.
    expect(clock.observe(undefined, 11_000)).toBeUndefined();
    expect(clock.observe({ leaderEpoch: 4 }, 16_000)).toBe(1_000);
    expect(clock.observe({ leaderEpoch: 5 }, 21_000)).toBe(21_000);
    expect(clock.observe({ leaderEpoch: 5 }, 26_000)).toBe(21_000);
  });
});

describe('deepFreeze', () => {
  it('freezes nested objects and arrays, so a late write throws instead of changing a value', () => {
    const snapshot = deepFreeze({ topics: [{ name: 'orders', partitions: [{ leader: 1 }] }] });
    expect(Object.isFrozen(snapshot.topics[0]!.partitions[0])).toBe(true);
    expect(() => {
      (snapshot.topics[0]!.partitions[0] as { leader: number }).leader = -1;
    }).toThrow(TypeError);
    expect(() => (snapshot.topics as unknown[]).push({})).toThrow(TypeError);
    expect(snapshot.topics[0]!.partitions[0]!.leader).toBe(1);
  });
});
