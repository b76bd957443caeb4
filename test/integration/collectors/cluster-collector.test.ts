/**
 * KafkaClusterCollector against the real single-node Kafka: every number is checked against
 * what the test itself produced, committed and consumed.
 */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaClusterCollector } from '../../../src';
import { injectedBrokers } from '../../support/kafka-client';
import { randomGroup, randomTopic } from '../../support/names';
import { TelemetryHarness } from '../../support/telemetry-harness';
import { createTopicAndWait } from '../../support/topics';
import { waitFor } from '../../support/wait-for';

const brokers = injectedBrokers();
const harness = new TelemetryHarness();
const collector = new KafkaClusterCollector({
  brokers,
  minSnapshotIntervalMs: 1, // every collection in this test takes a fresh snapshot
  lagStatusWindow: 3,
});
const kafka = new Kafka({ clientId: 'collector-test', brokers, logLevel: logLevel.NOTHING });
const producer = kafka.producer(IDEMPOTENT_PRODUCER);
const admin = kafka.admin();

beforeAll(async () => {
  harness.produceFrom(collector.start());
  await Promise.all([producer.connect(), admin.connect()]);
});
afterAll(async () => {
  await Promise.all([producer.disconnect(), admin.disconnect()]);
  await collector.stop();
  await harness.shutdown();
});

async function produce(topic: string, count: number, partition?: number) {
  await producer.send({
    topic,
    messages: Array.from({ length: count }, (_, i) => ({ value: `m${i}`, partition })),
  });
}

/** The value of a gauge series, or undefined when the series is absent. */
async function gauge(name: string, where: Record<string, string | number>) {
  const points = await harness.points(name, where);
  return points.length === 1 ? points[0]!.value : undefined;
}

async function consumeAndCommit(groupId: string, topic: string, count: number): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await consumer.run({
    autoCommitInterval: 100,
    eachMessage: () => {
      seen++;
      return Promise.resolve();
    },
  });
  await waitFor(() => seen >= count, { description: `${count} consumed from ${topic}` });
  return consumer;
}

