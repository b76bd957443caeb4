/**
 * The aggregate gauges read from a real snapshot of the real broker, exactly. The unit tests
 * check the export rules on hand-built snapshots; here every value is compared with what this
 * file set up (messages, their timestamps, committed offsets) or with a reading of the same fact
 * that does not go through the snapshot: Metadata through KafkaJS, DescribeLogDirs and
 * DescribeQuorum through the cluster client, and the log files, the quorum-state file and the
 * volume of the launcher's data directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import type { Attributes } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { nodePaths } from '../../../scripts/local-kafka/paths';
import { KafkaClusterCollector, type KafkaClusterCollectorOptions } from '../../../src';
import type { ClusterSnapshot } from '../../../src/collectors/cluster-snapshot';
import { ClusterClient } from '../../../src/collectors/protocol/cluster-client';
import type { LogDir } from '../../../src/collectors/protocol/describe-log-dirs';
import { createTestKafka, injectedBrokers } from '../../support/kafka-client';
import { randomGroup, randomTopic } from '../../support/names';
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { TelemetryHarness, type Point } from '../../support/telemetry-harness';
import { createTopicAndWait } from '../../support/topics';
import { waitFor } from '../../support/wait-for';

const brokers = injectedBrokers();
const kafka = createTestKafka();
const admin = kafka.admin();
const client = new ClusterClient({ brokers, clientId: 'snapshot-gauges-test' });

/** The topic the group reads, with a different lag and time lag on each partition. */
const topic = randomTopic('gauged');
/** A second topic, empty: leader counts add up over topics, its size is 0. */
const other = randomTopic('gauged-other');
const OTHER_PARTITIONS = 2;
const groupId = randomGroup('gauged');

/**
 * Record timestamps start an hour ago (well within retention). Partition 1 holds the oldest
 * messages, so the group's largest time lag is on partition 1 while its largest lag (in
 * messages) is on partition 0: a maximum taken from the wrong partition shows.
 */
const T0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
const PARTITIONS = [
  { produced: 7, committed: 2, firstStamp: T0 + 600_000 },
  { produced: 5, committed: 4, firstStamp: T0 },
  { produced: 3, committed: 3, firstStamp: T0 + 1_200_000 },
];
const stampOf = (partition: number, offset: number) =>
  PARTITIONS[partition]!.firstStamp + offset * 1000;

/** The series with a `partition` attribute: those `perPartitionMetrics: false` leaves out. */
const PER_PARTITION_SERIES = [
  'kafka.partition.current_offset',
  'kafka.partition.oldest_offset',
  'kafka.partition.replicas',
  'kafka.partition.replicas_in_sync',
  'kafka.partition.leader',
  'kafka.partition.under_replicated',
  'kafka.partition.offline',
  'kafka.partition.under_min_isr',
  'kafka.partition.size',
  'kafka.consumer_group.offset',
  'kafka.consumer_group.lag',
  'kafka.consumer_group.time_lag',
];

/** Id of the suite's only broker. */
let node: number;

beforeAll(async () => {
  const producer = kafka.producer(IDEMPOTENT_PRODUCER);
  await Promise.all([admin.connect(), producer.connect()]);
  await createTopicAndWait(admin, { topic, numPartitions: PARTITIONS.length });
  await createTopicAndWait(admin, { topic: other, numPartitions: OTHER_PARTITIONS });
  for (const [partition, { produced }] of PARTITIONS.entries()) {
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: produced }, (_, offset) => ({
        partition,
        value: `p${partition}-m${offset}`,
        timestamp: String(stampOf(partition, offset)),
      })),
    });
  }
  await producer.disconnect();
  // A group with commits and no member: its offsets are exactly these. On a fresh cluster the
  // first group use creates __consumer_offsets, and its coordinators answer NOT_COORDINATOR for
  // a few seconds, longer than KafkaJS retries: the commit (idempotent) is repeated until then.
  await waitFor(
    async () => {
      await admin.setOffsets({
        groupId,
        topic,
        partitions: PARTITIONS.map(({ committed }, partition) => ({
          partition,
          offset: String(committed),
        })),
      });
      return true;
    },
    { description: `the commits of ${groupId}`, timeoutMs: 60_000, intervalMs: 500 },
  );
  const { brokers: live } = await client.metadata();
  expect(live).toHaveLength(1);
  node = live[0]!.nodeId;
});

