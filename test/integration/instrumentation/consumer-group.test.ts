/**
 * Consumer group telemetry on the real broker: rebalances of a two-member group, the consumer's
 * own lag reaching 0 after catch-up, crashes, commits and eachBatch spans.
 */
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup } from '../../support/names';
import { waitFor } from '../../support/wait-for';

const { harness, createKafka, createTopic, shutdown } = instrumentKafkaJs();
const clients: { disconnect(): Promise<void> }[] = [];
let kafka: Kafka;
let producer: Producer;

beforeAll(async () => {
  kafka = createKafka();
  producer = kafka.producer(IDEMPOTENT_PRODUCER);
  await producer.connect();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.disconnect()));
});
afterAll(async () => {
  await producer.disconnect();
  await shutdown();
});

async function topicWith(partitions: number, messages: number) {
  const topic = await createTopic(partitions, 'group');
  if (messages > 0) {
    await producer.send({
      topic,
      messages: Array.from({ length: messages }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    });
  }
  return topic;
}

function consumer(groupId: string, options: Partial<Parameters<Kafka['consumer']>[0]> = {}) {
  const created: Consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: 100,
    heartbeatInterval: 500,
    ...options,
  });
  clients.push(created);
  return created;
}

const group = (name: string) => ({ 'messaging.consumer.group.name': name });

