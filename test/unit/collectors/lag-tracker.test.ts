/**
 * The glue from a finished snapshot to lag status and interpolated time lag: snapshots built
 * here as the collector assembles them (lag = log end - committed offset, absent where the log
 * end is unknown), fed one after the other, and the estimates the collector would export.
 * The rules themselves are proven window by window in `lag/`; here, that the tracker feeds them
 * the right partition's numbers, at the snapshot's time, and forgets what left the cluster.
 */
import { describe, expect, it } from 'vitest';
import type {
  ClusterSnapshot,
  GroupPartitionSnapshot,
  GroupSnapshot,
  PartitionSnapshot,
} from '../../../src/collectors/cluster-snapshot';
import { LagTracker, type GroupLagEstimate } from '../../../src/collectors/lag-tracker';

const S = 1_000;
const T0 = 1_700_000_000_000;

/** One partition's log at a snapshot: `end` the next offset written, `start` the oldest kept. */
interface Log {
  topic: string;
  partition: number;
  end?: number;
  start?: number;
}

/** A group's committed offset on one partition; `timeLagSeconds` when the log gave one. */
interface Commit {
  topic: string;
  partition: number;
  offset: number;
  timeLagSeconds?: number;
}

interface Group {
  groupId: string;
  /** Undefined: not known (DescribeGroups failed, or a KIP-848 group it does not describe). */
  members: number | undefined;
  /** Default: Stable with members, Empty without. */
  state?: string;
  commits: Commit[];
}

/** The snapshot taken `seconds` after T0 of these logs and groups. */
function snapshotAt(seconds: number, logs: Log[], groups: Group[]): ClusterSnapshot {
  const topics = [...new Set(logs.map((log) => log.topic))].map((name) => ({
    name,
    internal: false,
    errorCode: 0,
    partitions: logs
      .filter((log) => log.topic === name)
      .map<PartitionSnapshot>((log) => ({
        partition: log.partition,
        errorCode: 0,
        leader: 1,
        replicas: [1],
        isr: [1],
        offlineReplicas: [],
        replicaSizes: [],
        ...(log.end === undefined ? {} : { currentOffset: log.end }),
        ...(log.start === undefined ? {} : { oldestOffset: log.start }),
      })),
  }));
  const logEnd = (c: Commit) =>
    logs.find((log) => log.topic === c.topic && log.partition === c.partition)?.end;
  return {
    takenAt: T0 + seconds * S,
    durationSeconds: 0.01,
    complete: true,
    errors: [],
    brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092 }],
    topics,
    logDirs: [],
    groups: groups.map<GroupSnapshot>((group) => ({
      groupId: group.groupId,
      state: group.state ?? (group.members! > 0 ? 'Stable' : 'Empty'),
      protocolType: 'consumer',
      ...(group.members === undefined ? {} : { members: group.members }),
      offsetsComplete: group.commits.every((c) => logEnd(c) !== undefined),
      partitions: group.commits.map<GroupPartitionSnapshot>((c) => {
        const end = logEnd(c);
        return {
          topic: c.topic,
          partition: c.partition,
          committedOffset: c.offset,
          ...(end === undefined ? {} : { lag: Math.max(0, end - c.offset) }),
          ...(c.timeLagSeconds === undefined ? {} : { timeLagSeconds: c.timeLagSeconds }),
        };
      }),
    })),
  };
}

const log = (topic: string, partition: number, end?: number, start = 0): Log => ({
  topic,
  partition,
  end,
  start,
});
const commit = (topic: string, partition: number, offset: number): Commit => ({
  topic,
  partition,
  offset,
});

/** Feeds the snapshots in order; returns each one's status per group (absent: no status). */
function statusesOf(tracker: LagTracker, snapshots: ClusterSnapshot[]) {
  return snapshots.map((snapshot) =>
    Object.fromEntries(
      [...tracker.update(snapshot)].map(([groupId, estimate]) => [groupId, estimate.status]),
    ),
  );
}