afterAll(async () => {
  await client.disconnect();
  await admin.disconnect();
});

/** One collection of a collector of this file's topics and group, and the snapshot it read. */
interface Collected {
  readonly snapshot: ClusterSnapshot;
  /** Epoch ms just before and just after the snapshot was taken. */
  readonly before: number;
  readonly after: number;
  /** The points of a gauge whose attributes include every pair of `where`. */
  points(name: string, where?: Attributes): Point[];
  /** The value of the one matching point, undefined when there is none. */
  gauge(name: string, where?: Attributes): number | undefined;
}

/**
 * Takes one snapshot with a fresh collector and exports it through a real metric reader: the
 * export reuses that very snapshot (it is younger than `minSnapshotIntervalMs`). The snapshot
 * must be complete, so its deadline (and the request timeout, half of it) is far above the
 * default 8 s: on a loaded machine a slow answer would otherwise be a scrape error.
 */
async function collect(options: Partial<KafkaClusterCollectorOptions> = {}): Promise<Collected> {
  const collector = new KafkaClusterCollector({
    brokers,
    topics: [topic, other],
    groups: [groupId],
    minSnapshotIntervalMs: 60_000,
    snapshotTimeoutMs: 30_000,
    ...options,
  }).start();
  const harness = new TelemetryHarness(AggregationTemporality.CUMULATIVE, [collector]);
  try {
    const before = Date.now();
    const snapshot = await collector.snapshot();
    const after = Date.now();
    expect(snapshot.complete, JSON.stringify(snapshot.errors)).toBe(true);
    const metrics = await harness.metrics();
    const points = (name: string, where: Attributes = {}): Point[] =>
      (metrics.find((m) => m.descriptor.name === name)?.dataPoints ?? [])
        .filter((p) => Object.entries(where).every(([k, v]) => p.attributes[k] === v))
        .map((p) => ({ attributes: p.attributes, value: p.value as number }));
    const gauge = (name: string, where: Attributes = {}) => {
      const found = points(name, where);
      expect(found.length, `${name} ${JSON.stringify(where)}`).toBeLessThanOrEqual(1);
      return found[0]?.value;
    };
    return { snapshot, before, after, points, gauge };
  } finally {
    await collector.stop();
    await harness.shutdown();
  }
}

/** log.dirs of the broker: the data directory of its node in the launcher's cluster. */
function launcherDataDir(): string {
  const cluster = inject('localKafkaCluster');
  if (cluster === null) {
    throw new Error(
      `KAFKA_BROKERS=${brokers.join(',')} is not served by a scripts/local-kafka cluster: this ` +
        "file compares the gauges with the broker's data directory, which it must be able to read",
    );
  }
  return nodePaths(cluster, node, '').dataDir;
}

/** Bytes of a partition's log segments on disk: what Kafka counts as the replica's size. */
function segmentBytesOnDisk(dataDir: string, partition: number): number {
  const dir = path.join(dataDir, `${topic}-${partition}`);
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{20}\.log$/.test(file))
    .reduce((sum, file) => sum + fs.statSync(path.join(dir, file)).size, 0);
}

/** The broker's one log directory, as DescribeLogDirs describes it now. */
async function describedLogDir(): Promise<LogDir> {
  const dirs = await client.describeLogDirs(node);
  expect(dirs).toHaveLength(1);
  return dirs[0]!;
}

/** The bytes of every replica in a log directory. */
function replicaBytes(dir: LogDir): number {
  return dir.topics.flatMap((t) => t.partitions).reduce((sum, p) => sum + p.size, 0);
}

/**
 * One collection, with DescribeLogDirs asked just before and after it and the volume's usable
 * bytes read over and over from just before it to just after it (a reading per statfs round
 * trip): the broker's own reading falls between the first and the last of them.
 */