describe('consumer group telemetry', () => {
  it('counts the rebalances of a group of two members and their join time', async () => {
    const topic = await topicWith(4, 0);
    const groupId = randomGroup('pair');
    const first = consumer(groupId);
    await first.connect();
    await first.subscribe({ topic });
    await first.run({ eachMessage: () => Promise.resolve() });
    await waitFor(
      async () => (await harness.total('kafka.consumer.rebalances', group(groupId))) >= 1,
      {
        description: 'first member joined',
      },
    );

    const second = consumer(groupId);
    await second.connect();
    await second.subscribe({ topic });
    await second.run({ eachMessage: () => Promise.resolve() });
    // The second join makes both members rejoin: 1 (first alone) + 2 (both in the new generation).
    await waitFor(
      async () => (await harness.total('kafka.consumer.rebalances', group(groupId))) >= 3,
      {
        description: 'both members rejoined',
      },
    );
    const joins = await harness.points('kafka.consumer.group.join.duration', group(groupId));
    expect(joins.reduce((sum, p) => sum + p.value, 0)).toBeGreaterThanOrEqual(3);
    expect(joins[0]!.sum).toBeGreaterThan(0);
    // Assignment sizes are recorded per member; with 4 partitions the last values are 2 and 2,
    // but both members share one series (same group) so the gauge shows one of them: 2.
    await waitFor(
      async () => (await harness.total('kafka.consumer.assigned_partitions', group(groupId))) === 2,
      {
        description: 'assigned partitions after the rebalance',
      },
    );
  });

  it('reports the consumer lag per partition and brings it to 0 after catch-up', async () => {
    const topic = await topicWith(2, 40);
    const groupId = randomGroup('lag');
    const member = consumer(groupId, { maxBytesPerPartition: 200 });
    await member.connect();
    await member.subscribe({ topic, fromBeginning: true });
    await member.run({ eachMessage: () => Promise.resolve() });

    const lagOf = () =>
      harness.points('kafka.consumer.lag', {
        ...group(groupId),
        'messaging.destination.name': topic,
      });
    await waitFor(
      async () => {
        const points = await lagOf();
        return points.length === 2 && points.every((p) => p.value === 0);
      },
      { description: 'lag 0 on both partitions' },
    );
    const points = await lagOf();
    expect(points.map((p) => p.attributes['messaging.destination.partition.id']).sort()).toEqual([
      '0',
      '1',
    ]);
    expect(
      await harness.total('messaging.client.consumed.messages', {
        ...group(groupId),
        'messaging.destination.name': topic,
      }),
    ).toBe(40);
    // Auto-commit ran at least once and was counted.
    await waitFor(
      async () => (await harness.total('kafka.consumer.commits', group(groupId))) >= 1,
      {
        description: 'an offset commit',
      },
    );
  });

  it('counts a crash with its restart flag, ends the failed span and gives the error to KafkaJS', async () => {
    const topic = await topicWith(1, 1);
    const groupId = randomGroup('crash');
    const failure = new Error('payment service down');
    const seen: unknown[] = [];
    const member = consumer(groupId, { retry: { retries: 0 } });
    member.on(member.events.CRASH, (event) => seen.push(event.payload.error));
    await member.connect();
    await member.subscribe({ topic, fromBeginning: true });
    await member.run({ eachMessage: () => Promise.reject(failure) });

    await waitFor(
      async () => (await harness.total('kafka.consumer.crashes', group(groupId))) >= 1,
      {
        description: 'a crash',
      },
    );
    const [crash] = await harness.points('kafka.consumer.crashes', group(groupId));
    expect(crash!.attributes).toMatchObject({
      'error.type': 'Error',
      'kafka.consumer.restart': true,
    });
    // KafkaJS saw the very error the handler threw, not a wrapper of ours.
    expect(
      seen.some((error) => error === failure || (error as { cause?: unknown }).cause === failure),
    ).toBe(true);
    const failed = harness.spansNamed(`process ${topic}`);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed[0]!.status.code).toBe(2);
    expect(failed[0]!.attributes['error.type']).toBe('Error');
    expect(
      await harness.total('messaging.process.duration', {
        'messaging.destination.name': topic,
        'error.type': 'Error',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('traces eachBatch: a poll span linked to the producers, a process span per resolved message, commits', async () => {
    const topic = await topicWith(1, 5);
    const groupId = randomGroup('batch');
    const member = consumer(groupId);
    await member.connect();
    await member.subscribe({ topic, fromBeginning: true });
    let delivered = 0;
    await member.run({
      autoCommit: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        for (const message of batch.messages) {
          await new Promise((resolve) => setTimeout(resolve, 20)); // "processing"
          payload.resolveOffset(message.offset);
          delivered++;
        }
        const last = batch.messages[batch.messages.length - 1]!;
        await member.commitOffsets([
          { topic, partition: batch.partition, offset: String(Number(last.offset) + 1) },
        ]);
      },
    });
    await waitFor(() => delivered >= 5, { description: '5 messages in batches' });
    await waitFor(() => harness.spansNamed(`commit ${topic}`).length >= 1, {
      description: 'commit span',
    });

    const polls = harness.spansNamed(`poll ${topic}`);
    const sends = harness.spansNamed(`send ${topic}`);
    expect(sends).toHaveLength(5);
    const linked = polls.flatMap((poll) => poll.links.map((link) => link.context.spanId));
    expect(new Set(linked)).toEqual(new Set(sends.map((send) => send.spanContext().spanId)));
    expect(
      polls.reduce(
        (sum, poll) => sum + Number(poll.attributes['messaging.batch.message_count']),
        0,
      ),
    ).toBe(5);

    // One process span per message, child of its poll span, linked to its own send span, and
    // timed by resolveOffset: each covers its ~20 ms of processing, one after the other.
    const processes = harness
      .spansNamed(`process ${topic}`)
      .sort((a, b) => Number(a.attributes['kafka.offset']) - Number(b.attributes['kafka.offset']));
    expect(processes.map((p) => p.attributes['kafka.offset'])).toEqual([0, 1, 2, 3, 4]);
    const pollIds = new Set(polls.map((poll) => poll.spanContext().spanId));
    const ms = (time: [number, number]) => time[0] * 1e3 + time[1] / 1e6;
    processes.forEach((process, index) => {
      expect(pollIds.has(process.parentSpanContext!.spanId)).toBe(true);
      const send = sends.find((s) => s.attributes['kafka.offset'] === index);
      expect(process.links.map((link) => link.context.spanId)).toEqual([
        send!.spanContext().spanId,
      ]);
      expect(ms(process.duration)).toBeGreaterThanOrEqual(15);
      if (index > 0) {
        expect(ms(process.startTime)).toBeGreaterThanOrEqual(ms(processes[index - 1]!.endTime) - 1);
      }
    });

    const [commit] = harness.spansNamed(`commit ${topic}`);
    const poll = polls.find((p) => p.spanContext().spanId === commit!.parentSpanContext?.spanId);
    expect(poll, 'the commit span is a child of the poll span it ran in').toBeDefined();
    expect(commit!.attributes).toMatchObject({
      'messaging.operation.name': 'commit',
      'messaging.operation.type': 'settle',
      'messaging.consumer.group.name': groupId,
    });
    expect(
      await harness.total('messaging.client.operation.duration', {
        'messaging.operation.name': 'commit',
        ...group(groupId),
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('ends every span it started, crashes included', () => {
    expect(harness.spanCounter.ended).toBe(harness.spanCounter.started);
  });
});
