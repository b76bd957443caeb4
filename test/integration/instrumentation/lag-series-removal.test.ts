/**
 * `kafka.consumer.lag` reports only what a consumer owns, on the real broker: after a real
 * rebalance the member that lost partitions stops reporting them, and a stopped consumer stops
 * reporting any.
 *
 * Read through a DELTA reader. The OpenTelemetry JS SDK keeps exporting the last value of an
 * attribute set an observable gauge no longer observes when the reader is cumulative (see Known
 * limitations in docs/instrumentation.md), so a cumulative export cannot show what the
 * instrumentation stopped reporting; a delta export holds exactly what the gauge's callback
 * observed in that collection.
 */
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import type { Consumer, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup } from '../../support/names';
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { TelemetryHarness } from '../../support/telemetry-harness';
import { waitFor } from '../../support/wait-for';

const { instrumentation, createKafka, createTopic, shutdown } = instrumentKafkaJs();
// A second harness for its delta reader only: the instrumentation's metrics move to it.
const deltaMetrics = new TelemetryHarness(AggregationTemporality.DELTA);
instrumentation.setMeterProvider(deltaMetrics.meterProvider);

const kafka = createKafka('lag-series-removal');
const clients: { disconnect(): Promise<void> }[] = [];
let producer: Producer;

beforeAll(async () => {
  producer = kafka.producer(IDEMPOTENT_PRODUCER);
  await producer.connect();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.disconnect()));
});
afterAll(async () => {
  await producer.disconnect();
  await shutdown();
  await deltaMetrics.shutdown();
});

const MESSAGES_PER_PARTITION = 2;

/** A topic with MESSAGES_PER_PARTITION messages in each of its partitions. */
async function filledTopic(partitions: number, prefix: string): Promise<string> {
  const topic = await createTopic(partitions, prefix);
  await producer.send({
    topic,
    messages: Array.from({ length: partitions }).flatMap((_, partition) =>
      Array.from({ length: MESSAGES_PER_PARTITION }, (__, i) => ({ partition, value: `m${i}` })),
    ),
  });
  return topic;
}

interface Member {
  consumer: Consumer;
  /** The partitions of `topic` each of its group joins gave it, in order. */
  assignments: number[][];
}

/** A running group member that consumes `topic` from the beginning and notes its assignments. */
async function member(groupId: string, topic: string): Promise<Member> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, heartbeatInterval: 500 });
  clients.push(consumer);
  const assignments: number[][] = [];
  // Registered after the instrumentation's own listener, so it runs after the lag table changed.
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    assignments.push([...(payload.memberAssignment[topic] ?? [])].sort());
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: () => Promise.resolve() });
  return { consumer, assignments };
}

/** The partitions whose lag this collection reports for the group's topic, sorted. */
async function reportedPartitions(groupId: string, topic: string): Promise<string[]> {
  const points = await deltaMetrics.points('kafka.consumer.lag', {
    'messaging.consumer.group.name': groupId,
    'messaging.destination.name': topic,
  });
  return points.map((p) => String(p.attributes['messaging.destination.partition.id'])).sort();
}

/** Whether the group committed the end of every partition of the topic. */
async function committedToEnd(groupId: string, topic: string): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return offsets!.partitions.every((p) => Number(p.offset) === MESSAGES_PER_PARTITION);
  } finally {
    await admin.disconnect();
  }
}

describe('consumer lag series', () => {
  it('stops reporting the partitions a real rebalance revokes from a member', async () => {
    const topic = await filledTopic(4, 'revoked-lag');
    const groupId = randomGroup('revoked-lag');
    const first = await member(groupId, topic);
    await waitFor(
      async () => (await reportedPartitions(groupId, topic)).join() === '0,1,2,3' || undefined,
      { description: 'the lag of the four partitions the first member consumed' },
    );
    // The second member must start at the end of every partition: it then gets no batch and
    // reports no lag of its own, so every series left is the first member's.
    await waitFor(() => committedToEnd(groupId, topic), {
      description: 'the first member committed every partition',
    });

    const second = await member(groupId, topic);
    const latest = (m: Member) => m.assignments[m.assignments.length - 1] ?? [];
    await waitFor(
      () =>
        first.assignments.length >= 2 && latest(first).length === 2 && latest(second).length === 2,
      { description: 'the four partitions shared between the two members' },
    );
    expect(first.assignments[0]).toEqual([0, 1, 2, 3]);
    const kept = latest(first);
    const revoked = latest(second);
    expect([...kept, ...revoked].sort()).toEqual([0, 1, 2, 3]);
    expect(await reportedPartitions(groupId, topic)).toEqual(kept.map(String));
  });

  it('stops reporting every lag series of a consumer that stopped', async () => {
    const topic = await filledTopic(2, 'stopped-lag');
    const groupId = randomGroup('stopped-lag');
    const { consumer } = await member(groupId, topic);
    await waitFor(
      async () => (await reportedPartitions(groupId, topic)).join() === '0,1' || undefined,
      { description: 'the lag of both partitions' },
    );
    // The series are observed at every collection while the consumer runs...
    expect(await reportedPartitions(groupId, topic)).toEqual(['0', '1']);
    await consumer.stop();
    // ...and no more once it stopped (KafkaJS emits STOP before stop() resolves).
    expect(await reportedPartitions(groupId, topic)).toEqual([]);
  });
});