describe('KafkaClusterCollector on one broker', () => {
  it('reports offsets and sizes that grow with produced messages', async () => {
    const topic = randomTopic('collected');
    await createTopicAndWait(admin, { topic, numPartitions: 2 });
    await produce(topic, 30, 0);
    await produce(topic, 12, 1);
    const p0 = { topic, partition: 0 };
    expect(await gauge('kafka.topic.partitions', { topic })).toBe(2);
    expect(await gauge('kafka.partition.current_offset', p0)).toBe(30);
    expect(await gauge('kafka.partition.current_offset', { topic, partition: 1 })).toBe(12);
    expect(await gauge('kafka.partition.oldest_offset', p0)).toBe(0);
    expect(await gauge('kafka.partition.replicas', p0)).toBe(1);
    expect(await gauge('kafka.partition.leader', p0)).toBe(1);
    expect(await gauge('kafka.partition.offline', p0)).toBe(0);
    expect(await gauge('kafka.collector.up', {})).toBe(1);
    // Sizes come from DescribeLogDirs, which lags the log by nothing on a single node.
    const size = await waitFor(
      async () =>
        ((await gauge('kafka.partition.size', p0)) ?? 0) > 0 && gauge('kafka.partition.size', p0),
    );
    await produce(topic, 30, 0);
    expect(await gauge('kafka.partition.current_offset', p0)).toBe(60);
    await waitFor(async () => ((await gauge('kafka.partition.size', p0)) ?? 0) > Number(size), {
      description: 'partition size grows',
    });
    expect(await gauge('kafka.brokers', {})).toBe(1);
    expect(await gauge('kafka.quorum.leader', {})).toBe(1);
    expect(await gauge('kafka.quorum.high_watermark', {})).toBeGreaterThan(0);
  });

  it('reports lag equal to produced minus committed, and the group state and members', async () => {
    const topic = randomTopic('lagging');
    const groupId = randomGroup('lagging');
    await createTopicAndWait(admin, { topic, numPartitions: 1 });
    await produce(topic, 20);
    const consumer = await consumeAndCommit(groupId, topic, 20);
    const where = { group: groupId, topic, partition: 0 };
    await waitFor(async () => (await gauge('kafka.consumer_group.offset', where)) === 20, {
      description: 'committed offset 20',
    });
    expect(await gauge('kafka.consumer_group.members', { group: groupId })).toBe(1);
    expect(await gauge('kafka.consumer_group.state', { group: groupId, state: 'Stable' })).toBe(1);
    await consumer.disconnect();

    await produce(topic, 17);
    expect(await gauge('kafka.consumer_group.lag', where)).toBe(17);
    expect(await gauge('kafka.consumer_group.lag_sum', { group: groupId, topic })).toBe(17);
    expect(await gauge('kafka.consumer_group.members', { group: groupId })).toBe(0);
    expect(await gauge('kafka.consumer_group.state', { group: groupId, state: 'Empty' })).toBe(1);
    expect(await gauge('kafka.consumer_group.state', { group: groupId, state: 'Stable' })).toBe(0);
  });

  it("grows a stopped group's time lag, marks it STOP, and returns to OK and ~0 s after catch-up", async () => {
    const topic = randomTopic('stopped');
    const groupId = randomGroup('stopped');
    await createTopicAndWait(admin, { topic, numPartitions: 1 });
    await produce(topic, 5);
    const first = await consumeAndCommit(groupId, topic, 5);
    const where = { group: groupId, topic, partition: 0 };
    await waitFor(async () => (await gauge('kafka.consumer_group.offset', where)) === 5);
    await first.disconnect();
    await produce(topic, 10);

    // Collections over time: the log end stays at 15 while the group stays at 5.
    const early = await waitFor(
      async () => {
        const lag = await gauge('kafka.consumer_group.time_lag', where);
        return lag !== undefined && lag > 0 ? lag : undefined;
      },
      { description: 'a time lag' },
    );
    const late = await waitFor(
      async () => {
        const lag = await gauge('kafka.consumer_group.time_lag', where);
        return lag !== undefined && lag > early + 1 ? lag : undefined;
      },
      { description: 'time lag growing', timeoutMs: 15_000, intervalMs: 300 },
    );
    expect(late).toBeGreaterThan(early);
    await waitFor(
      async () =>
        (await gauge('kafka.consumer_group.status', { group: groupId, status: 'STOP' })) === 1,
      { description: 'status STOP', timeoutMs: 15_000, intervalMs: 300 },
    );

    const second = await consumeAndCommit(groupId, topic, 10);
    await waitFor(async () => (await gauge('kafka.consumer_group.lag', where)) === 0, {
      description: 'lag 0 after catch-up',
    });
    expect(await gauge('kafka.consumer_group.time_lag', where)).toBeLessThan(1);
    await waitFor(
      async () =>
        (await gauge('kafka.consumer_group.status', { group: groupId, status: 'OK' })) === 1,
      { description: 'status OK again' },
    );
    await second.disconnect();
  });

  it('counts its work: scrape duration and no scrape errors on a healthy cluster', async () => {
    expect(await harness.total('kafka.collector.scrape.duration')).toBeGreaterThan(0);
    expect(await harness.total('kafka.collector.scrape.errors')).toBe(0);
    expect(await harness.total('kafka.collector.series.dropped')).toBe(0);
  });

  it('hands out a frozen snapshot: no reader can change what the others export', async () => {
    // A topic of its own: the snapshot has one to look at even on a cluster with no other.
    const topic = randomTopic('frozen');
    await createTopicAndWait(admin, { topic, numPartitions: 1 });
    const snapshot = await collector.snapshot();
    const found = snapshot.topics.find((t) => t.name === topic);
    expect(found?.partitions).toHaveLength(1);
    expect(Object.isFrozen(snapshot)).toBe(true);
    expect(Object.isFrozen(found)).toBe(true);
    expect(Object.isFrozen(found!.partitions[0])).toBe(true);
    expect(Object.isFrozen(snapshot.groups)).toBe(true);
  });

  it('past maxSeries drops per-partition series, counts them and warns once', async () => {
    const topic = randomTopic('limited');
    await createTopicAndWait(admin, { topic, numPartitions: 4 });
    const warnings: string[] = [];
    diag.setLogger(
      { ...silent, warn: (message: string) => warnings.push(message) },
      DiagLogLevel.WARN,
    );
    // This topic and no group: well over 10 series. One snapshot shared by both collections.
    const limited = new KafkaClusterCollector({
      brokers,
      topics: [topic],
      groups: [],
      maxSeries: 10,
      minSnapshotIntervalMs: 60_000,
    });
    const reader = new TelemetryHarness(undefined, [limited.start()]);
    try {
      const collected = async () => {
        const metrics = await reader.metrics();
        // The collector's cumulative counters and histogram are not snapshot series: no limit.
        const counters = new Set([
          'kafka.collector.scrape.duration',
          'kafka.collector.scrape.errors',
          'kafka.collector.late_results',
          'kafka.collector.series.dropped',
        ]);
        const series = metrics
          .filter((m) => !counters.has(m.descriptor.name))
          .flatMap((m) => m.dataPoints.map((p) => ({ name: m.descriptor.name, ...p })));
        const dropped = metrics.find((m) => m.descriptor.name === 'kafka.collector.series.dropped');
        return { series, dropped: dropped?.dataPoints[0]?.value as number };
      };
      const first = await collected();
      expect(first.series).toHaveLength(10);
      // Totals first: the topic's partition count stays, per-partition series went.
      expect(first.series.some((p) => p.name === 'kafka.topic.partitions')).toBe(true);
      expect(first.series.some((p) => p.name === 'kafka.partition.leader')).toBe(false);
      expect(first.dropped).toBeGreaterThan(0);
      // Exported again from the same snapshot: its dropped series are not counted twice.
      const second = await collected();
      expect(second.series).toHaveLength(10);
      expect(second.dropped).toBe(first.dropped);
      expect(warnings.filter((w) => w.includes('maxSeries'))).toHaveLength(1);
    } finally {
      diag.disable();
      await limited.stop();
      await reader.shutdown();
    }
  });
});

const silent = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  verbose: () => undefined,
};
