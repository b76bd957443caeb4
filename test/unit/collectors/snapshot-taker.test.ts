/**
 * A snapshot is assembled once, at the deadline at the latest, from the phases that settled:
 * with a scripted cluster holding one request past the deadline, the snapshot handed out never
 * changes afterwards, the held phase is an error of its own, and its late result is counted.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot, SnapshotPhase } from '../../../src/collectors/cluster-snapshot';
import { takeClusterSnapshot } from '../../../src/collectors/snapshot-taker';
import { ScriptedCluster, type RequestName } from './scripted-cluster';

const scope = {
  includeTopic: () => true,
  includeGroup: () => true,
  includeInternalTopics: false,
  groupConcurrency: 4,
};

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

async function snapshotWithHeld(held: RequestName) {
  const cluster = new ScriptedCluster().hold(held);
  const controller = new AbortController();
  const late: SnapshotPhase[] = [];
  const taking = takeClusterSnapshot(cluster.client, scope, controller.signal, (phase) =>
    late.push(phase),
  );
  await settle(); // every request not held has answered
  controller.abort(new Error('test deadline'));
  const snapshot = await taking;
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
};

describe('takeClusterSnapshot at its deadline', () => {
  it('assembles everything when nothing is held, complete and without late results', async () => {
    const cluster = new ScriptedCluster();
    const late: SnapshotPhase[] = [];
    const snapshot = await takeClusterSnapshot(
      cluster.client,
      scope,
      new AbortController().signal,
      (phase) => late.push(phase),
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
        message: 'no result before the deadline: test deadline',
      });
      expect(late).toEqual([phase]);
      // The phases that had settled are in the snapshot.
      if (phase !== 'metadata') expect(snapshot.brokers).toHaveLength(2);
      if (phase !== 'metadata' && phase !== 'quorum') expect(snapshot.quorum?.leaderId).toBe(1);
    },
  );

  it('counts no late result for a phase the deadline stopped: it brought nothing', async () => {
    const cluster = new ScriptedCluster().stopBySignal('describeLogDirs');
    const controller = new AbortController();
    const late: SnapshotPhase[] = [];
    const taking = takeClusterSnapshot(cluster.client, scope, controller.signal, (phase) =>
      late.push(phase),
    );
    await settle();
    controller.abort(new Error('test deadline'));
    const snapshot = await taking;
    await settle();
    expect(snapshot.errors).toEqual([
      { phase: 'log_dirs', message: 'no result before the deadline: test deadline' },
    ]);
    expect(late).toEqual([]);
  });

  it('does not start the offsets phase after the deadline (it waits for the groups)', async () => {
    const { snapshot, late } = await snapshotWithHeld('offsetFetch');
    const offsetsMissed: ClusterSnapshot['errors'][number] = {
      phase: 'offsets',
      message: 'no result before the deadline: test deadline',
    };
    expect(snapshot.errors).toContainEqual(offsetsMissed);
    expect(snapshot.topics[0]!.partitions[0]!.currentOffset).toBeUndefined();
    expect(late).toEqual(['groups']);
  });
});
