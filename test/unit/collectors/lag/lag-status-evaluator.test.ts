import { describe, expect, it } from 'vitest';
import { LagStatusEvaluator } from '../../../../src/collectors/lag/lag-status-evaluator';
import type { LagObservation } from '../../../../src/collectors/lag/lag-window';

const CYCLE_MS = 15_000;
const MINUTE = 60_000;

type Cycle = Omit<LagObservation, 'timestampMs'>;

/** Observes one partition over consecutive cycles starting at `firstCycle`. */
function observeCycles(
  evaluator: LagStatusEvaluator,
  [group, topic, partition]: [string, string, number],
  cycles: Cycle[],
  firstCycle = 0,
): void {
  cycles.forEach((cycle, i) => {
    evaluator.observe(group, topic, partition, {
      ...cycle,
      timestampMs: (firstCycle + i) * CYCLE_MS,
    });
  });
}

const healthy: Cycle[] = [0, 1, 2, 3, 4].map((i) => ({
  committedOffset: 100 + 20 * i,
  lag: i % 2 === 0 ? 5 : 0,
}));
const fallingBehind: Cycle[] = [0, 1, 2, 3, 4].map((i) => ({
  committedOffset: 100 + 20 * i,
  lag: 10 + 20 * i,
}));
const stuck = (consumerActive?: boolean): Cycle[] =>
  [0, 1, 2, 3, 4].map((i) => ({ committedOffset: 500, lag: 10 + 10 * i, consumerActive }));

