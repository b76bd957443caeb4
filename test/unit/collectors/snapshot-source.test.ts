import { describe, expect, it } from 'vitest';
import { emptySnapshot, type ClusterSnapshot } from '../../../src/collectors/cluster-snapshot';
import { SnapshotSource } from '../../../src/collectors/snapshot-source';

const snapshotAt = (takenAt: number): ClusterSnapshot => ({
  ...emptySnapshot(takenAt, []),
  complete: true,
});

describe('SnapshotSource', () => {
  it('shares one snapshot between concurrent readers and reuses it while fresh', async () => {
    let clock = 1_000;
    let taken = 0;
    const recorded: ClusterSnapshot[] = [];
    const source = new SnapshotSource(
      async () => {
        taken++;
        await new Promise((resolve) => setTimeout(resolve, 10));
        return snapshotAt(clock);
      },
      { maxAgeMs: 5_000, timeoutMs: 1_000, now: () => clock, onSnapshot: (s) => recorded.push(s) },
    );
    const [a, b, c] = await Promise.all([source.current(), source.current(), source.current()]);
    expect(taken).toBe(1);
    expect(a).toBe(b);
    expect(b).toBe(c);
    clock += 4_999;
    expect(await source.current()).toBe(a);
    clock += 2;
    const next = await source.current();
    expect(next).not.toBe(a);
    expect(taken).toBe(2);
    expect(recorded).toEqual([a, next]);
  });

  it('turns a failed snapshot into an incomplete one instead of rejecting', async () => {
    const source = new SnapshotSource(() => Promise.reject(new Error('connect ECONNREFUSED')), {
      maxAgeMs: 0,
      timeoutMs: 1_000,
    });
    const snapshot = await source.current();
    expect(snapshot.complete).toBe(false);
    expect(snapshot.errors).toEqual([{ phase: 'metadata', message: 'connect ECONNREFUSED' }]);
  });

  it('aborts a snapshot at its deadline and answers even if the work ignores the signal', async () => {
    let sawAbort = false;
    const source = new SnapshotSource(
      (signal) =>
        new Promise<ClusterSnapshot>(() => {
          signal.addEventListener('abort', () => (sawAbort = true));
        }),
      { maxAgeMs: 0, timeoutMs: 50 },
    );
    const started = Date.now();
    const snapshot = await source.current();
    expect(sawAbort).toBe(true);
    expect(snapshot.complete).toBe(false);
    expect(snapshot.errors[0]?.phase).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
