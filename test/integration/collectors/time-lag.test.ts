/**
 * Time lag read from the log, on the real broker: each test stamps its messages itself (or,
 * under LogAppendTime, reads the broker's stamps back with a consumer), commits a group at a
 * chosen offset, and compares the collector's time lag with the truth: the snapshot's time
 * minus the timestamp of the first message the group has not consumed.
 */
import { CompressionTypes, Kafka, logLevel, type Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaClusterCollector } from '../../../src';
import type { ClusterSnapshot } from '../../../src/collectors/cluster-snapshot';
import { injectedBrokers } from '../../support/kafka-client';
import { randomGroup, randomTopic } from '../../support/names';
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { createTopicAndWait } from '../../support/topics';
import { waitFor } from '../../support/wait-for';

const brokers = injectedBrokers();
const kafka = new Kafka({ clientId: 'time-lag-test', brokers, logLevel: logLevel.NOTHING });
const producer = kafka.producer(IDEMPOTENT_PRODUCER);
const admin = kafka.admin();
const collectors: KafkaClusterCollector[] = [];

beforeAll(async () => {
  await Promise.all([producer.connect(), admin.connect()]);
});
afterAll(async () => {
  await Promise.all(collectors.map((collector) => collector.stop()));
  await Promise.all([producer.disconnect(), admin.disconnect()]);
});

/** A collector started now, after the commit: its first snapshot has no history to lean on. */
function collectorOf(topic: string, groupId: string): KafkaClusterCollector {
  const collector = new KafkaClusterCollector({
    brokers,
    topics: [topic],
    groups: [groupId],
    minSnapshotIntervalMs: 0,
  }).start();
  collectors.push(collector);
  return collector;
}

/** Messages stamped `stamps[i]` ms, `value` i; one batch per send. */
const stamped = (stamps: number[], from = 0): Message[] =>
  stamps.map((stamp, i) => ({ value: `m${from + i}`, timestamp: String(stamp) }));

/** Sends each message alone: one record batch per message. */
async function produceOneByOne(topic: string, stamps: number[]) {
  for (const message of stamped(stamps)) await producer.send({ topic, messages: [message] });
}

async function commit(groupId: string, topic: string, offset: number) {
  await admin.setOffsets({
    groupId,
    topic,
    partitions: [{ partition: 0, offset: String(offset) }],
  });
}

async function snapshotOf(collector: KafkaClusterCollector, groupId: string) {
  const snapshot = await collector.snapshot();
  expect(snapshot.complete, JSON.stringify(snapshot.errors)).toBe(true);
  const partition = snapshot.groups.find((g) => g.groupId === groupId)?.partitions[0];
  expect(partition, `group ${groupId} in the snapshot`).toBeDefined();
  return { snapshot, partition: partition! };
}

/** Seconds from a message's stamp to the snapshot: the true time lag. */
const truth = (snapshot: ClusterSnapshot, stamp: number) => (snapshot.takenAt - stamp) / 1000;