async function observeLogDir(dataDir: string) {
  const dirBefore = await describedLogDir();
  const usable: number[] = [];
  let collecting = true;
  const readVolume = async () => {
    const volume = await fs.promises.statfs(dataDir);
    usable.push(volume.bavail * volume.bsize);
    return volume;
  };
  const volume = await readVolume();
  const sampling = (async () => {
    while (collecting) await readVolume();
  })();
  const collected = await collect({ groups: [] }).finally(() => (collecting = false));
  await sampling;
  await readVolume();
  const dirAfter = await describedLogDir();
  const exported = collected.gauge('kafka.broker.log_dir.usable');
  const least = Math.min(...usable);
  const most = Math.max(...usable);
  return {
    collected,
    logDir: dirBefore.logDir,
    bytesBefore: replicaBytes(dirBefore),
    bytesAfter: replicaBytes(dirAfter),
    volume,
    least,
    most,
    usableWithinReadings: exported !== undefined && least <= exported && exported <= most,
  };
}

/** The true time lag of a partition at the snapshot: its time minus the first unread stamp. */
function timeLagOf(snapshot: ClusterSnapshot, partition: number): number {
  const { produced, committed } = PARTITIONS[partition]!;
  return committed < produced ? (snapshot.takenAt - stampOf(partition, committed)) / 1000 : 0;
}

/**
 * The group's aggregates over the topic, whatever `perPartitionMetrics` says: committed 2 + 4 +
 * 3, lags 5, 1 and 0, and the oldest unread message the one at offset 4 of partition 1.
 */
function expectGroupAggregates(collected: Collected) {
  const where = { group: groupId, topic };
  const { snapshot } = collected;
  expect(snapshot.takenAt).toBeGreaterThanOrEqual(collected.before);
  expect(snapshot.takenAt).toBeLessThanOrEqual(collected.after);
  expect(collected.gauge('kafka.consumer_group.offset_sum', where)).toBe(9);
  expect(collected.gauge('kafka.consumer_group.lag_sum', where)).toBe(6);
  expect(collected.gauge('kafka.consumer_group.lag_max', where)).toBe(5);
  expect(collected.gauge('kafka.consumer_group.time_lag_max', where)).toBe(
    (snapshot.takenAt - (T0 + 4_000)) / 1000,
  );
  expect(collected.gauge('kafka.consumer_group.members', { group: groupId })).toBe(0);
  expect(collected.gauge('kafka.consumer_group.state', { group: groupId, state: 'Empty' })).toBe(1);
}

