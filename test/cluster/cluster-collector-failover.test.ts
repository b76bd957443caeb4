/**
 * KafkaClusterCollector on three real nodes while one of them is stopped: replication,
 * min-ISR and quorum gauges must show the failure, offline partitions must read leader -1, no
 * snapshot may fail (a snapshot is incomplete only where a moved partition's offsets are
 * unknown), and everything must return to healthy after the restart.
 */
import { isDeepStrictEqual } from 'node:util';
import type { MetricData } from '@opentelemetry/sdk-metrics';
import { IDEMPOTENT_PRODUCER } from '../support/producer-options';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startNode, stopNode } from '../../scripts/local-kafka';
import { KafkaClusterCollector } from '../../src';
import type { ClusterSnapshot } from '../../src/collectors/cluster-snapshot';
import { createTestKafka } from '../support/kafka-client';
import { randomTopic } from '../support/names';
import { TelemetryHarness } from '../support/telemetry-harness';
import { createTopicAndWait } from '../support/topics';
import { waitFor } from '../support/wait-for';

const brokers = inject('kafkaBrokers');
const cluster = inject('localKafkaCluster') ?? 'test3';
const replicated = randomTopic('replicated');
const single = randomTopic('on-one-node');
const harness = new TelemetryHarness();
const collector = new KafkaClusterCollector({
  brokers,
  // This file's topics only: the cluster totals and leader counts are then exactly theirs (other
  // files of the suite leave topics behind, in states of their own).
  topics: [replicated, single],
  minSnapshotIntervalMs: 1,
});
/** The snapshot of every collection of the harness, in order (see `beforeAll`). */
const snapshots: ClusterSnapshot[] = [];
const kafka = createTestKafka();
const admin = kafka.admin();
/**
 * The node this file stops: not the active controller, so the quorum leader stays the same and
 * keeps reporting the stopped voter's last fetch (a new leader would not know it yet).
 */
let victim = 2;

async function gauge(name: string, where: Record<string, string | number> = {}) {
  const points = await harness.points(name, where);
  return points.length === 1 ? points[0]!.value : undefined;
}

/** Partitions of `topics` each broker leads, as Metadata names their leaders (KafkaJS's admin). */
async function leadersByBroker(topics: string[]): Promise<Map<number, number>> {
  const metadata = await admin.fetchTopicMetadata({ topics });
  const led = new Map<number, number>();
  for (const { leader } of metadata.topics.flatMap((topic) => topic.partitions)) {
    led.set(leader, (led.get(leader) ?? 0) + 1);
  }
  return led;
}

/** `kafka.broker.leader_count` of one collection, by broker. */
function leaderCountsOf(metrics: MetricData[]): Map<number, number> {
  const metric = metrics.find((m) => m.descriptor.name === 'kafka.broker.leader_count');
  return new Map(
    (metric?.dataPoints ?? []).map((point) => [
      point.attributes.broker as number,
      point.value as number,
    ]),
  );
}

/**
 * One collection's leader counts, and the partitions of `topics` each broker leads by Metadata
 * read just before and just after it. Leaders move while nodes stop and start (and back to the
 * preferred replica later): a reading is kept only when both Metadata reads agree, so no
 * leadership moved while the collection ran.
 */
async function leaderCountsWithMetadata(
  topics: string[],
): Promise<{ exported: Map<number, number>; led: Map<number, number> }> {
  return waitFor(
    async () => {
      const before = await leadersByBroker(topics);
      const metrics = await harness.metrics();
      const after = await leadersByBroker(topics);
      return isDeepStrictEqual(before, after)
        ? { exported: leaderCountsOf(metrics), led: after }
        : undefined;
    },
    { description: 'a collection across which no leader moved', timeoutMs: 60_000 },
  );
}

beforeAll(async () => {
  collector.start();
  // Each collection, with the snapshot it exported: asked for together, they share one.
  harness.produceFrom({
    collect: async () => {
      const [snapshot, result] = await Promise.all([collector.snapshot(), collector.collect()]);
      snapshots.push(snapshot);
      return result;
    },
  });
  await admin.connect();
  const leader = await waitFor(() => gauge('kafka.quorum.leader'), {
    description: 'the quorum leader',
    timeoutMs: 60_000,
  });
  victim = [2, 3, 1].find((node) => node !== leader)!;
  // min.insync.replicas=3: losing any replica puts the partition under min ISR.
  await createTopicAndWait(admin, {
    topic: replicated,
    numPartitions: 3,
    replicationFactor: 3,
    configEntries: [{ name: 'min.insync.replicas', value: '3' }],
  });
  // One replica, on the victim only; min.insync.replicas=1 so it is healthy while that runs.
  await createTopicAndWait(admin, {
    topic: single,
    replicaAssignment: [{ partition: 0, replicas: [victim] }],
    configEntries: [{ name: 'min.insync.replicas', value: '1' }],
  });
  const producer = kafka.producer(IDEMPOTENT_PRODUCER);
  await producer.connect();
  await producer.send({ topic: replicated, messages: [{ value: 'a' }, { value: 'b' }] });
  await producer.disconnect();
});
afterAll(async () => {
  // A topic whose only replica is on one node would make every later stop of that node in this
  // cluster leave a leaderless partition behind, which KafkaJS's own admin cannot tolerate.
  await admin.deleteTopics({ topics: [single, replicated] }).catch(() => undefined);
  await admin.disconnect();
  await collector.stop();
  await harness.shutdown();
});