describe('LagStatusEvaluator', () => {
  it('evaluates each (group, topic, partition) on its own window', () => {
    const evaluator = new LagStatusEvaluator({ windowSize: 5 });
    // The same partition number on two topics, and the same topic-partition for two groups.
    observeCycles(evaluator, ['billing', 'orders', 0], healthy);
    observeCycles(evaluator, ['billing', 'orders', 1], fallingBehind);
    observeCycles(evaluator, ['billing', 'payments', 0], stuck(false));
    observeCycles(evaluator, ['audit', 'orders', 0], stuck(true));

    expect(evaluator.partitionStatus('billing', 'orders', 0)).toBe('OK');
    expect(evaluator.partitionStatus('billing', 'orders', 1)).toBe('WARN');
    expect(evaluator.partitionStatus('billing', 'payments', 0)).toBe('STOP');
    expect(evaluator.partitionStatus('audit', 'orders', 0)).toBe('STALL');
    expect(evaluator.partitionStatus('audit', 'orders', 1)).toBeUndefined();
    expect(evaluator.partitionStatus('audit', 'payments', 0)).toBeUndefined();
    expect(evaluator.partitionCount).toBe(4);
  });

  it("judges ERR from the newest observation's log start, over any trend of its window", () => {
    const evaluator = new LagStatusEvaluator({ windowSize: 5 });
    observeCycles(evaluator, ['g', 'orders', 0], stuck(true));
    expect(evaluator.partitionStatus('g', 'orders', 0)).toBe('STALL');
    // Retention deleted past the stuck commit: the messages it had not read are gone.
    evaluator.observe('g', 'orders', 0, {
      timestampMs: 5 * CYCLE_MS,
      committedOffset: 500,
      lag: 60,
      logStartOffset: 520,
      consumerActive: true,
    });
    expect(evaluator.partitionStatus('g', 'orders', 0)).toBe('ERR');
    // A fact, not a trend: one observation of a partition never seen before is enough.
    evaluator.observe('g', 'orders', 1, {
      timestampMs: 5 * CYCLE_MS,
      committedOffset: 10,
      lag: 500,
      logStartOffset: 50,
    });
    expect(evaluator.partitionStatus('g', 'orders', 1)).toBe('ERR');
    // A commit at the log start lost nothing.
    evaluator.observe('g', 'orders', 2, {
      timestampMs: 5 * CYCLE_MS,
      committedOffset: 50,
      lag: 500,
      logStartOffset: 50,
    });
    expect(evaluator.partitionStatus('g', 'orders', 2)).toBe('OK');
  });

  it('re-evaluates every cycle: a stopped partition that resumes and catches up is OK again', () => {
    const evaluator = new LagStatusEvaluator({ windowSize: 5 });
    const key: [string, string, number] = ['g', 't', 0];
    observeCycles(evaluator, key, stuck(false));
    expect(evaluator.partitionStatus(...key)).toBe('STOP');
    observeCycles(evaluator, key, [{ committedOffset: 540, lag: 20, consumerActive: true }], 5);
    expect(evaluator.partitionStatus(...key)).toBe('OK'); // lag decreased: catching up
    observeCycles(evaluator, key, [{ committedOffset: 560, lag: 0 }], 6);
    expect(evaluator.partitionStatus(...key)).toBe('OK');
  });

  it('reports trends only from a full window by default (minObservations = windowSize)', () => {
    const evaluator = new LagStatusEvaluator({ windowSize: 5 });
    observeCycles(evaluator, ['g', 't', 0], stuck(false).slice(0, 4));
    expect(evaluator.partitionStatus('g', 't', 0)).toBe('OK');
    observeCycles(evaluator, ['g', 't', 0], stuck(false).slice(4), 4);
    expect(evaluator.partitionStatus('g', 't', 0)).toBe('STOP');
  });

  it('honours a lower minObservations', () => {
    const evaluator = new LagStatusEvaluator({ windowSize: 10, minObservations: 3 });
    observeCycles(evaluator, ['g', 't', 0], stuck(false).slice(0, 3));
    expect(evaluator.partitionStatus('g', 't', 0)).toBe('STOP');
  });

  it('has no status for a partition without a committed offset', () => {
    const evaluator = new LagStatusEvaluator();
    expect(evaluator.partitionStatus('new-group', 't', 0)).toBeUndefined();
    expect(
      evaluator.observe('new-group', 't', 0, { timestampMs: 0, committedOffset: -1, lag: 0 }),
    ).toBe(false);
    expect(evaluator.partitionStatus('new-group', 't', 0)).toBeUndefined();
    expect(evaluator.partitionCount).toBe(0);
  });

  it('treats an Empty group that is caught up as OK, and one left behind as STOP', () => {
    const evaluator = new LagStatusEvaluator({ windowSize: 3 });
    const idle = (lag: number) => ({ committedOffset: 70, lag, consumerActive: false });
    observeCycles(evaluator, ['empty', 't', 0], [idle(0), idle(0), idle(0)]);
    expect(evaluator.partitionStatus('empty', 't', 0)).toBe('OK');
    observeCycles(evaluator, ['empty', 't', 0], [idle(4), idle(9), idle(9)], 3);
    expect(evaluator.partitionStatus('empty', 't', 0)).toBe('STOP');
  });

  it('forgets windows not observed for longer than forgetAfterMs, and only those', () => {
    const evaluator = new LagStatusEvaluator({ windowSize: 5, forgetAfterMs: 5 * MINUTE });
    evaluator.observe('g', 'gone', 0, { timestampMs: 0, committedOffset: 1, lag: 1 });
    evaluator.observe('g', 'kept', 0, { timestampMs: 0, committedOffset: 1, lag: 1 });
    evaluator.observe('g', 'kept', 0, { timestampMs: 4 * MINUTE, committedOffset: 2, lag: 0 });
    evaluator.observe('other', 'gone', 0, { timestampMs: 0, committedOffset: 1, lag: 1 });

    expect(evaluator.forgetStale(5 * MINUTE)).toBe(0);
    expect(evaluator.forgetStale(5 * MINUTE + 1)).toBe(2);
    expect(evaluator.partitionStatus('g', 'gone', 0)).toBeUndefined();
    expect(evaluator.partitionStatus('g', 'kept', 0)).toBe('OK');
    expect(evaluator.partitionStatus('other', 'gone', 0)).toBeUndefined();
    expect(evaluator.partitionCount).toBe(1);
  });

  it('refuses new windows at maxPartitions and keeps evaluating the tracked ones', () => {
    const evaluator = new LagStatusEvaluator({ windowSize: 2, maxPartitions: 1 });
    expect(evaluator.observe('g', 't', 0, { timestampMs: 0, committedOffset: 1, lag: 3 })).toBe(
      true,
    );
    expect(evaluator.observe('g', 't', 1, { timestampMs: 0, committedOffset: 1, lag: 3 })).toBe(
      false,
    );
    expect(
      evaluator.observe('g', 't', 0, { timestampMs: CYCLE_MS, committedOffset: 1, lag: 4 }),
    ).toBe(true);
    expect(evaluator.partitionStatus('g', 't', 0)).toBe('STOP');
    expect(evaluator.partitionCount).toBe(1);
  });

  it('stays bounded over 100k observations while groups come and go', () => {
    const evaluator = new LagStatusEvaluator({ windowSize: 10, forgetAfterMs: 10 * CYCLE_MS });
    let largest = 0;
    for (let cycle = 0; cycle < 10_000; cycle++) {
      const now = cycle * CYCLE_MS;
      // Ten partitions a cycle, for a group replaced every 100 cycles (old ones deleted).
      const group = `group-${Math.floor(cycle / 100)}`;
      for (let partition = 0; partition < 10; partition++) {
        evaluator.observe(group, 't', partition, {
          timestampMs: now,
          committedOffset: cycle,
          lag: cycle % 3,
        });
      }
      evaluator.forgetStale(now);
      largest = Math.max(largest, evaluator.partitionCount);
    }
    expect(largest).toBe(20);
    expect(evaluator.partitionCount).toBe(10);
    // Only the last group's windows are left, still judged (its newest lag is 9999 % 3 = 0).
    for (let partition = 0; partition < 10; partition++) {
      expect(evaluator.partitionStatus('group-99', 't', partition)).toBe('OK');
    }
    expect(evaluator.partitionStatus('group-98', 't', 0)).toBeUndefined();
  });

  it('rejects invalid options', () => {
    expect(() => new LagStatusEvaluator({ windowSize: 1 })).toThrow(RangeError);
    expect(() => new LagStatusEvaluator({ windowSize: 5, minObservations: 6 })).toThrow(RangeError);
    expect(() => new LagStatusEvaluator({ minObservations: 1 })).toThrow(RangeError);
    expect(() => new LagStatusEvaluator({ forgetAfterMs: -1 })).toThrow(RangeError);
    expect(() => new LagStatusEvaluator({ maxPartitions: 0 })).toThrow(RangeError);
  });
});