describe('gauges of a real snapshot', () => {
  it("sums a topic's size from its partitions' sizes, which are their log segments on disk", async () => {
    const collected = await collect();
    const dir = await describedLogDir();
    const dataDir = launcherDataDir();
    const described = new Map(
      dir.topics.find((t) => t.topic === topic)!.partitions.map((p) => [p.partition, p.size]),
    );
    let total = 0;
    for (const partition of PARTITIONS.keys()) {
      const bytes = segmentBytesOnDisk(dataDir, partition);
      expect(bytes, `partition ${partition} on disk`).toBeGreaterThan(0);
      expect(described.get(partition), `partition ${partition}`).toBe(bytes);
      expect(collected.gauge('kafka.partition.size', { topic, partition, broker: node })).toBe(
        bytes,
      );
      total += bytes;
    }
    expect(collected.gauge('kafka.topic.size', { topic })).toBe(total);
    // Every partition known, all empty: a total of 0, not a missing series.
    expect(collected.gauge('kafka.topic.size', { topic: other })).toBe(0);
  });

  it('counts the partitions each broker leads, as Metadata names their leaders', async () => {
    const collected = await collect();
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic, other] });
    const led = new Map<number, number>();
    for (const p of topics.flatMap((t) => t.partitions)) {
      led.set(p.leader, (led.get(p.leader) ?? 0) + 1);
    }
    expect(led).toEqual(new Map([[node, PARTITIONS.length + OTHER_PARTITIONS]]));
    const exported = collected.points('kafka.broker.leader_count');
    expect(new Map(exported.map((p) => [p.attributes.broker, p.value]))).toEqual(led);
  });

  it("reports the log directory's bytes as DescribeLogDirs gives them, and its volume as statfs reads it", async () => {
    const dataDir = fs.realpathSync(launcherDataDir());
    // Other writers share the broker and the disk, so a collection is compared with readings
    // around it: the log directory's bytes must not have changed across it, and the usable
    // space it exports must lie between the least and the most statfs read while it ran.
    // Collections are tried for OBSERVE_MS, then the last undisturbed one is judged.
    const OBSERVE_MS = 30_000;
    const giveUpAt = Date.now() + OBSERVE_MS;
    let quiet: Awaited<ReturnType<typeof observeLogDir>> | undefined;
    do {
      const observed = await observeLogDir(dataDir);
      if (observed.bytesBefore !== observed.bytesAfter) continue;
      quiet = observed;
      if (observed.usableWithinReadings) break;
    } while (Date.now() < giveUpAt);
    expect(
      quiet,
      `a collection within ${OBSERVE_MS} ms across which the log directory's bytes did not change`,
    ).toBeDefined();
    const { collected, logDir, bytesBefore, volume, least, most } = quiet!;
    expect(fs.realpathSync(logDir)).toBe(dataDir);
    const [series, ...others] = collected.points('kafka.broker.log_dir.size');
    expect(others).toEqual([]);
    expect(series!.attributes).toEqual({ broker: node, log_dir: logDir });
    expect(series!.value).toBe(bytesBefore);
    // Java's FileStore, which Kafka asks: total = f_blocks x block size, usable = f_bavail x
    // block size. The readings of one collection move by the bytes others write meanwhile
    // (megabytes), far less than the volume's size or its blocks reserved for root (free
    // f_bfree minus f_bavail: gigabytes on an ext4 volume), so the range still tells usable
    // apart from total and from free.
    const where = series!.attributes;
    expect(collected.gauge('kafka.broker.log_dir.total', where)).toBe(volume.blocks * volume.bsize);
    const usable = collected.gauge('kafka.broker.log_dir.usable', where);
    expect(usable, 'usable bytes, at least the least statfs read').toBeGreaterThanOrEqual(least);
    expect(usable, 'usable bytes, at most the most statfs read').toBeLessThanOrEqual(most);
  }, 120_000);

  it("sums and maximises the group's committed offsets, lag and time lag over the topic", async () => {
    const collected = await collect();
    for (const [partition, { produced, committed }] of PARTITIONS.entries()) {
      const where = { group: groupId, topic, partition };
      expect(collected.gauge('kafka.consumer_group.offset', where)).toBe(committed);
      expect(collected.gauge('kafka.consumer_group.lag', where)).toBe(produced - committed);
      expect(collected.gauge('kafka.consumer_group.time_lag', where)).toBe(
        timeLagOf(collected.snapshot, partition),
      );
    }
    expectGroupAggregates(collected);
  });

  it('reports the quorum epoch DescribeQuorum gives, the one of the quorum-state file', async () => {
    const collected = await collect();
    const quorum = await client.describeQuorum();
    // A single node is elected once at start-up: its epoch does not move while the test runs.
    const stateFile = path.join(launcherDataDir(), '__cluster_metadata-0', 'quorum-state');
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { leaderEpoch: number };
    expect(quorum.leaderEpoch).toBe(state.leaderEpoch);
    expect(collected.gauge('kafka.quorum.epoch')).toBe(quorum.leaderEpoch);
    expect(collected.gauge('kafka.quorum.leader')).toBe(quorum.leaderId);
  });

  it('with perPartitionMetrics false, exports no per-partition series and the same aggregates', async () => {
    // Every series left out below is there by default, one per partition of the topic.
    const full = await collect();
    for (const name of PER_PARTITION_SERIES) {
      expect(full.points(name, { topic }), name).toHaveLength(PARTITIONS.length);
    }

    const collected = await collect({ perPartitionMetrics: false });
    for (const name of PER_PARTITION_SERIES) expect(collected.points(name), name).toEqual([]);
    expectGroupAggregates(collected);
    expect(collected.gauge('kafka.topic.partitions', { topic })).toBe(PARTITIONS.length);
    expect(collected.gauge('kafka.topic.partitions', { topic: other })).toBe(OTHER_PARTITIONS);
    const sizes = (await describedLogDir()).topics.find((t) => t.topic === topic)!.partitions;
    expect(collected.gauge('kafka.topic.size', { topic })).toBe(
      sizes.reduce((sum, p) => sum + p.size, 0),
    );
    expect(collected.gauge('kafka.broker.leader_count', { broker: node })).toBe(
      PARTITIONS.length + OTHER_PARTITIONS,
    );
    for (const state of ['offline', 'under_replicated', 'under_min_isr']) {
      expect(collected.gauge(`kafka.cluster.partitions.${state}`), state).toBe(0);
    }
  });
});
