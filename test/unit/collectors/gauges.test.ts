/**
 * The exported metrics read a snapshot and nothing else: built here by hand (no broker needed)
 * to check names, units, attributes and the rules for offline, under-replicated, under-min-ISR
 * and sums, through a real SDK metric reader that takes them as a metric producer.
 */
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot, PartitionSnapshot } from '../../../src/collectors/cluster-snapshot';
import { TelemetryHarness } from '../../support/telemetry-harness';
import { SnapshotMetrics } from '../../../src/collectors/export/snapshot-metrics';
import { ALL_FAMILIES, snapshotProducer } from './snapshot-producer';

const partition = (p: Partial<PartitionSnapshot> & { partition: number }): PartitionSnapshot => ({
  errorCode: 0,
  leader: 1,
  replicas: [1, 2, 3],
  isr: [1, 2, 3],
  offlineReplicas: [],
  replicaSizes: [],
  ...p,
});

const snapshot: ClusterSnapshot = {
  takenAt: 100_000,
  durationSeconds: 0.02,
  complete: true,
  errors: [],
  brokers: [1, 2, 3].map((nodeId) => ({ nodeId, host: '127.0.0.1', port: 9091 + nodeId })),
  topics: [
    {
      name: 'orders',
      internal: false,
      errorCode: 0,
      minInsyncReplicas: 2,
      partitions: [
        partition({
          partition: 0,
          oldestOffset: 5,
          currentOffset: 100,
          replicaSizes: [1, 2, 3].map((broker) => ({ broker, bytes: 1000 })),
        }),
        partition({
          partition: 1,
          leader: 2,
          isr: [2],
          currentOffset: 50,
          replicaSizes: [{ broker: 2, bytes: 700 }],
        }),
        partition({ partition: 2, leader: -1, isr: [], errorCode: 5 }),
      ],
    },
  ],
  logDirs: [
    { broker: 1, path: '/data', errorCode: 0, bytes: 1000, totalBytes: 10_000, usableBytes: 4_000 },
  ],
  quorum: {
    leaderId: 1,
    leaderEpoch: 7,
    highWatermark: 900,
    voters: [
      { replicaId: 1, logEndOffset: 900, lastFetchTimestamp: 100_000 },
      { replicaId: 2, logEndOffset: 880, lastFetchTimestamp: 97_500 },
      // Has not fetched from this leader yet (just elected): nothing is known about it.
      { replicaId: 3, logEndOffset: -1, lastFetchTimestamp: undefined },
    ],
    observers: [],
  },
  groups: [
    {
      groupId: 'billing',
      state: 'Stable',
      protocolType: 'consumer',
      members: 2,
      offsetsComplete: true,
      status: 'WARN',
      partitions: [
        { topic: 'orders', partition: 0, committedOffset: 90, lag: 10, timeLagSeconds: 4 },
        { topic: 'orders', partition: 1, committedOffset: 50, lag: 0, timeLagSeconds: 0 },
      ],
    },
    {
      groupId: 'partial',
      state: 'Empty',
      protocolType: 'consumer',
      members: 0,
      offsetsComplete: false,
      partitions: [
        { topic: 'orders', partition: 0, committedOffset: 10, lag: 90 },
        { topic: 'orders', partition: 2, committedOffset: 3, lag: undefined },
      ],
    },
  ],
  timeLag: { reads: 2, fromLog: 1, interpolated: 1 },
};

let harness: TelemetryHarness;
function register(perPartition = true) {
  harness = new TelemetryHarness(AggregationTemporality.CUMULATIVE, [
    snapshotProducer(() => snapshot, { perPartition, maxSeries: 1_000 }),
  ]);
}
afterEach(() => harness.shutdown());

const value = async (name: string, where: Record<string, string | number> = {}) => {
  const points = await harness.points(name, where);
  expect(points, `${name} ${JSON.stringify(where)}`).toHaveLength(1);
  return points[0]!.value;
};