describe('LagTracker: lag status from snapshots', () => {
  it('judges each partition over the last windowSize snapshots; a group takes its worst', () => {
    const tracker = new LagTracker({ status: { windowSize: 3 } });
    // billing: stuck at 10 on orders/0 while the log grows, caught up on orders/1, a live
    // member. audit: stuck at 5 on orders/0 with nobody consuming.
    const at = (i: number) =>
      snapshotAt(
        15 * i,
        [log('orders', 0, 20 + 10 * i), log('orders', 1, 7)],
        [
          {
            groupId: 'billing',
            members: 1,
            commits: [commit('orders', 0, 10), commit('orders', 1, 7)],
          },
          { groupId: 'audit', members: 0, commits: [commit('orders', 0, 5)] },
        ],
      );
    expect(statusesOf(tracker, [at(0), at(1), at(2), at(3)])).toEqual([
      // Too few snapshots for a trend.
      { billing: 'OK', audit: 'OK' },
      { billing: 'OK', audit: 'OK' },
      // The window is full: a stuck offset with a member is STALL, without one STOP.
      { billing: 'STALL', audit: 'STOP' },
      { billing: 'STALL', audit: 'STOP' },
    ]);
  });

  it('tells STALL from STOP by the group state where the member count is unknown', () => {
    const tracker = new LagTracker({ status: { windowSize: 2 } });
    // Every group stuck at 10 while the log grows, none with a member count: a KIP-848 group
    // (not described by DescribeGroups), or a classic one whose DescribeGroups failed.
    const states = [
      'Stable',
      'Assigning',
      'Reconciling',
      'CompletingRebalance',
      'Empty',
      'Dead',
      'PreparingRebalance',
      'Unknown',
    ];
    const at = (i: number) =>
      snapshotAt(
        15 * i,
        [log('orders', 0, 20 + 10 * i)],
        states.map((state) => ({
          groupId: state,
          members: undefined,
          state,
          commits: [commit('orders', 0, 10)],
        })),
      );
    const [, full] = statusesOf(tracker, [at(0), at(1)]);
    expect(full).toEqual({
      // States only a group with members is in: someone holds the partition and is stuck.
      Stable: 'STALL',
      Assigning: 'STALL',
      Reconciling: 'STALL',
      CompletingRebalance: 'STALL',
      // No members: nobody consumes.
      Empty: 'STOP',
      Dead: 'STOP',
      // Members or none, the state does not say: not claimed live, so STOP.
      PreparingRebalance: 'STOP',
      Unknown: 'STOP',
    });
  });

  it('keeps a zero lag in the window for exactly windowSize snapshots', () => {
    // Caught up at offset 10, then the group stops while messages keep coming.
    const at = (i: number) =>
      snapshotAt(
        15 * i,
        [log('orders', 0, 10 + 10 * i)],
        [{ groupId: 'billing', members: 0, commits: [commit('orders', 0, 10)] }],
      );
    const snapshots = [0, 1, 2, 3, 4].map(at);
    const billing = (windowSize: number) =>
      statusesOf(new LagTracker({ status: { windowSize } }), snapshots).map((s) => s.billing);
    // Lags 0 10 20 30 40: OK while the 0 is one of the last windowSize lags.
    expect(billing(3)).toEqual(['OK', 'OK', 'OK', 'STOP', 'STOP']);
    expect(billing(4)).toEqual(['OK', 'OK', 'OK', 'OK', 'STOP']);
  });

  it("reads ERR from the log start of the group's own partition, from the first snapshot", () => {
    const tracker = new LagTracker({ status: { windowSize: 3 } });
    // Same partition numbers on two topics, different log starts: only payments/1 lost
    // messages billing had not read (committed 30, log start 50).
    const logs = [
      log('orders', 0, 100, 0),
      log('orders', 1, 100, 0),
      log('payments', 0, 100, 0),
      log('payments', 1, 100, 50),
    ];
    const [first] = statusesOf(tracker, [
      snapshotAt(0, logs, [
        { groupId: 'billing', members: 1, commits: [commit('payments', 1, 30)] },
        {
          groupId: 'audit',
          members: 1,
          commits: [commit('orders', 1, 30), commit('payments', 0, 30)],
        },
      ]),
    ]);
    expect(first).toEqual({ billing: 'ERR', audit: 'OK' });
  });

  it('has no ERR where the log start is unknown', () => {
    const tracker = new LagTracker({ status: { windowSize: 3 } });
    const unknownStart: Log = { topic: 'orders', partition: 0, end: 100 };
    const [first] = statusesOf(tracker, [
      snapshotAt(
        0,
        [unknownStart],
        [{ groupId: 'billing', members: 1, commits: [commit('orders', 0, 30)] }],
      ),
    ]);
    expect(first).toEqual({ billing: 'OK' });
  });

  it('reports REWIND from the snapshot where the committed offset went back', () => {
    const tracker = new LagTracker({ status: { windowSize: 5 } });
    const at = (i: number, committed: number) =>
      snapshotAt(
        15 * i,
        [log('orders', 0, 100)],
        [{ groupId: 'billing', members: 0, commits: [commit('orders', 0, committed)] }],
      );
    expect(statusesOf(tracker, [at(0, 100), at(1, 40), at(2, 60), at(3, 100)])).toEqual([
      { billing: 'OK' },
      { billing: 'REWIND' },
      { billing: 'REWIND' }, // moving forward again, not caught up
      { billing: 'OK' }, // caught up
    ]);
  });

  it('gives no status to a group without a committed offset or without a known log end', () => {
    const tracker = new LagTracker({ status: { windowSize: 2 } });
    const snapshots = [0, 1, 2].map((i) =>
      snapshotAt(
        15 * i,
        [log('orders', 0, 10 + 10 * i), { topic: 'payments', partition: 0 }],
        [
          { groupId: 'new', members: 1, commits: [] },
          // Its topic's ListOffsets failed: a committed offset and no lag.
          { groupId: 'unmeasured', members: 0, commits: [commit('payments', 0, 3)] },
        ],
      ),
    );
    for (const snapshot of snapshots) {
      expect([...tracker.update(snapshot)]).toEqual([
        ['new', { timeLagSeconds: [] }],
        ['unmeasured', { timeLagSeconds: [undefined] }],
      ]);
    }
  });
});

