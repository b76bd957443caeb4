/**
 * `kafka.consumer_group.status` on the real broker: each test drives one group through the
 * situations of the lag-status table (docs/collectors.md) with real consumers, commits,
 * offset resets and record deletion, and reads the status the collector exports after each
 * step. Each step is one collection, so one snapshot: the window of `WINDOW` snapshots fills
 * exactly as the steps go.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Attributes } from '@opentelemetry/api';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KafkaClusterCollector } from '../../../src';
import { injectedBrokers } from '../../support/kafka-client';
import { randomGroup, randomTopic } from '../../support/names';
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { TelemetryHarness } from '../../support/telemetry-harness';
import { createTopicAndWait } from '../../support/topics';
import { waitFor } from '../../support/wait-for';

/** Snapshots in the lag-status window: trends are judged from the third one on. */
const WINDOW = 3;
/** Every status docs/collectors.md names, sorted: one series each, the current one at 1. */
const STATUSES = ['ERR', 'OK', 'REWIND', 'STALL', 'STOP', 'WARN'];
/**
 * Bound for the tests that reset offsets several times: KafkaJS's `setOffsets` joins the group
 * with a consumer of its own to commit, a rebalance of a few seconds each time.
 */
const RESETS_TIMEOUT_MS = 120_000;

const brokers = injectedBrokers();
const kafka = new Kafka({ clientId: 'lag-status-test', brokers, logLevel: logLevel.NOTHING });
const producer = kafka.producer(IDEMPOTENT_PRODUCER);
const admin = kafka.admin();
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  await Promise.all([producer.connect(), admin.connect()]);
});
afterEach(async () => {
  // Every cleanup runs, in reverse order of creation, even when one fails (a consumer left
  // connected or a collector left running would outlive the file); then any failure fails.
  const failures: unknown[] = [];
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch((error: unknown) => failures.push(error));
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, 'cleanups failed');
});
afterAll(async () => {
  await Promise.all([producer.disconnect(), admin.disconnect()]);
});

/** What one collection exported about the watched group, per partition of its topic. */
interface Observation {
  /** The `status` attribute of the group's one status series at 1; undefined: no series. */
  status: string | undefined;
  members: number | undefined;
  committed: Record<number, number>;
  lag: Record<number, number>;
}

/**
 * A collector of one group on its topics, read by its own metric reader: every `observe()` is
 * one collection, so one snapshot, so one observation in the group's status window.
 */
class StatusWatch {
  private readonly collector: KafkaClusterCollector;
  private readonly reader: TelemetryHarness;

  constructor(
    private readonly groupId: string,
    private readonly topic: string,
    otherTopics: string[] = [],
  ) {
    this.collector = new KafkaClusterCollector({
      brokers,
      topics: [topic, ...otherTopics],
      groups: [groupId],
      lagStatusWindow: WINDOW,
      minSnapshotIntervalMs: 0,
      // A bound for a loaded machine, not an expectation: an incomplete snapshot fails below.
      snapshotTimeoutMs: 20_000,
    }).start();
    this.reader = new TelemetryHarness(undefined, [this.collector]);
    cleanups.push(async () => {
      await this.collector.stop();
      await this.reader.shutdown();
    });
  }

  async observe(): Promise<Observation> {
    const metrics = await this.reader.metrics();
    const points = (name: string) => {
      const found: { attributes: Attributes; value: number }[] = [];
      for (const metric of metrics) {
        if (metric.descriptor.name !== name) continue;
        for (const point of metric.dataPoints) {
          if (point.attributes.group !== this.groupId) continue;
          found.push({ attributes: point.attributes, value: point.value as number });
        }
      }
      return found;
    };
    const byPartition = (name: string) =>
      Object.fromEntries(
        points(name)
          .filter((point) => point.attributes.topic === this.topic)
          .map((point) => [point.attributes.partition as number, point.value]),
      );
    const up = metrics.find((m) => m.descriptor.name === 'kafka.collector.up');
    expect(up?.dataPoints[0]?.value, 'a complete snapshot').toBe(1);

    const statuses = points('kafka.consumer_group.status');
    // Either no status at all, or one series per status with exactly the current one at 1.
    if (statuses.length > 0) {
      expect(statuses.map((s) => s.attributes.status).sort()).toEqual(STATUSES);
      expect(statuses.filter((s) => s.value === 1)).toHaveLength(1);
      expect(statuses.filter((s) => s.value === 0)).toHaveLength(STATUSES.length - 1);
    }
    return {
      status: statuses.find((s) => s.value === 1)?.attributes.status as string | undefined,
      members: points('kafka.consumer_group.members')[0]?.value,
      committed: byPartition('kafka.consumer_group.offset'),
      lag: byPartition('kafka.consumer_group.lag'),
    };
  }
}

/**
 * A real member of the group that handles only the messages the test lets through, committing
 * after each one: slower than production when let through less than was produced, stuck (a
 * live member whose offset does not move) when let through nothing more. While it waits it
 * heartbeats, so it stays in the group.
 */