describe('time lag read from the log', () => {
  it('is exact from the first snapshot on, and an unchanged commit is not read again', async () => {
    const topic = randomTopic('time-lag-steady');
    const groupId = randomGroup('time-lag-steady');
    await createTopicAndWait(admin, { topic, numPartitions: 1 });
    const start = Date.now() - 60_000;
    const stamps = Array.from({ length: 30 }, (_, i) => start + i * 100);
    await produceOneByOne(topic, stamps);
    await commit(groupId, topic, 20);
    const collector = collectorOf(topic, groupId);

    const first = await snapshotOf(collector, groupId);
    expect(first.partition.lag).toBe(10);
    expect(first.partition.timeLagSeconds).toBe(truth(first.snapshot, stamps[20]!));
    expect(first.snapshot.timeLag).toEqual({ reads: 1, fromLog: 1, interpolated: 0 });

    // Production goes on; the group stays at 20: same message, older now.
    await produceOneByOne(topic, [Date.now(), Date.now() + 1]);
    const second = await snapshotOf(collector, groupId);
    expect(second.partition.lag).toBe(12);
    expect(second.partition.timeLagSeconds).toBe(truth(second.snapshot, stamps[20]!));
    expect(second.snapshot.timeLag).toEqual({ reads: 0, fromLog: 1, interpolated: 0 });
  });

  it('follows bursts: the committed offset inside a 200-message batch, snapshot after snapshot', async () => {
    const topic = randomTopic('time-lag-burst');
    const groupId = randomGroup('time-lag-burst');
    await createTopicAndWait(admin, { topic, numPartitions: 1 });
    const burstAt = Date.now() - 30_000;
    const stamps = Array.from({ length: 200 }, (_, i) => burstAt + i * 10);
    await producer.send({ topic, messages: stamped(stamps) });
    await commit(groupId, topic, 57);
    const collector = collectorOf(topic, groupId);
    for (let round = 0; round < 3; round++) {
      const { snapshot, partition } = await snapshotOf(collector, groupId);
      const expected = truth(snapshot, stamps[57]!);
      // The record itself when it lies in the bytes read; else the batch's first timestamp:
      // never younger than the truth, older by at most the batch's spread (1.99 s here).
      expect(partition.timeLagSeconds).toBeGreaterThanOrEqual(expected);
      expect(partition.timeLagSeconds! - expected).toBeLessThanOrEqual(
        (stamps[199]! - stamps[0]!) / 1000,
      );
      // More bursts after the committed offset change nothing about its message.
      await producer.send({ topic, messages: stamped([Date.now(), Date.now() + 5], 200 + round) });
    }
  });

  it('reads gzip batches by their header, within the batch spread', async () => {
    const topic = randomTopic('time-lag-gzip');
    const groupId = randomGroup('time-lag-gzip');
    await createTopicAndWait(admin, { topic, numPartitions: 1 });
    const at = Date.now() - 20_000;
    const stamps = Array.from({ length: 50 }, (_, i) => at + i * 20);
    await producer.send({ topic, compression: CompressionTypes.GZIP, messages: stamped(stamps) });
    await commit(groupId, topic, 30);
    const { snapshot, partition } = await snapshotOf(collectorOf(topic, groupId), groupId);
    // Not decompressed: the age of the batch's first message, 30 x 20 ms older than the truth.
    expect(partition.timeLagSeconds).toBe(truth(snapshot, stamps[0]!));
    expect(partition.timeLagSeconds! - truth(snapshot, stamps[30]!)).toBeCloseTo(0.6, 6);
  });

  it('follows the oldest retained message once retention deleted the committed offset', async () => {
    const topic = randomTopic('time-lag-deleted');
    const groupId = randomGroup('time-lag-deleted');
    await createTopicAndWait(admin, { topic, numPartitions: 1 });
    const start = Date.now() - 90_000;
    const stamps = Array.from({ length: 30 }, (_, i) => start + i * 1_000);
    await produceOneByOne(topic, stamps);
    await commit(groupId, topic, 5);
    const collector = collectorOf(topic, groupId);
    const before = await snapshotOf(collector, groupId);
    expect(before.partition.timeLagSeconds).toBe(truth(before.snapshot, stamps[5]!));

    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '12' }] });
    const after = await snapshotOf(collector, groupId);
    expect(after.snapshot.topics[0]!.partitions[0]!.oldestOffset).toBe(12);
    expect(after.partition.lag).toBe(25); // lag still counts the deleted messages
    expect(after.partition.timeLagSeconds).toBe(truth(after.snapshot, stamps[12]!));
  });

  it("uses the broker's stamps on a LogAppendTime topic", async () => {
    const topic = randomTopic('time-lag-append');
    const groupId = randomGroup('time-lag-append');
    await createTopicAndWait(admin, {
      topic,
      numPartitions: 1,
      configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }],
    });
    // Producer stamps an hour old: the broker replaces them with its append time.
    await produceOneByOne(
      topic,
      Array.from({ length: 8 }, () => Date.now() - 3_600_000),
    );
    const appended = await brokerStamps(topic, 8);
    await commit(groupId, topic, 4);
    const { snapshot, partition } = await snapshotOf(collectorOf(topic, groupId), groupId);
    expect(partition.timeLagSeconds).toBe(truth(snapshot, appended[4]!));
    expect(partition.timeLagSeconds).toBeLessThan(120);
  });

  it('passes over transaction markers, and reads 0 when only a marker is left', async () => {
    const topic = randomTopic('time-lag-tx');
    const groupId = randomGroup('time-lag-tx');
    await createTopicAndWait(admin, { topic, numPartitions: 1 });
    const transactional = kafka.producer({
      transactionalId: `${topic}-tx`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await transactional.connect();
    try {
      const sendInTransaction = async (stamps: number[], from: number) => {
        const transaction = await transactional.transaction();
        await transaction.send({ topic, messages: stamped(stamps, from) });
        await transaction.commit();
      };
      const at = Date.now() - 10_000;
      await sendInTransaction([at, at + 1, at + 2], 0); // offsets 0-2, marker at 3
      await commit(groupId, topic, 3);
      const collector = collectorOf(topic, groupId);
      const markerOnly = await snapshotOf(collector, groupId);
      expect(markerOnly.partition.lag).toBe(1); // the marker is an offset
      expect(markerOnly.partition.timeLagSeconds).toBe(0);

      const later = Date.now() - 5_000;
      await sendInTransaction([later, later + 1], 3); // offsets 4-5, marker at 6
      const next = await snapshotOf(collector, groupId);
      expect(next.partition.lag).toBe(4);
      expect(next.partition.timeLagSeconds).toBe(truth(next.snapshot, later));
    } finally {
      await transactional.disconnect();
    }
  });

  it('reads 0 for a group that is not behind, an empty partition included', async () => {
    const topic = randomTopic('time-lag-empty');
    const groupId = randomGroup('time-lag-empty');
    await createTopicAndWait(admin, { topic, numPartitions: 1 });
    await commit(groupId, topic, 0);
    const { snapshot, partition } = await snapshotOf(collectorOf(topic, groupId), groupId);
    expect(partition).toMatchObject({ committedOffset: 0, lag: 0, timeLagSeconds: 0 });
    expect(snapshot.timeLag).toEqual({ reads: 0, fromLog: 0, interpolated: 0 });
  });
});

/** The timestamps the broker stored, by offset, read back with a consumer. */
async function brokerStamps(topic: string, count: number): Promise<number[]> {
  const consumer = kafka.consumer({ groupId: randomGroup('stamp-reader'), maxWaitTimeInMs: 100 });
  const stamps: number[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: ({ message }) => {
        stamps[Number(message.offset)] = Number(message.timestamp);
        return Promise.resolve();
      },
    });
    await waitFor(() => stamps.filter((s) => s !== undefined).length >= count, {
      description: `${count} stamps read back`,
    });
  } finally {
    await consumer.disconnect();
  }
  return stamps;
}