describe('cluster metrics of one snapshot', () => {
  it('reports replication health per partition and cluster-wide', async () => {
    register();
    const p = (partition: number) => ({ topic: 'orders', partition });
    expect(await value('kafka.brokers')).toBe(3);
    expect(await value('kafka.topic.partitions', { topic: 'orders' })).toBe(3);
    expect(await value('kafka.partition.leader', p(2))).toBe(-1);
    expect(await value('kafka.partition.offline', p(2))).toBe(1);
    expect(await value('kafka.partition.offline', p(0))).toBe(0);
    expect(await value('kafka.partition.under_replicated', p(1))).toBe(1);
    // An offline partition is offline, not under-replicated: each state is counted once.
    expect(await value('kafka.partition.under_replicated', p(2))).toBe(0);
    expect(await value('kafka.partition.under_min_isr', p(1))).toBe(1);
    expect(await value('kafka.partition.replicas_in_sync', p(1))).toBe(1);
    expect(await value('kafka.cluster.partitions.offline')).toBe(1);
    expect(await value('kafka.cluster.partitions.under_replicated')).toBe(1);
    expect(await value('kafka.cluster.partitions.under_min_isr')).toBe(1);
    expect(await value('kafka.broker.leader_count', { broker: 1 })).toBe(1);
    expect(await value('kafka.broker.leader_count', { broker: 3 })).toBe(0);
    expect(await value('kafka.collector.up')).toBe(1);
  });

  it('reports where time lag came from: read from the log or interpolated', async () => {
    register();
    expect(await value('kafka.collector.time_lag.reads')).toBe(2);
    expect(await value('kafka.collector.time_lag.partitions', { source: 'log' })).toBe(1);
    expect(await value('kafka.collector.time_lag.partitions', { source: 'interpolated' })).toBe(1);
  });

  it('reports offsets and sizes, summing a topic only when every partition is known', async () => {
    register();
    expect(await value('kafka.partition.current_offset', { topic: 'orders', partition: 0 })).toBe(
      100,
    );
    expect(await value('kafka.partition.oldest_offset', { topic: 'orders', partition: 0 })).toBe(5);
    // Partition 2 is offline: no offsets are invented for it.
    expect(await harness.points('kafka.partition.current_offset', { partition: 2 })).toEqual([]);
    expect(await value('kafka.partition.size', { topic: 'orders', partition: 0, broker: 2 })).toBe(
      1000,
    );
    expect(await harness.points('kafka.topic.size')).toEqual([]); // partition 2 has no size
    expect(await value('kafka.broker.log_dir.size', { broker: 1, log_dir: '/data' })).toBe(1000);
    expect(await value('kafka.broker.log_dir.usable', { broker: 1 })).toBe(4000);
  });

  it('reports the quorum with voter lag and fetch age', async () => {
    register();
    expect(await value('kafka.quorum.leader')).toBe(1);
    expect(await value('kafka.quorum.epoch')).toBe(7);
    expect(await value('kafka.quorum.high_watermark')).toBe(900);
    expect(await value('kafka.quorum.voter.lag', { voter: 2 })).toBe(20);
    expect(await value('kafka.quorum.voter.fetch_age', { voter: 2 })).toBe(2.5);
    expect(await harness.points('kafka.quorum.voter.lag', { voter: 3 })).toEqual([]);
    expect(await harness.points('kafka.quorum.voter.fetch_age', { voter: 3 })).toEqual([]);
  });

  it('reports groups: state and status as 1-of-N, lag and time lag, sums only from whole topics', async () => {
    register();
    const billing = { group: 'billing', topic: 'orders' };
    expect(await value('kafka.consumer_group.members', { group: 'billing' })).toBe(2);
    expect(await value('kafka.consumer_group.state', { group: 'billing', state: 'Stable' })).toBe(
      1,
    );
    expect(await value('kafka.consumer_group.state', { group: 'billing', state: 'Empty' })).toBe(0);
    expect(await value('kafka.consumer_group.status', { group: 'billing', status: 'WARN' })).toBe(
      1,
    );
    expect(await value('kafka.consumer_group.status', { group: 'billing', status: 'OK' })).toBe(0);
    expect(await harness.points('kafka.consumer_group.status', { group: 'partial' })).toEqual([]);
    expect(await value('kafka.consumer_group.lag', { ...billing, partition: 0 })).toBe(10);
    expect(await value('kafka.consumer_group.lag_sum', billing)).toBe(10);
    expect(await value('kafka.consumer_group.lag_max', billing)).toBe(10);
    expect(await value('kafka.consumer_group.offset_sum', billing)).toBe(140);
    expect(await value('kafka.consumer_group.time_lag', { ...billing, partition: 0 })).toBe(4);
    expect(await value('kafka.consumer_group.time_lag_max', billing)).toBe(4);
    // Group `partial` lacks the lag of one partition: no lag sum from partial data.
    expect(await harness.points('kafka.consumer_group.lag_sum', { group: 'partial' })).toEqual([]);
    expect(await value('kafka.consumer_group.offset_sum', { group: 'partial' })).toBe(13);
  });

  it('drops per-partition series on request and keeps the aggregates', async () => {
    register(false);
    expect(await harness.points('kafka.partition.current_offset')).toEqual([]);
    expect(await harness.points('kafka.consumer_group.lag')).toEqual([]);
    expect(await value('kafka.consumer_group.lag_sum', { group: 'billing' })).toBe(10);
    expect(await value('kafka.cluster.partitions.offline')).toBe(1);
  });

  it('gives every gauge a unit and a description', async () => {
    register();
    for (const metric of await harness.metrics()) {
      expect(metric.descriptor.unit, metric.descriptor.name).not.toBe('');
      expect(metric.descriptor.description, metric.descriptor.name).not.toBe('');
    }
  });
});

