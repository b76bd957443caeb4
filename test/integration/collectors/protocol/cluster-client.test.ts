/**
 * The cluster client against the real single-node Kafka of the integration suite (3.9 or 4.x):
 * every request it implements, checked against what this test produced, consumed and committed
 * with KafkaJS.
 */
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiSpec } from '../../../../src/collectors/protocol/api-spec';
import { parseBrokerAddress } from '../../../../src/collectors/protocol/broker-address';
import { ClusterClient } from '../../../../src/collectors/protocol/cluster-client';
import { DESCRIBE_GROUPS_API } from '../../../../src/collectors/protocol/describe-groups';
import { DESCRIBE_LOG_DIRS_API } from '../../../../src/collectors/protocol/describe-log-dirs';
import { NoBrokerAvailableError } from '../../../../src/collectors/protocol/errors';
import {
  kafkaJsInternals,
  type KafkaJsApiVersions,
} from '../../../../src/collectors/protocol/kafkajs-internals';
import {
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
  MAX_TIMESTAMP,
} from '../../../../src/collectors/protocol/list-offsets';
import {
  createTestKafka,
  injectedBrokers,
  testProducerConfig,
} from '../../../support/kafka-client';
import { randomGroup, randomTopic } from '../../../support/names';
import { occupyPort } from '../../../support/ports';
import { createTopicAndWait } from '../../../support/topics';
import { waitFor } from '../../../support/wait-for';

const PARTITIONS = 3;
/** Messages produced to partitions 0, 1 and 2 (the last stays empty). */
const PRODUCED = [5, 3, 0];
/**
 * Record timestamps of partition 0: T0, T0 + 1000, ... An hour in the past, well within the
 * topic's retention: older records could be deleted by time retention while the test runs.
 */
const T0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
/** A retention override (ten days) that DescribeConfigs must report. */
const RETENTION_MS = '864000000';

let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let client: ClusterClient;
const topic = randomTopic('protocol');

beforeAll(async () => {
  kafka = createTestKafka();
  admin = kafka.admin();
  producer = kafka.producer(testProducerConfig);
  await Promise.all([admin.connect(), producer.connect()]);
  await createTopicAndWait(admin, {
    topic,
    numPartitions: PARTITIONS,
    configEntries: [{ name: 'retention.ms', value: RETENTION_MS }],
  });
  for (const [partition, count] of PRODUCED.entries()) {
    if (count === 0) continue;
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: count }, (_, i) => ({
        partition,
        value: `p${partition}-m${i}`,
        timestamp: String(T0 + i * 1000),
      })),
    });
  }
  client = new ClusterClient({ brokers: injectedBrokers(), clientId: 'kafka-otel-protocol-test' });
});

afterAll(async () => {
  await client?.disconnect();
  await Promise.all([producer?.disconnect(), admin?.disconnect()]);
});

/**
 * The broker's ApiVersions answer, read over a KafkaJS connection of its own (not the client's):
 * which version the client sends, and so which fields an answer carries, follows from it for
 * any Kafka release, not only the ones this file knows.
 */
async function brokerApiVersions(): Promise<KafkaJsApiVersions> {
  const internals = kafkaJsInternals();
  const { host, port } = parseBrokerAddress(injectedBrokers()[0]!);
  const broker = internals.createBroker(
    {
      host,
      port,
      logger: internals.createLogger(0, undefined),
      socketFactory: internals.defaultSocketFactory(),
      clientId: 'kafka-otel-protocol-test-versions',
      ssl: null,
      sasl: null,
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      enforceRequestTimeout: true,
    },
    10_000,
  );
  try {
    await broker.connect();
    return broker.versions!;
  } finally {
    await broker.disconnect();
  }
}