class GatedConsumer {
  private allowed = 0;
  private handled = 0;
  private committed = 0;
  private open = false;

  private constructor(
    private readonly consumer: Consumer,
    private readonly topic: string,
  ) {}

  static async join(groupId: string, topic: string): Promise<GatedConsumer> {
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    const gated = new GatedConsumer(consumer, topic);
    cleanups.push(() => gated.leave());
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
    });
    consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => {
      for (const committed of payload.topics) {
        if (committed.topic !== topic) continue;
        for (const p of committed.partitions) gated.committed = Number(p.offset);
      }
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommitThreshold: 1,
      eachMessage: async (payload) => {
        while (!gated.open && gated.handled >= gated.allowed) {
          await payload.heartbeat();
          await sleep(50);
        }
        gated.handled++;
      },
    });
    await waitFor(() => joined, { description: `${groupId} joined` });
    return gated;
  }

  /** Lets `count` more messages through and waits until their offsets are committed. */
  async letThrough(count: number): Promise<void> {
    this.allowed += count;
    await waitFor(() => this.committed === this.allowed, {
      description: `offset ${this.allowed} of ${this.topic} committed`,
    });
  }

  private async leave(): Promise<void> {
    this.open = true;
    await this.consumer.disconnect();
  }
}

async function produce(topic: string, count: number, partition = 0) {
  await producer.send({
    topic,
    messages: Array.from({ length: count }, (_, i) => ({ value: `m${i}`, partition })),
  });
}

/** Commits for a group without members, as an operator resetting it would. */
async function setOffsets(groupId: string, topic: string, offsets: Record<number, number>) {
  await admin.setOffsets({
    groupId,
    topic,
    partitions: Object.entries(offsets).map(([partition, offset]) => ({
      partition: Number(partition),
      offset: String(offset),
    })),
  });
}

async function newTopic(prefix: string, numPartitions = 1): Promise<string> {
  const topic = randomTopic(prefix);
  await createTopicAndWait(admin, { topic, numPartitions });
  return topic;
}

