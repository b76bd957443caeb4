/**
 * A snapshot is assembled once, at the deadline at the latest, from the phases that settled:
 * with a scripted cluster holding one request past the deadline, the snapshot handed out never
 * changes afterwards, the held phase is an error of its own, and its late result is counted.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot, SnapshotPhase } from '../../../src/collectors/cluster-snapshot';
import { OffsetTimes } from '../../../src/collectors/lag/offset-times';
import type { TimeLagMemory } from '../../../src/collectors/phases/time-lag-phase';
import { takeClusterSnapshot } from '../../../src/collectors/snapshot-taker';
import { SCRIPTED_MESSAGE_TIME, ScriptedCluster, type RequestName } from './scripted-cluster';

const scope = {
  includeTopic: () => true,
  includeGroup: () => true,
  includeInternalTopics: false,
  groupConcurrency: 4,
};

/** The snapshot starts 100 s after the scripted messages at the committed offsets were written. */
const NOW = SCRIPTED_MESSAGE_TIME + 100_000;
const now = () => NOW;
const noMemory = (): TimeLagMemory => ({ known: new OffsetTimes(), readLimit: 1_000 });

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Starts a snapshot of `cluster` that a test ends by aborting `controller`. */
function start(cluster: ScriptedCluster) {
  const controller = new AbortController();
  const late: SnapshotPhase[] = [];
  const taking = takeClusterSnapshot(
    cluster.client,
    scope,
    noMemory(),
    controller.signal,
    (phase) => late.push(phase),
    now,
  );
  return { taking, controller, late };
}

async function snapshotWithHeld(held: RequestName) {
  const cluster = new ScriptedCluster().hold(held);
  const { taking, controller, late } = start(cluster);
  await settle(); // every request not held has answered
  controller.abort(new Error('test deadline'));
  const { snapshot } = await taking;
  const copy = structuredClone(snapshot);
  cluster.release();
  await settle(); // the held answers arrive, after the snapshot was handed out
  return { snapshot, copy, late };
}

const PHASE_OF: Record<RequestName, SnapshotPhase> = {
  metadata: 'metadata',
  listGroups: 'groups',
  findCoordinators: 'groups',
  describeGroups: 'groups',
  offsetFetch: 'groups',
  describeLogDirs: 'log_dirs',
  describeQuorum: 'quorum',
  describeTopicConfigs: 'configs',
  listOffsets: 'offsets',
  fetchRecords: 'time_lag',
};

describe('takeClusterSnapshot at its deadline', () => {
  it('assembles everything when nothing is held, complete and without late results', async () => {
    const cluster = new ScriptedCluster();
    const late: SnapshotPhase[] = [];
    const { snapshot, timeLagReads } = await takeClusterSnapshot(
      cluster.client,
      scope,
      noMemory(),
      new AbortController().signal,
      (phase) => late.push(phase),
      now,
    );
    expect(snapshot.complete).toBe(true);
    expect(late).toEqual([]);
    expect(snapshot.topics[0]).toMatchObject({
      name: 'orders',
      minInsyncReplicas: 2,
      partitions: [
        {
          partition: 0,
          oldestOffset: 0,
          currentOffset: 25,
          replicaSizes: [
            { broker: 1, bytes: 100 },
            { broker: 2, bytes: 100 },
          ],
        },
        { partition: 1, oldestOffset: 0, currentOffset: 25 },
      ],
    });
    expect(snapshot.groups[0]).toMatchObject({ groupId: 'billing', offsetsComplete: true });
    expect(snapshot.groups[0]!.partitions.map((p) => p.lag)).toEqual([15, 15]);
    // Read from the log: the message at the committed offset was written 100 s before.
    expect(snapshot.groups[0]!.partitions.map((p) => p.timeLagSeconds)).toEqual([100, 100]);
    expect(snapshot.timeLag).toEqual({ reads: 2, fromLog: 2, interpolated: 0 });
    expect(timeLagReads?.times.get('orders', 1, 10)).toBe(SCRIPTED_MESSAGE_TIME);
    expect(snapshot.quorum).toMatchObject({ leaderId: 1, leaderEpoch: 3 });
    expect(snapshot.logDirs).toHaveLength(2);
  });

  it.each(Object.keys(PHASE_OF) as RequestName[])(
    'holding %s: the snapshot never changes after it is returned, the late result is counted',
    async (held) => {
      const { snapshot, copy, late } = await snapshotWithHeld(held);
      expect(snapshot).toEqual(copy);
      expect(snapshot.complete).toBe(false);
      const phase = PHASE_OF[held];
      expect(snapshot.errors).toContainEqual({
        phase,
        errorType: 'timeout',
        message: 'no result before the deadline: test deadline',
      });
      expect(late).toEqual([phase]);
      // The phases that had settled are in the snapshot.
      if (phase !== 'metadata') expect(snapshot.brokers).toHaveLength(2);
      if (phase !== 'metadata' && phase !== 'quorum') expect(snapshot.quorum?.leaderId).toBe(1);
    },
  );

  it('counts no late result for a phase the deadline stopped: it brought nothing', async () => {
    const { taking, controller, late } = start(
      new ScriptedCluster().stopBySignal('describeLogDirs'),
    );
    await settle();
    controller.abort(new Error('test deadline'));
    const { snapshot } = await taking;
    await settle();
    expect(snapshot.errors).toEqual([
      {
        phase: 'log_dirs',
        errorType: 'timeout',
        message: 'no result before the deadline: test deadline',
      },
    ]);
    expect(late).toEqual([]);
  });

  it('does not start the offsets phase after the deadline (it waits for the groups)', async () => {
    const { snapshot, late } = await snapshotWithHeld('offsetFetch');
    const offsetsMissed: ClusterSnapshot['errors'][number] = {
      phase: 'offsets',
      errorType: 'timeout',
      message: 'no result before the deadline: test deadline',
    };
    expect(snapshot.errors).toContainEqual(offsetsMissed);
    expect(snapshot.topics[0]!.partitions[0]!.currentOffset).toBeUndefined();
    expect(late).toEqual(['groups']);
  });

  it('does not read an offset the previous snapshot read, and defers reads past the limit', async () => {
    const known = new OffsetTimes();
    known.set('orders', 0, 10, SCRIPTED_MESSAGE_TIME - 50_000);
    const cluster = new ScriptedCluster();
    const { snapshot, timeLagReads } = await takeClusterSnapshot(
      cluster.client,
      scope,
      { known, readLimit: 1 },
      new AbortController().signal,
      () => undefined,
      now,
    );
    expect(cluster.sent.filter((name) => name === 'fetchRecords')).toHaveLength(1);
    expect(snapshot.groups[0]!.partitions.map((p) => p.timeLagSeconds)).toEqual([150, 100]);
    expect(timeLagReads).toMatchObject({ read: 1, deferred: 0 });
    expect(timeLagReads?.times.size).toBe(2);

    const limited = await takeClusterSnapshot(
      new ScriptedCluster().client,
      scope,
      { known: new OffsetTimes(), readLimit: 1 },
      new AbortController().signal,
      () => undefined,
      now,
    );
    expect(limited.timeLagReads).toMatchObject({ read: 1, deferred: 1 });
    // The one not read has no time lag from the log: the collector interpolates it.
    expect(limited.snapshot.groups[0]!.partitions.map((p) => p.timeLagSeconds)).toEqual([
      100,
      undefined,
    ]);
    expect(limited.snapshot.timeLag).toEqual({ reads: 1, fromLog: 1, interpolated: 0 });
  });
});