describe('cluster collectors during a broker failure', () => {
  it('starts healthy', async () => {
    // Earlier files of this suite stop and restart nodes too: wait for the cluster to settle.
    await waitFor(
      async () =>
        (await gauge('kafka.brokers')) === 3 &&
        (await gauge('kafka.cluster.partitions.under_replicated')) === 0 &&
        (await gauge('kafka.cluster.partitions.offline')) === 0 &&
        (await gauge('kafka.cluster.partitions.under_min_isr')) === 0,
      { description: 'a healthy cluster', timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(
      await gauge('kafka.partition.replicas_in_sync', { topic: replicated, partition: 0 }),
    ).toBe(3);
    expect((await harness.points('kafka.quorum.voter.lag')).length).toBe(3);
    // Every broker reports a count (0 when it leads none), the leaders Metadata names; together
    // they lead the 3 + 1 partitions.
    const { exported, led } = await leaderCountsWithMetadata([replicated, single]);
    expect(exported).toEqual(new Map([1, 2, 3].map((node) => [node, led.get(node) ?? 0])));
    expect([...exported.values()].reduce((sum, count) => sum + count, 0)).toBe(4);
  });

  it('shows a follower node down: ISR shrinks, under-replicated, under min ISR, offline, quorum lag growing', async () => {
    const p = (partition: number) => ({ topic: replicated, partition });
    const leadersBefore: (number | undefined)[] = [];
    const offsetsBefore: (number | undefined)[] = [];
    for (const partition of [0, 1, 2]) {
      leadersBefore.push(await gauge('kafka.partition.leader', p(partition)));
      offsetsBefore.push(await gauge('kafka.partition.current_offset', p(partition)));
    }
    expect(offsetsBefore.reduce((sum, offset) => sum! + offset!, 0)).toBe(2);
    await stopNode({ cluster, node: victim });

    await waitFor(async () => (await gauge('kafka.brokers')) === 2, {
      description: '2 brokers',
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    await waitFor(
      async () => {
        for (const partition of [0, 1, 2]) {
          if ((await gauge('kafka.partition.replicas_in_sync', p(partition))) !== 2) return false;
        }
        return true;
      },
      { description: 'ISR of 2 on every partition', timeoutMs: 60_000, intervalMs: 500 },
    );
    for (const partition of [0, 1, 2]) {
      expect(await gauge('kafka.partition.under_replicated', p(partition))).toBe(1);
      expect(await gauge('kafka.partition.under_min_isr', p(partition))).toBe(1);
      expect(await gauge('kafka.partition.offline', p(partition))).toBe(0);
    }
    // The topic whose only replica is on the stopped node is offline, leader -1 ...
    const offline = { topic: single, partition: 0 };
    await waitFor(async () => (await gauge('kafka.partition.leader', offline)) === -1, {
      description: 'leader -1',
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    expect(await gauge('kafka.partition.offline', offline)).toBe(1);
    // Cluster totals are the per-partition states summed: the replicated topic's 3 partitions
    // are under-replicated and under min ISR; the other topic's one partition is offline, and
    // an offline partition is neither of the two.
    const totals = { offline: 1, under_replicated: 3, under_min_isr: 3 };
    for (const [state, expected] of Object.entries(totals)) {
      expect(await gauge(`kafka.cluster.partitions.${state}`), state).toBe(expected);
      expect(await harness.total(`kafka.partition.${state}`), state).toBe(expected);
    }
    // The 3 led partitions are led by the 2 running nodes, as Metadata names them; the stopped
    // one is no broker now. (Only the replicated topic is asked about: the other one, its only
    // replica on the stopped node, has no leader, which KafkaJS's admin reads as an error.)
    const running = [1, 2, 3].filter((node) => node !== victim);
    const { exported, led } = await leaderCountsWithMetadata([replicated]);
    expect(exported).toEqual(new Map(running.map((node) => [node, led.get(node) ?? 0])));
    expect([...exported.values()].reduce((sum, count) => sum + count, 0)).toBe(3);
    // ... while every other gauge keeps reporting, and no snapshot failed. A partition the
    // stopped node led may have a new leader that gives no offset while the partition stays
    // under min ISR (OFFSET_NOT_AVAILABLE: its high watermark is then held below the start of
    // the new leader's epoch; seen for over 30 s on Kafka 4.4): its current offset is then left
    // out, not guessed, and that gap is an offsets error of the snapshot (up 0). The partitions
    // the stopped node did not lead keep reporting theirs.
    for (const partition of [0, 1, 2].filter((partition) => leadersBefore[partition] !== victim)) {
      expect(
        await gauge('kafka.partition.current_offset', p(partition)),
        `partition ${partition}`,
      ).toBe(offsetsBefore[partition]);
    }
    const up = await gauge('kafka.collector.up');
    const { errors, topics } = snapshots.at(-1)!;
    const unknown = topics
      .find((topic) => topic.name === replicated)!
      .partitions.filter((partition) => partition.currentOffset === undefined);
    for (const { partition } of unknown) expect(leadersBefore[partition]).toBe(victim);
    expect(errors).toEqual(
      unknown.map(({ partition, leader }) => ({
        phase: 'offsets',
        broker: leader,
        errorType: 'error_response',
        message: `ListOffsets to node ${leader}: ${replicated} partition ${partition}: OFFSET_NOT_AVAILABLE (78)`,
      })),
    );
    expect(up).toBe(unknown.length === 0 ? 1 : 0);

    // The quorum leader sees the stopped voter falling behind and not fetching.
    const stoppedVoter = { voter: victim };
    const firstAge = await waitFor(
      async () => {
        const age = await gauge('kafka.quorum.voter.fetch_age', stoppedVoter);
        return age !== undefined && age > 0.5 ? age : undefined;
      },
      { description: "the stopped voter's fetch age", timeoutMs: 30_000, intervalMs: 500 },
    );
    const firstLag = (await gauge('kafka.quorum.voter.lag', stoppedVoter))!;
    await waitFor(
      async () => {
        const age = await gauge('kafka.quorum.voter.fetch_age', stoppedVoter);
        const lag = await gauge('kafka.quorum.voter.lag', stoppedVoter);
        return age! > firstAge + 1 && lag! > firstLag;
      },
      {
        description: "the stopped voter's fetch age and lag growing",
        timeoutMs: 30_000,
        intervalMs: 500,
      },
    );
    // Every scrape error so far is a partition ListOffsets answered with an error code: its
    // leader moved since Metadata (NOT_LEADER_OR_FOLLOWER), or gives no offset under min ISR.
    const counted = await harness.total('kafka.collector.scrape.errors');
    const partitionErrors = snapshots.flatMap((snapshot) => snapshot.errors);
    expect(counted).toBe(partitionErrors.length);
    const partitionError = new RegExp(
      `^ListOffsets to node [123]: ${replicated} partition [012]: ` +
        '(NOT_LEADER_OR_FOLLOWER \\(6\\)|OFFSET_NOT_AVAILABLE \\(78\\))$',
    );
    for (const error of partitionErrors) {
      expect(error).toMatchObject({
        phase: 'offsets',
        errorType: 'error_response',
        message: expect.stringMatching(partitionError),
      });
    }
  });

  it('returns to healthy after the node restarts', async () => {
    await startNode({ cluster, node: victim });
    await waitFor(
      async () =>
        (await gauge('kafka.cluster.partitions.under_replicated')) === 0 &&
        (await gauge('kafka.cluster.partitions.offline')) === 0 &&
        (await gauge('kafka.cluster.partitions.under_min_isr')) === 0 &&
        (await gauge('kafka.brokers')) === 3,
      { description: 'healthy cluster', timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(await gauge('kafka.partition.leader', { topic: single, partition: 0 })).toBe(victim);
    expect(await harness.total('kafka.broker.leader_count')).toBe(4);
    await waitFor(
      async () => ((await gauge('kafka.quorum.voter.fetch_age', { voter: victim })) ?? 99) < 5,
      {
        description: 'the restarted voter fetching again',
        timeoutMs: 30_000,
      },
    );
    // Complete again once every partition's new high watermark is known (right after the ISR
    // grows back, a leader may still answer OFFSET_NOT_AVAILABLE for one collection).
    await waitFor(async () => (await gauge('kafka.collector.up')) === 1, {
      description: 'a complete snapshot',
      timeoutMs: 30_000,
      intervalMs: 500,
    });
    expect(snapshots.at(-1)!.errors).toEqual([]);
  });
});