describe('kafka.consumer_group.status on a real broker', () => {
  it('has no status while a live group has committed nothing, then OK for a consumer keeping pace', async () => {
    const topic = await newTopic('status-ok');
    const groupId = randomGroup('status-ok');
    const watch = new StatusWatch(groupId, topic);
    await produce(topic, 10);
    const consumer = await GatedConsumer.join(groupId, topic);
    expect(await watch.observe()).toEqual({
      status: undefined,
      members: 1,
      committed: {},
      lag: {},
    });

    await consumer.letThrough(4);
    expect(await watch.observe()).toEqual({
      status: 'OK',
      members: 1,
      committed: { 0: 4 },
      lag: { 0: 6 },
    });
    // Every step it handles what was produced: the lag holds at 6, the window fills with it.
    for (const committed of [9, 14, 19]) {
      await produce(topic, 5);
      await consumer.letThrough(5);
      expect(await watch.observe()).toEqual({
        status: 'OK',
        members: 1,
        committed: { 0: committed },
        lag: { 0: 6 },
      });
    }
  });

  it('is WARN once a full window shows a slow consumer falling behind, OK when it catches up', async () => {
    const topic = await newTopic('status-warn');
    const groupId = randomGroup('status-warn');
    const watch = new StatusWatch(groupId, topic);
    await produce(topic, 10);
    const consumer = await GatedConsumer.join(groupId, topic);
    await consumer.letThrough(4);
    // Ten produced, five handled per step: the offset moves, the lag only grows.
    const steps = [
      { status: 'OK', committed: { 0: 4 }, lag: { 0: 6 } },
      { status: 'OK', committed: { 0: 9 }, lag: { 0: 11 } },
      { status: 'WARN', committed: { 0: 14 }, lag: { 0: 16 } },
      { status: 'WARN', committed: { 0: 19 }, lag: { 0: 21 } },
    ];
    for (const [i, step] of steps.entries()) {
      if (i > 0) {
        await produce(topic, 10);
        await consumer.letThrough(5);
      }
      expect(await watch.observe(), `step ${i}`).toEqual({ ...step, members: 1 });
    }
    await consumer.letThrough(21);
    expect(await watch.observe()).toEqual({
      status: 'OK',
      members: 1,
      committed: { 0: 40 },
      lag: { 0: 0 },
    });
  });

  it('is STALL once a full window shows a live member stuck at its committed offset', async () => {
    const topic = await newTopic('status-stall');
    const groupId = randomGroup('status-stall');
    const watch = new StatusWatch(groupId, topic);
    await produce(topic, 10);
    const consumer = await GatedConsumer.join(groupId, topic);
    await consumer.letThrough(4); // then stuck on the fifth message, still in the group
    const steps = [
      { status: 'OK', lag: { 0: 6 } },
      { status: 'OK', lag: { 0: 11 } },
      { status: 'STALL', lag: { 0: 16 } },
    ];
    for (const [i, step] of steps.entries()) {
      if (i > 0) await produce(topic, 5);
      expect(await watch.observe(), `step ${i}`).toEqual({
        ...step,
        members: 1,
        committed: { 0: 4 },
      });
    }
  });

  it('is STOP, not STALL, for the same stuck offset with nobody in the group', async () => {
    const topic = await newTopic('status-stop');
    const groupId = randomGroup('status-stop');
    const watch = new StatusWatch(groupId, topic);
    await produce(topic, 10);
    await setOffsets(groupId, topic, { 0: 4 });
    const steps = [
      { status: 'OK', lag: { 0: 6 } },
      { status: 'OK', lag: { 0: 11 } },
      { status: 'STOP', lag: { 0: 16 } },
    ];
    for (const [i, step] of steps.entries()) {
      if (i > 0) await produce(topic, 5);
      expect(await watch.observe(), `step ${i}`).toEqual({
        ...step,
        members: 0,
        committed: { 0: 4 },
      });
    }
  });

  it(
    'is REWIND from the snapshot after an offset reset backwards until the group catches up',
    async () => {
      const topic = await newTopic('status-rewind', 2);
      const groupId = randomGroup('status-rewind');
      const watch = new StatusWatch(groupId, topic);
      await produce(topic, 30, 0);
      await produce(topic, 8, 1);
      await setOffsets(groupId, topic, { 0: 30, 1: 8 });
      expect(await watch.observe()).toEqual({
        status: 'OK',
        members: 0,
        committed: { 0: 30, 1: 8 },
        lag: { 0: 0, 1: 0 },
      });
      // Partition 0 reset back to 5; partition 1, caught up, stays OK: the group takes the worst.
      const steps = [
        { status: 'REWIND', committed: 5, lag: 25 },
        { status: 'REWIND', committed: 12, lag: 18 }, // moving forward again, not caught up
        { status: 'OK', committed: 30, lag: 0 },
      ];
      for (const [i, step] of steps.entries()) {
        await setOffsets(groupId, topic, { 0: step.committed });
        expect(await watch.observe(), `step ${i}`).toEqual({
          status: step.status,
          members: 0,
          committed: { 0: step.committed, 1: 8 },
          lag: { 0: step.lag, 1: 0 },
        });
      }
    },
    RESETS_TIMEOUT_MS,
  );

  it(
    'is ERR from the snapshot after deleteRecords passed the committed offset',
    async () => {
      const topic = await newTopic('status-err', 2);
      const groupId = randomGroup('status-err');
      const watch = new StatusWatch(groupId, topic);
      await produce(topic, 30, 0);
      await produce(topic, 10, 1);
      await setOffsets(groupId, topic, { 0: 10, 1: 10 });
      expect(await watch.observe()).toEqual({
        status: 'OK',
        members: 0,
        committed: { 0: 10, 1: 10 },
        lag: { 0: 20, 1: 0 },
      });

      // Offsets 10 to 19 of partition 0 deleted before the group read them.
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '20' }] });
      expect(await watch.observe()).toEqual({
        status: 'ERR',
        members: 0,
        committed: { 0: 10, 1: 10 },
        lag: { 0: 20, 1: 0 },
      });
      // The group skips what was lost: back at the log start, no longer ERR.
      await setOffsets(groupId, topic, { 0: 20 });
      expect(await watch.observe()).toEqual({
        status: 'OK',
        members: 0,
        committed: { 0: 20, 1: 10 },
        lag: { 0: 10, 1: 0 },
      });
    },
    RESETS_TIMEOUT_MS,
  );

  it(
    'drops the status of a deleted topic from its group at the next snapshot',
    async () => {
      const topic = await newTopic('status-kept');
      const deleted = await newTopic('status-deleted');
      const groupId = randomGroup('status-deleted');
      const watch = new StatusWatch(groupId, topic, [deleted]);
      await produce(topic, 5);
      await produce(deleted, 30);
      await setOffsets(groupId, topic, { 0: 5 });
      await setOffsets(groupId, deleted, { 0: 10 });
      await admin.deleteTopicRecords({
        topic: deleted,
        partitions: [{ partition: 0, offset: '20' }],
      });
      expect((await watch.observe()).status).toBe('ERR');

      // Kafka drops a deleted topic's committed offsets; the group keeps those of the other one.
      await admin.deleteTopics({ topics: [deleted] });
      await waitFor(
        async () => {
          const offsets = await admin.fetchOffsets({ groupId });
          return offsets.every((t) => t.topic !== deleted);
        },
        { description: `offsets of ${groupId} on ${deleted} removed` },
      );
      expect(await watch.observe()).toEqual({
        status: 'OK',
        members: 0,
        committed: { 0: 5 },
        lag: { 0: 0 },
      });
    },
    RESETS_TIMEOUT_MS,
  );
});
