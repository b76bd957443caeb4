import { describe, expect, it } from 'vitest';
import { OffsetTimeIndex } from '../../../../src/collectors/lag/offset-time-index';

const S = 1000;
const MINUTE = 60 * S;

describe('OffsetTimeIndex', () => {
  it('keeps one table per topic and partition', () => {
    const index = new OffsetTimeIndex();
    index.record('orders', 0, 100, 0);
    index.record('orders', 1, 5000, 0);
    index.record('payments', 0, 100, 0);
    index.record('orders', 0, 400, 30 * S);
    index.record('orders', 1, 5000, 30 * S);
    index.record('payments', 0, 160, 30 * S);

    expect(index.partitionCount).toBe(3);
    // orders/0: 300 offsets in 30 s; 250 is 5 s in.
    expect(index.timeLagSeconds('orders', 0, 250, 30 * S)).toBe(15);
    // payments/0: 60 offsets in 30 s; 130 is 15 s in.
    expect(index.timeLagSeconds('payments', 0, 130, 30 * S)).toBe(15);
    expect(index.timeLagSeconds('orders', 1, 5000, 30 * S)).toBe(0);
    expect(index.estimateKind('orders', 0, 50)).toBe('extrapolated');
  });

  it('has no estimate for a partition it never saw', () => {
    const index = new OffsetTimeIndex();
    expect(index.timeLagSeconds('orders', 7, 10, 0)).toBeUndefined();
    expect(index.estimateKind('orders', 7, 10)).toBe('unknown');
    expect(index.table('orders', 7)).toBeUndefined();
  });

  it('passes on what the table did with each record', () => {
    const index = new OffsetTimeIndex();
    expect(index.record('t', 0, 10, 0)).toBe('appended');
    expect(index.record('t', 0, 10, S)).toBe('appended');
    expect(index.record('t', 0, 10, 2 * S)).toBe('extended');
    expect(index.record('t', 0, 3, 3 * S)).toBe('reset');
    expect(index.record('t', 0, -1, 4 * S)).toBe('ignored');
  });

  it('does not create a table for a record that is not an offset', () => {
    const index = new OffsetTimeIndex();
    expect(index.record('t', 0, -1, 0)).toBe('ignored');
    expect(index.record('t', 0, 5, Number.NaN)).toBe('ignored');
    expect(index.partitionCount).toBe(0);
  });

  it('forgets partitions not recorded for longer than forgetAfterMs, and only those', () => {
    const index = new OffsetTimeIndex({ forgetAfterMs: 5 * MINUTE });
    index.record('deleted-topic', 0, 10, 0);
    index.record('deleted-topic', 1, 10, 0);
    index.record('live', 0, 10, 0);
    index.record('live', 0, 20, 4 * MINUTE);

    expect(index.forgetStale(5 * MINUTE)).toBe(0); // exactly forgetAfterMs: kept
    expect(index.forgetStale(5 * MINUTE + 1)).toBe(2);
    expect(index.partitionCount).toBe(1);
    expect(index.table('deleted-topic', 0)).toBeUndefined();
    expect(index.table('live', 0)?.size).toBe(2);
  });

  it('forgets a whole topic on request', () => {
    const index = new OffsetTimeIndex();
    index.record('a', 0, 1, 0);
    index.record('a', 1, 1, 0);
    index.record('b', 0, 1, 0);
    index.forgetTopic('a');
    index.forgetTopic('never-seen');
    expect(index.partitionCount).toBe(1);
    expect(index.table('a', 0)).toBeUndefined();
  });

  it('refuses new partitions at maxPartitions instead of evicting tracked ones', () => {
    const index = new OffsetTimeIndex({ maxPartitions: 2 });
    index.record('t', 0, 1, 0);
    index.record('t', 1, 1, 0);
    expect(index.record('t', 2, 1, 0)).toBe('refused');
    expect(index.record('t', 0, 2, S)).toBe('appended'); // tracked ones keep working
    expect(index.partitionCount).toBe(2);
  });

  it('stays bounded over 100k records while topics come and go', () => {
    const index = new OffsetTimeIndex({ pointsPerPartition: 10, forgetAfterMs: 10 * S });
    let largest = 0;
    for (let cycle = 0; cycle < 10_000; cycle++) {
      const now = cycle * S;
      // Ten partitions a cycle, on a topic renamed every 50 cycles (old ones get deleted).
      const topic = `topic-${Math.floor(cycle / 50)}`;
      for (let partition = 0; partition < 10; partition++) {
        index.record(topic, partition, cycle * 100 + partition, now);
      }
      index.forgetStale(now);
      largest = Math.max(largest, index.partitionCount);
    }
    // At most the live topic plus the previous one, until it is 10 s stale.
    expect(largest).toBe(20);
    expect(index.partitionCount).toBe(10);
    expect(index.table('topic-199', 0)?.size).toBe(10);
  });

  it('rejects invalid options', () => {
    expect(() => new OffsetTimeIndex({ pointsPerPartition: 1 })).toThrow(RangeError);
    expect(() => new OffsetTimeIndex({ forgetAfterMs: 0 })).toThrow(RangeError);
    expect(() => new OffsetTimeIndex({ maxPartitions: 0 })).toThrow(RangeError);
  });
});