describe('exact export', () => {
  it('exports only what the current snapshot holds, under cumulative temporality too', async () => {
    let current: ClusterSnapshot = snapshot;
    harness = new TelemetryHarness(AggregationTemporality.CUMULATIVE, [
      snapshotProducer(() => current, { perPartition: true, maxSeries: 1_000 }),
    ]);
    expect(await harness.points('kafka.consumer_group.lag', { group: 'partial' })).toHaveLength(1);
    expect(await harness.points('kafka.quorum.voter.lag', { voter: 2 })).toHaveLength(1);
    // The group is deleted, the topic loses a partition, voter 2 leaves the quorum.
    current = {
      ...snapshot,
      topics: [{ ...snapshot.topics[0]!, partitions: snapshot.topics[0]!.partitions.slice(0, 2) }],
      quorum: { ...snapshot.quorum!, voters: snapshot.quorum!.voters.slice(0, 1) },
      groups: snapshot.groups.filter((g) => g.groupId !== 'partial'),
    };
    expect(await harness.points('kafka.consumer_group.lag', { group: 'partial' })).toEqual([]);
    expect(await harness.points('kafka.consumer_group.members', { group: 'partial' })).toEqual([]);
    expect(await harness.points('kafka.partition.leader', { partition: 2 })).toEqual([]);
    expect(await harness.points('kafka.quorum.voter.lag', { voter: 2 })).toEqual([]);
    expect(await value('kafka.topic.partitions', { topic: 'orders' })).toBe(2);
  });

  it('leaves out what the snapshot does not know: members, a sum over unknown min ISR', async () => {
    const [orders] = snapshot.topics;
    const [billing, partial] = snapshot.groups;
    const { members: _unknown, ...undescribed } = billing!;
    harness = new TelemetryHarness(AggregationTemporality.CUMULATIVE, [
      snapshotProducer(
        () => ({
          ...snapshot,
          topics: [
            orders!,
            // DescribeConfigs gave no min.insync.replicas for it (a per-topic error).
            { ...orders!, name: 'payments', minInsyncReplicas: undefined },
          ],
          groups: [undescribed, partial!],
        }),
        { perPartition: true, maxSeries: 1_000 },
      ),
    ]);
    expect(await harness.points('kafka.consumer_group.members', { group: 'billing' })).toEqual([]);
    expect(await value('kafka.consumer_group.state', { group: 'billing', state: 'Stable' })).toBe(
      1,
    );
    expect(await value('kafka.consumer_group.members', { group: 'partial' })).toBe(0);
    expect(await value('kafka.partition.under_min_isr', { topic: 'orders', partition: 1 })).toBe(1);
    expect(await harness.points('kafka.partition.under_min_isr', { topic: 'payments' })).toEqual(
      [],
    );
    // 1 from orders, and an unknown count from payments: not a total.
    expect(await harness.points('kafka.cluster.partitions.under_min_isr')).toEqual([]);
    expect(await value('kafka.cluster.partitions.under_replicated')).toBe(2);
  });

  it('sums under-min-ISR partitions over topics that have partitions', async () => {
    harness = new TelemetryHarness(AggregationTemporality.CUMULATIVE, [
      snapshotProducer(
        () => ({
          ...snapshot,
          // A topic Metadata lists without partitions (still being created) counts nothing.
          topics: [
            ...snapshot.topics,
            { name: 'creating', internal: false, errorCode: 5, partitions: [] },
          ],
        }),
        { perPartition: true, maxSeries: 1_000 },
      ),
    ]);
    expect(await value('kafka.cluster.partitions.under_min_isr')).toBe(1);
  });

  it('past maxSeries drops per-partition series first, counts them, keeps every total', async () => {
    const producer = snapshotProducer(() => snapshot, { perPartition: true, maxSeries: 40 });
    harness = new TelemetryHarness(AggregationTemporality.CUMULATIVE, [producer]);
    const unlimited = new TelemetryHarness(AggregationTemporality.CUMULATIVE, [
      snapshotProducer(() => snapshot, { perPartition: true, maxSeries: 1_000 }),
    ]);
    const count = (metrics: Awaited<ReturnType<TelemetryHarness['metrics']>>) =>
      metrics.reduce((sum, metric) => sum + metric.dataPoints.length, 0);
    const all = count(await unlimited.metrics());
    await unlimited.shutdown();
    const limited = await harness.metrics();
    expect(all).toBeGreaterThan(40);
    expect(count(limited)).toBe(40);
    expect(producer.dropped).toBe(all - 40);
    // Totals are all still there.
    expect(await value('kafka.cluster.partitions.offline')).toBe(1);
    expect(await value('kafka.consumer_group.lag_sum', { group: 'billing' })).toBe(10);
    expect(await value('kafka.collector.up')).toBe(1);
  });
});

