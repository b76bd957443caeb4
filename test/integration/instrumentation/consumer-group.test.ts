/**
 * Consumer group telemetry on the real broker: rebalances of a two-member group, the exact lag a
 * consumer's batches leave and its fall to 0 after catch-up, crashes, commits and eachBatch spans.
 */
import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kafkaSeeingHandlerErrors } from '../../support/handler-errors';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup } from '../../support/names';
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { waitFor } from '../../support/wait-for';

const { harness, kafkajs, brokers, createKafka, createTopic, shutdown } = instrumentKafkaJs();
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

  it('reports the lag each batch leaves per partition, exactly, and brings it to 0 after catch-up', async () => {
    // Four sends of 5 messages per partition: each send is one record batch in each partition's
    // log, and a fetch smaller than one record batch makes the broker return one at a time. So
    // the first batch KafkaJS delivers leaves the rest of the partition behind it.
    const topic = await createTopic(2, 'group');
    const perPartition = 20;
    for (let sent = 0; sent < perPartition; sent += 5) {
      await producer.send({
        topic,
        messages: [0, 1].flatMap((partition) =>
          Array.from({ length: 5 }, (_, i) => ({ partition, value: `p${partition}-${sent + i}` })),
        ),
      });
    }
    const groupId = randomGroup('lag');
    const member = consumer(groupId, { maxBytesPerPartition: 64 });
    await member.connect();
    await member.subscribe({ topic, fromBeginning: true });

    // Each partition pauses after its first batch: the lag of that batch stays the last one seen.
    const firstBatches = new Map<number, { highWatermark: string; offsets: string[] }>();
    let batches = 0;
    let delivered = 0;
    await member.run({
      eachBatch: (payload) => {
        const { batch } = payload;
        batches++;
        delivered += batch.messages.length;
        if (!firstBatches.has(batch.partition)) {
          firstBatches.set(batch.partition, {
            highWatermark: batch.highWatermark,
            offsets: batch.messages.map((message) => message.offset),
          });
          payload.pause();
        }
        return Promise.resolve();
      },
    });
    const lagOf = () =>
      harness.points('kafka.consumer.lag', {
        ...group(groupId),
        'messaging.destination.name': topic,
      });
    const byPartition = (points: { attributes: Attributes; value: number }[]) =>
      Object.fromEntries(
        points.map((p) => [String(p.attributes['messaging.destination.partition.id']), p.value]),
      );

    // KafkaJS reports a batch's end (and the instrumentation takes its lag) before it fetches
    // again, so once both partitions are paused their lags are the first batches'.
    await waitFor(() => firstBatches.size === 2, { description: 'a first batch per partition' });
    await waitFor(async () => (await lagOf()).length === 2, { description: 'two lag series' });
    // The first batch of each partition is its first send, offsets 0 to 4, with all 20 messages
    // in the log: 15 left behind it on each partition.
    const firstBatch = { highWatermark: '20', offsets: ['0', '1', '2', '3', '4'] };
    expect(firstBatches).toEqual(
      new Map([
        [0, firstBatch],
        [1, firstBatch],
      ]),
    );
    expect(byPartition(await lagOf())).toEqual({ '0': 15, '1': 15 });

    member.resume([{ topic, partitions: [0, 1] }]);
    await waitFor(
      async () => {
        const points = await lagOf();
        return points.length === 2 && points.every((p) => p.value === 0);
      },
      { description: 'lag 0 on both partitions' },
    );
    expect(byPartition(await lagOf())).toEqual({ '0': 0, '1': 0 });
    expect(delivered).toBe(2 * perPartition);
    expect(
      await harness.total('messaging.client.consumed.messages', {
        ...group(groupId),
        'messaging.destination.name': topic,
      }),
    ).toBe(2 * perPartition);
    // Auto-commit sends one commit after each batch (each resolved new offsets).
    await waitFor(
      async () => (await harness.total('kafka.consumer.commits', group(groupId))) === batches,
      { description: `${batches} offset commits, one per batch` },
    );
  });

  it('counts a crash with its restart flag, fails its span, gives KafkaJS the very error thrown and ends every span', async () => {
    const { started, ended } = harness.spanCounter;
    const topic = await topicWith(1, 1);
    const groupId = randomGroup('crash');
    const failure = new Error('payment service down');
    const crashes: unknown[] = [];
    const seenByKafkaJs = kafkaSeeingHandlerErrors(kafkajs, brokers);
    const member = seenByKafkaJs.kafka.consumer({
      groupId,
      maxWaitTimeInMs: 100,
      heartbeatInterval: 500,
      retry: { retries: 0, initialRetryTime: 100 },
    });
    clients.push(member);
    member.on(member.events.CRASH, (event) => crashes.push(event.payload.error));
    await member.connect();
    await member.subscribe({ topic, fromBeginning: true });
    // The first delivery fails; KafkaJS restarts the consumer and delivers the message again.
    let calls = 0;
    await member.run({
      eachMessage: () => (++calls === 1 ? Promise.reject(failure) : Promise.resolve()),
    });
    await waitFor(() => harness.spansNamed(`process ${topic}`).length === 2, {
      description: 'the failed delivery and the one after the restart',
    });
    await member.disconnect();
    expect(calls).toBe(2);

    expect(await harness.points('kafka.consumer.crashes', group(groupId))).toEqual([
      {
        attributes: {
          'messaging.system': 'kafka',
          'messaging.consumer.group.name': groupId,
          'error.type': 'Error',
          'kafka.consumer.restart': true,
        },
        value: 1,
      },
    ]);
    // The runner caught the handler's very object; its retrier wrapped that object, as is, as the
    // cause of the crash error (KafkaJS's own wrapper, the same without instrumentation).
    expect(seenByKafkaJs.caught).toHaveLength(1);
    expect(seenByKafkaJs.caught[0]).toBe(failure);
    expect(crashes).toHaveLength(1);
    expect((crashes[0] as Error).name).toBe('KafkaJSNumberOfRetriesExceeded');
    expect((crashes[0] as Error).cause).toBe(failure);

    const [failed, redelivered] = harness.spansNamed(`process ${topic}`);
    expect(failed!.status).toEqual({ code: SpanStatusCode.ERROR, message: failure.message });
    expect(failed!.attributes['error.type']).toBe('Error');
    expect(
      failed!.events.map((event) => [event.name, event.attributes?.['exception.message']]),
    ).toEqual([['exception', failure.message]]);
    expect(redelivered!.status.code).toBe(SpanStatusCode.UNSET);
    expect(redelivered!.attributes['error.type']).toBeUndefined();
    const handlerCalls = await harness.points('messaging.process.duration', {
      'messaging.destination.name': topic,
    });
    expect(handlerCalls.map((p) => [p.attributes['error.type'], p.value])).toEqual(
      expect.arrayContaining([
        ['Error', 1],
        [undefined, 1],
      ]),
    );
    expect(handlerCalls).toHaveLength(2);

    // This test's spans: the send and the two process spans, the failed one included, all ended.
    expect(harness.spanCounter.started - started).toBe(3);
    expect(harness.spanCounter.ended - ended).toBe(3);
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

    // One send of 5 messages is one record batch, delivered as one batch: one poll span.
    const polls = harness.spansNamed(`poll ${topic}`);
    expect(polls).toHaveLength(1);
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

    const commits = harness.spansNamed(`commit ${topic}`);
    expect(commits).toHaveLength(1);
    const [commit] = commits;
    const poll = polls.find((p) => p.spanContext().spanId === commit!.parentSpanContext?.spanId);
    expect(poll, 'the commit span is a child of the poll span it ran in').toBeDefined();
    expect(commit!.attributes).toMatchObject({
      'messaging.operation.name': 'commit',
      'messaging.operation.type': 'settle',
      'messaging.consumer.group.name': groupId,
    });
    // The one batch's explicit commit is the group's only one: auto-commit is off.
    expect(
      await harness.total('messaging.client.operation.duration', {
        'messaging.operation.name': 'commit',
        ...group(groupId),
      }),
    ).toBe(1);
  });
});