/** The version of `spec` the client sends: the highest one both it and the broker support. */
async function negotiatedVersion(spec: ApiSpec): Promise<number> {
  const range = (await brokerApiVersions())[spec.key];
  expect(range, `${spec.name} in the broker's ApiVersions`).toBeDefined();
  const version = Math.min(spec.maxVersion, range!.maxVersion);
  expect(version).toBeGreaterThanOrEqual(Math.max(spec.minVersion, range!.minVersion));
  return version;
}

/** The only broker's id, from a fresh Metadata answer. */
async function brokerId(): Promise<number> {
  const { brokers } = await client.metadata();
  expect(brokers).toHaveLength(1);
  return brokers[0]!.nodeId;
}

describe('ClusterClient against a real broker', () => {
  it('lists the cluster, its broker and the new topic with every partition led', async () => {
    const metadata = await client.metadata();
    const { clusterId } = await admin.describeCluster();
    expect(metadata.clusterId).toBe(clusterId);
    expect(metadata.errorCode).toBe(0);
    const [broker] = metadata.brokers;
    expect(injectedBrokers()).toContain(`${broker!.host}:${broker!.port}`);
    expect(client.knownBrokers.get(broker!.nodeId)).toMatchObject({ host: broker!.host });

    const found = metadata.topics.find((t) => t.name === topic);
    expect(found).toMatchObject({ errorCode: 0, isInternal: false, topicId: expect.any(String) });
    expect(found!.partitions.map((p) => p.partition).sort()).toEqual([0, 1, 2]);
    for (const p of found!.partitions) {
      expect(p).toMatchObject({
        errorCode: 0,
        leader: broker!.nodeId,
        replicas: [broker!.nodeId],
        isr: [broker!.nodeId],
        offlineReplicas: [],
      });
      expect(p.leaderEpoch).toBeGreaterThanOrEqual(0);
    }
  });

  it('lists earliest and latest offsets equal to what was produced', async () => {
    const node = await brokerId();
    const partitions = [0, 1, 2];
    const offsets = await client.listOffsets(node, [
      {
        topic,
        partitions: partitions.flatMap((partition) => [
          { partition, timestamp: EARLIEST_TIMESTAMP },
          { partition, timestamp: LATEST_TIMESTAMP },
        ]),
      },
    ]);
    const byLookup = new Map(offsets.map((o) => [`${o.partition}/${o.requestedTimestamp}`, o]));
    for (const partition of partitions) {
      expect(byLookup.get(`${partition}/${EARLIEST_TIMESTAMP}`)).toMatchObject({
        topic,
        errorCode: 0,
        offset: 0,
        timestamp: -1,
      });
      expect(byLookup.get(`${partition}/${LATEST_TIMESTAMP}`)).toMatchObject({
        topic,
        errorCode: 0,
        offset: PRODUCED[partition],
        timestamp: -1,
      });
    }
    expect(offsets).toHaveLength(6);
  });

  it('finds offsets by time and the record with the largest timestamp', async () => {
    const node = await brokerId();
    const offsets = await client.listOffsets(node, [
      {
        topic,
        partitions: [
          { partition: 0, timestamp: T0 + 1500 },
          { partition: 0, timestamp: MAX_TIMESTAMP },
        ],
      },
    ]);
    expect(offsets.map((o) => [o.requestedTimestamp, o.offset, o.timestamp])).toEqual([
      [T0 + 1500, 2, T0 + 2000],
      [MAX_TIMESTAMP, PRODUCED[0]! - 1, T0 + (PRODUCED[0]! - 1) * 1000],
    ]);
  });

  it('reports a partition that does not exist as a partition error, not an exception', async () => {
    const node = await brokerId();
    const [answer] = await client.listOffsets(node, [
      { topic, partitions: [{ partition: 99, timestamp: LATEST_TIMESTAMP }] },
    ]);
    expect(answer).toMatchObject({ partition: 99, errorCode: 3, offset: -1 });
  });

  describe('with a running consumer group', () => {
    const groupId = randomGroup('protocol');
    let consumer: Consumer;

    beforeAll(async () => {
      consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, heartbeatInterval: 500 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let consumed = 0;
      await consumer.run({
        eachMessage: () => {
          consumed++;
          return Promise.resolve();
        },
      });
      await waitFor(() => consumed === PRODUCED[0]! + PRODUCED[1]!, {
        description: 'every produced message consumed',
      });
      // KafkaJS commits after batches or on its autoCommit interval: wait until the broker has it.
      await waitFor(
        async () => {
          const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
          const committed = offsets[0]!.partitions;
          return committed.find((p) => p.partition === 0)?.offset === String(PRODUCED[0]);
        },
        { description: 'commits of partition 0 visible' },
      );
    });

    afterAll(async () => {
      await consumer?.disconnect();
    });

    it('finds the group, Stable and classic, through ListGroups and FindCoordinator', async () => {
      const node = await brokerId();
      const listed = await client.listGroups(node);
      expect(listed.errorCode).toBe(0);
      const group = listed.groups.find((g) => g.groupId === groupId);
      expect(group).toMatchObject({ protocolType: 'consumer', state: 'Stable' });
      expect([undefined, 'classic']).toContain(group!.type);

      const coordinators = await client.findCoordinators([groupId]);
      expect(coordinators.get(groupId)).toMatchObject({ nodeId: node, errorCode: 0 });
    });

    it('describes the group: Stable, one member assigned every partition', async () => {
      const node = (await client.findCoordinators([groupId])).get(groupId)!.nodeId;
      const unknown = randomGroup('unknown');
      // The broker answers groups in no particular order.
      const [described, missing] = await waitFor(async () => {
        const groups = await client.describeGroups(node, [groupId, unknown]);
        const byId = new Map(groups.map((g) => [g.groupId, g]));
        return byId.get(groupId)?.state === 'Stable' && [byId.get(groupId), byId.get(unknown)];
      });
      expect(described).toMatchObject({
        groupId,
        errorCode: 0,
        protocolType: 'consumer',
        protocol: expect.any(String),
      });
      expect(described!.protocol).not.toBe('');
      expect(described!.members).toHaveLength(1);
      const [member] = described!.members;
      expect(member).toMatchObject({
        clientId: expect.any(String),
        clientHost: expect.any(String),
      });
      // The assignor lists partitions in its own order.
      const assigned = member!.assignment?.map((t) => ({ ...t, partitions: t.partitions.sort() }));
      expect(assigned).toEqual([{ topic, partitions: [0, 1, 2] }]);
      // An unknown group: `Dead` up to v5 (the highest on Kafka 3.x), GROUP_ID_NOT_FOUND from
      // v6 (Kafka 4.0+), which also carries an error message.
      if ((await negotiatedVersion(DESCRIBE_GROUPS_API)) >= 6) {
        expect(missing).toMatchObject({
          groupId: unknown,
          errorCode: 69,
          errorMessage: expect.stringMatching(/./),
          members: [],
        });
      } else {
        expect(missing).toMatchObject({
          groupId: unknown,
          errorCode: 0,
          errorMessage: null,
          state: 'Dead',
          members: [],
        });
      }
    });

    it('fetches the committed offsets of the group, all topics, in one request', async () => {
      const node = (await client.findCoordinators([groupId])).get(groupId)!.nodeId;
      const unknown = randomGroup('unknown');
      const answers = await client.offsetFetch(node, [groupId, unknown]);
      const group = answers.find((g) => g.groupId === groupId);
      const none = answers.find((g) => g.groupId === unknown);
      expect(group).toMatchObject({ groupId, errorCode: 0 });
      const committed = new Map(group!.partitions.map((p) => [p.partition, p]));
      expect(committed.get(0)).toMatchObject({ topic, committedOffset: PRODUCED[0], errorCode: 0 });
      expect(committed.get(1)).toMatchObject({ topic, committedOffset: PRODUCED[1], errorCode: 0 });
      // Nothing was consumed from partition 2: no commit, or a commit of 0 / -1.
      expect([undefined, -1, 0]).toContain(committed.get(2)?.committedOffset);
      expect(none).toEqual({ groupId: unknown, errorCode: 0, partitions: [] });
    });
  });

  it('describes the log directory with the produced partitions taking space', async () => {
    const node = await brokerId();
    const [dir, ...others] = await client.describeLogDirs(node);
    expect(others).toEqual([]);
    expect(dir).toMatchObject({ errorCode: 0, logDir: expect.stringMatching(/^\//) });
    // TotalBytes and UsableBytes exist from DescribeLogDirs v4 (Kafka 3.3), IsCordoned from v5
    // (a Kafka 4.x addition; a directory nobody cordoned reads false); older answers lack them.
    const version = await negotiatedVersion(DESCRIBE_LOG_DIRS_API);
    if (version >= 4) {
      expect(dir!.totalBytes).toBeGreaterThan(0);
      expect(dir!.usableBytes).toBeGreaterThan(0);
      expect(dir!.usableBytes).toBeLessThanOrEqual(dir!.totalBytes);
    } else {
      expect([dir!.totalBytes, dir!.usableBytes]).toEqual([-1, -1]);
    }
    if (version >= 5) expect(dir!.isCordoned).toBe(false);
    else expect(dir!.isCordoned).toBeUndefined();
    const replicas = dir!.topics.find((t) => t.topic === topic)!.partitions;
    const size = new Map(replicas.map((p) => [p.partition, p.size]));
    expect(size.get(0)).toBeGreaterThan(0);
    expect(size.get(1)).toBeGreaterThan(0);
    expect(size.get(2)).toBe(0);
    expect(replicas.every((p) => !p.isFuture && p.offsetLag === 0)).toBe(true);
  });

  it('describes the KRaft quorum: leader 1, one voter, a high watermark', async () => {
    const quorum = await client.describeQuorum();
    expect(quorum).toMatchObject({
      topic: '__cluster_metadata',
      partition: 0,
      errorCode: 0,
      leaderId: 1,
    });
    expect(quorum.leaderEpoch).toBeGreaterThan(0);
    expect(quorum.highWatermark).toBeGreaterThan(0);
    expect(quorum.voters.map((v) => v.replicaId)).toEqual([1]);
    expect(quorum.voters[0]!.logEndOffset).toBeGreaterThanOrEqual(quorum.highWatermark);
    expect(quorum.voters[0]!.lastCaughtUpTimestamp).toBeGreaterThan(0);
  });

  it('describes topic configs: defaults, overrides, and unknown topics as errors', async () => {
    const missing = randomTopic('missing');
    const configs = await client.describeTopicConfigs(
      [topic, missing],
      ['min.insync.replicas', 'retention.ms'],
    );
    expect(configs.get(topic)).toEqual({
      errorCode: 0,
      errorMessage: expect.toBeOneOf([null, '']),
      values: new Map([
        ['min.insync.replicas', '1'],
        ['retention.ms', RETENTION_MS],
      ]),
    });
    expect(configs.get(missing)).toMatchObject({ errorCode: 3, values: new Map() });
  });

  it('fails fast with a typed error when the only broker is unreachable', async () => {
    const { port, close } = await occupyPort();
    await close(); // now nothing listens there
    const dead = new ClusterClient({ brokers: [`127.0.0.1:${port}`], requestTimeout: 2_000 });
    const started = Date.now();
    try {
      await expect(dead.metadata()).rejects.toSatisfy(
        (error) =>
          error instanceof NoBrokerAvailableError &&
          error.apiName === 'Metadata' &&
          error.reason === 'connection_refused' &&
          error.errors[0]?.reason === 'connection_refused' &&
          error.errors[0]?.broker === `127.0.0.1:${port}`,
      );
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await dead.disconnect();
    }
  });
});