describe('quorum voters without a fetch time', () => {
  const stopped = (epochSeenAt: number | undefined): ClusterSnapshot => ({
    ...snapshot,
    quorum: {
      leaderId: 2,
      leaderEpoch: 8,
      ...(epochSeenAt === undefined ? {} : { epochSeenAt }),
      highWatermark: 950,
      voters: [
        { replicaId: 2, logEndOffset: 950, lastFetchTimestamp: snapshot.takenAt },
        // The former leader, stopped: the new leader never heard from it.
        { replicaId: 1, logEndOffset: -1 },
      ],
      observers: [],
    },
  });

  it('read as behind by at least the time since the epoch was first seen', async () => {
    harness = new TelemetryHarness(AggregationTemporality.CUMULATIVE, [
      snapshotProducer(() => stopped(snapshot.takenAt - 12_000), {
        perPartition: true,
        maxSeries: 1_000,
      }),
    ]);
    expect(await value('kafka.quorum.voter.fetch_age', { voter: 1 })).toBe(12);
    expect(await value('kafka.quorum.voter.fetch_age', { voter: 2 })).toBe(0);
  });

  it('export no fetch age when the epoch is first seen now: 0 would read as healthy', async () => {
    harness = new TelemetryHarness(AggregationTemporality.CUMULATIVE, [
      snapshotProducer(() => stopped(snapshot.takenAt), { perPartition: true, maxSeries: 1_000 }),
    ]);
    expect(await harness.points('kafka.quorum.voter.fetch_age', { voter: 1 })).toEqual([]);
    expect(await harness.points('kafka.quorum.voter.lag', { voter: 1 })).toEqual([]);
  });

  it('makes points when they are read: the same in any order, twice, and in a copy', () => {
    const renderer = new SnapshotMetrics(ALL_FAMILIES, { perPartition: true, maxSeries: 1_000 });
    const render = () => renderer.render(snapshot).metrics;
    const byName = (metrics: ReturnType<typeof render>) =>
      new Map(metrics.map((metric) => [metric.descriptor.name, metric.dataPoints]));
    const forward = byName(render());
    const reversed = render().reverse();
    const backward = byName(reversed);
    const again = byName(reversed);
    const copied = byName(render().map((metric) => ({ ...metric })));
    expect(forward.size).toBeGreaterThan(20);
    expect(forward.get('kafka.consumer_group.lag')).toHaveLength(3);
    for (const other of [backward, again, copied]) expect(other).toEqual(forward);
  });
});