describe('LagTracker: what leaves the cluster leaves the status', () => {
  const MINUTE = 60 * S;
  const stuck = (seconds: number, end: number): ClusterSnapshot =>
    snapshotAt(
      seconds,
      [log('orders', 0, end)],
      [{ groupId: 'billing', members: 1, commits: [commit('orders', 0, 10)] }],
    );
  const without = (seconds: number): ClusterSnapshot =>
    snapshotAt(
      seconds,
      [log('orders', 0, 500)],
      [{ groupId: 'other', members: 1, commits: [commit('orders', 0, 500)] }],
    );

  it("drops a partition the group no longer has from the group's status at once", () => {
    const tracker = new LagTracker({ status: { windowSize: 3 } });
    const logs = [log('orders', 0, 100, 50), log('payments', 0, 100)];
    const both = [commit('orders', 0, 20), commit('payments', 0, 100)];
    const [withLost, withoutIt, none] = statusesOf(tracker, [
      snapshotAt(0, logs, [{ groupId: 'billing', members: 1, commits: both }]),
      // Its offsets on orders are gone (the topic was deleted, or the offsets expired).
      snapshotAt(15, logs, [{ groupId: 'billing', members: 1, commits: [both[1]!] }]),
      snapshotAt(30, logs, [{ groupId: 'billing', members: 1, commits: [] }]),
    ]);
    expect(withLost).toEqual({ billing: 'ERR' });
    expect(withoutIt).toEqual({ billing: 'OK' });
    expect(none).toEqual({ billing: undefined }); // no committed offsets: no status
  });

  it('keeps the last status of a partition the group still has whose lag is unknown', () => {
    const tracker = new LagTracker({ status: { windowSize: 3, forgetAfterMs: 2 * MINUTE } });
    // billing: stuck at 10 on orders/0 while the log grows, caught up on orders/1. Then
    // orders/0's ListOffsets fails (its leader is down): the commit is read, the lag is not.
    const at = (seconds: number, orders0End: number | undefined) =>
      snapshotAt(
        seconds,
        [log('orders', 0, orders0End), log('orders', 1, 7)],
        [
          {
            groupId: 'billing',
            members: 1,
            commits: [commit('orders', 0, 10), commit('orders', 1, 7)],
          },
        ],
      );
    const statuses = statusesOf(tracker, [
      at(0, 20),
      at(15, 30),
      at(30, 40),
      at(45, undefined), // unmeasured: the outage must not turn STALL into OK
      at(60, undefined),
      at(75, 50), // measured again: the same window goes on
      at(90, undefined),
      // Unmeasured for longer than forgetAfterMs: its window is forgotten once this snapshot
      // is judged, and from the next one on only orders/1 speaks for the group.
      at(196, undefined),
      at(211, undefined),
    ]);
    expect(statuses.map((s) => s.billing)).toEqual([
      'OK',
      'OK',
      'STALL',
      'STALL',
      'STALL',
      'STALL',
      'STALL',
      'STALL',
      'OK',
    ]);
  });

  it('continues a window seen again within forgetAfterMs', () => {
    const tracker = new LagTracker({ status: { windowSize: 3, forgetAfterMs: 2 * MINUTE } });
    const statuses = statusesOf(tracker, [
      stuck(0, 20),
      stuck(15, 30),
      without(60),
      without(120),
      stuck(135, 40),
    ]);
    expect(statuses.map((s) => s.billing)).toEqual(['OK', 'OK', undefined, undefined, 'STALL']);
  });

  it('forgets a window not seen for longer than forgetAfterMs: it starts over', () => {
    const tracker = new LagTracker({ status: { windowSize: 3, forgetAfterMs: 2 * MINUTE } });
    const statuses = statusesOf(tracker, [
      stuck(0, 20),
      stuck(15, 30),
      without(60),
      without(136), // more than 2 minutes after billing's last snapshot
      stuck(150, 40),
      stuck(165, 50),
      stuck(180, 60),
    ]);
    expect(statuses.map((s) => s.billing)).toEqual([
      'OK',
      'OK',
      undefined,
      undefined,
      'OK',
      'OK',
      'STALL',
    ]);
  });
});

