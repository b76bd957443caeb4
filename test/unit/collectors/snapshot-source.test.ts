import { describe, expect, it } from 'vitest';
import { emptySnapshot, type ClusterSnapshot } from '../../../src/collectors/cluster-snapshot';
import { SnapshotDeadline, SnapshotSource } from '../../../src/collectors/snapshot-source';

const snapshotAt = (takenAt: number): ClusterSnapshot => ({
  ...emptySnapshot(takenAt, 0, []),
  complete: true,
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('SnapshotSource', () => {
  it('shares one snapshot between concurrent readers and reuses it while fresh', async () => {
    let clock = 1_000;
    let taken = 0;
    const source = new SnapshotSource(
      async () => {
        taken++;
        await tick();
        return snapshotAt(clock);
      },
      { shareForMs: 5_000, timeoutMs: 1_000, now: () => clock },
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
  });

  it('with shareForMs 0 never reuses a finished snapshot, but joins the one in flight', async () => {
    let taken = 0;
    const source = new SnapshotSource(
      async () => {
        taken++;
        await tick();
        return snapshotAt(taken);
      },
      { shareForMs: 0, timeoutMs: 1_000, now: () => 1_000 },
    );
    const [a, b] = await Promise.all([source.current(), source.current()]);
    expect(a).toBe(b);
    const c = await source.current();
    const d = await source.current();
    expect(new Set([a, c, d]).size).toBe(3);
    expect(taken).toBe(3);
  });

  it('owns the deadline: one signal, aborted with a SnapshotDeadline reason after timeoutMs', async () => {
    let reason: unknown;
    const source = new SnapshotSource(
      (signal) =>
        new Promise<ClusterSnapshot>((resolve) => {
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            resolve(
              emptySnapshot(0, 0.05, [
                { phase: 'metadata', errorType: 'timeout', message: 'deadline' },
              ]),
            );
          });
        }),
      { shareForMs: 0, timeoutMs: 50 },
    );
    const snapshot = await source.current();
    expect(reason).toBeInstanceOf(SnapshotDeadline);
    expect((reason as Error).message).toBe('the 50 ms snapshot deadline passed');
    expect(snapshot.complete).toBe(false);
  });

  it('forgets a take that rejected: the next reader gets a fresh snapshot, not the rejection', async () => {
    let taken = 0;
    const source = new SnapshotSource(
      async () => {
        taken++;
        await tick();
        if (taken === 1) throw new Error('a bug once');
        return snapshotAt(2_000);
      },
      { shareForMs: 5_000, timeoutMs: 1_000 },
    );
    await expect(source.current()).rejects.toThrow('a bug once');
    expect((await source.current()).takenAt).toBe(2_000);
    expect(taken).toBe(2);
  });
});