describe('LagTracker: interpolated time lag', () => {
  const estimatesAt = (tracker: LagTracker, snapshot: ClusterSnapshot) =>
    Object.fromEntries(
      [...tracker.update(snapshot)].map(([groupId, e]): [string, GroupLagEstimate] => [groupId, e]),
    );

  it('interpolates from the log ends of earlier snapshots, in the order of the partitions', () => {
    const tracker = new LagTracker({ status: { windowSize: 3 } });
    const first = estimatesAt(
      tracker,
      snapshotAt(
        0,
        [log('orders', 0, 100), log('orders', 1, 50)],
        [{ groupId: 'billing', members: 1, commits: [commit('orders', 0, 60)] }],
      ),
    );
    // One point per partition: not enough history to place an offset in time.
    expect(first.billing!.timeLagSeconds).toEqual([undefined]);

    const second = estimatesAt(
      tracker,
      // orders/0 went from 100 to 200 in 10 s; orders/1 stayed at 50.
      snapshotAt(
        10,
        [log('orders', 0, 200), log('orders', 1, 50)],
        [
          {
            groupId: 'billing',
            members: 1,
            commits: [
              commit('orders', 1, 50),
              { ...commit('orders', 0, 100), timeLagSeconds: 42 }, // the log gave it
            ],
          },
          { groupId: 'audit', members: 0, commits: [commit('orders', 0, 150)] },
        ],
      ),
    );
    // Caught up on orders/1; on orders/0 the log's own value stands (the snapshot keeps it).
    expect(second.billing!.timeLagSeconds).toEqual([0, undefined]);
    // The log end passed 150 halfway between the two snapshots.
    expect(second.audit!.timeLagSeconds).toEqual([5]);
  });

  it('forgets the history of a partition not seen for longer than its forgetAfterMs', () => {
    const tracker = new LagTracker({
      status: { windowSize: 3 },
      timeIndex: { forgetAfterMs: 60 * S },
    });
    const group = { groupId: 'billing', members: 1, commits: [commit('orders', 0, 100)] };
    tracker.update(snapshotAt(0, [log('orders', 0, 100)], []));
    tracker.update(snapshotAt(61, [log('payments', 0, 5)], []));
    const back = estimatesAt(tracker, snapshotAt(62, [log('orders', 0, 200)], [group]));
    expect(back.billing!.timeLagSeconds).toEqual([undefined]);

    const remembered = new LagTracker({
      status: { windowSize: 3 },
      timeIndex: { forgetAfterMs: 60 * S },
    });
    remembered.update(snapshotAt(0, [log('orders', 0, 100)], []));
    remembered.update(snapshotAt(60, [log('payments', 0, 5)], []));
    const kept = estimatesAt(remembered, snapshotAt(62, [log('orders', 0, 200)], [group]));
    expect(kept.billing!.timeLagSeconds).toEqual([62]);
  });
});
