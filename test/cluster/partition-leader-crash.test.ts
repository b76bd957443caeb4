/**
 * The leader of a partition crashes (SIGKILL) on three real nodes while an idempotent producer
 * writes to it and an instrumented consumer group reads it, and a cluster collector is
 * collected every second. The instrumentation must count exactly what KafkaJS acknowledged,
 * rejected and handed to the handler, leave no span open and throw nothing; the collector must
 * answer every collection within its deadline, show the node missing while it is down, as
 * docs/collectors.md describes, and return to a complete snapshot of three brokers after.
 */
import { diag, DiagLogLevel, SpanStatusCode, type DiagLogger } from '@opentelemetry/api';
import type { Admin, Consumer, EachMessagePayload, Kafka, Message, Producer } from 'kafkajs';
import { format, inspect } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KafkaClusterCollector } from '../../src';
import {
  CollectionWatch,
  totalOf,
  valueOf,
  pointsOf,
  type CollectionReading,
} from '../support/collection-watch';
import { instrumentKafkaJs } from '../support/instrumented-kafkajs';
import { randomGroup, randomTopic } from '../support/names';
import type { Point } from '../support/telemetry-harness';
import { crashNode } from '../support/node-crash';
import { waitFor } from '../support/wait-for';

// Before anything loads kafkajs: the launcher's readiness probe does, so scripts/local-kafka is
// imported only where a node is started, after this.
const { harness, kafkajs, createKafka, brokers, shutdown } = instrumentKafkaJs({
  // Request spans too: requests to the crashed node fail in every way a socket can.
  requestSpans: true,
});
const cluster = inject('localKafkaCluster') ?? 'test3';

const PARTITIONS = 6;
/** Steps of the sequence (a message per partition each) acknowledged before the crash, and in all. */
const STEPS_BEFORE_CRASH = 40;
const SEQUENCE_STEPS = 200;
/** Bounds of the production loop. */
const MAX_SEND_ATTEMPTS = 1_000;
const PRODUCTION_DEADLINE_MS = 100_000;
/** The application's pause before it sends a rejected record again. */
const RESEND_BACKOFF_MS = 200;
const SNAPSHOT_DEADLINE_MS = 5_000;
/** Past the snapshot deadline a collection has this long to render and return. */
const COLLECTION_GRACE_MS = 3_000;

const topic = randomTopic('leader-crash');
const groupId = randomGroup('leader-crash');
const collector = new KafkaClusterCollector({
  brokers,
  minSnapshotIntervalMs: 0,
  snapshotTimeoutMs: SNAPSHOT_DEADLINE_MS,
});
const watch = new CollectionWatch(collector, {
  intervalMs: 1_000,
  limitMs: SNAPSHOT_DEADLINE_MS + COLLECTION_GRACE_MS,
  maxReadings: 400,
});

/** What the application saw of its `send` calls. */
const production = {
  resolvedCalls: 0,
  rejectedCalls: 0,
  /** Messages acknowledged before the crash. */
  acknowledgedBeforeCrash: 0,
  /** Values of the messages KafkaJS's answer acknowledged (their partition, error code 0). */
  acknowledged: [] as string[],
  acknowledgedByPartition: new Array<number>(PARTITIONS).fill(0),
  /** Values of messages of a resolved call whose partition the answer left out. */
  unanswered: [] as string[],
  rejectedMessages: 0,
  rejections: new Map<string, number>(),
};
/** What the handler saw: every invocation, and where each value was read (partition:offset). */
const handling = { invocations: 0, positions: new Map<string, Set<string>>() };
/** Thrown or rejected anywhere in this process, unhandled: must stay empty. */
const faults: unknown[] = [];
const diagErrors: string[] = [];
const diagWarnings: string[] = [];

const recordFault = (fault: unknown) => faults.push(fault);
const diagLogger: DiagLogger = {
  error: (message, ...args) => diagErrors.push(format(message, ...args)),
  warn: (message, ...args) => diagWarnings.push(format(message, ...args)),
  info: () => undefined,
  debug: () => undefined,
  verbose: () => undefined,
};

let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let consumer: Consumer;
let victim: number | undefined;
let victimDown = false;
let crashedAt = 0;
let restartedAt = 0;

/** One step of the sequence: a message on every partition, so every send meets the victim. */
function sequenceStep(step: number): Message[] {
  return Array.from({ length: PARTITIONS }, (_, partition) => ({
    partition,
    key: String(step),
    value: `${step}/${partition}`,
  }));
}

/**
 * The application: sends the sequence in order until every step is acknowledged. What was not
 * acknowledged is sent again, unchanged: the whole call after a rejection (after a pause), and
 * the messages whose partition a resolved call's answer left out (KafkaJS 2.2.4 can resolve a
 * call without having written them, see below). Bounded in attempts and time.
 */
async function produce(): Promise<void> {
  const deadline = Date.now() + PRODUCTION_DEADLINE_MS;
  let step = 0;
  let pending: Message[] = [];
  for (let attempt = 0; attempt < MAX_SEND_ATTEMPTS && Date.now() < deadline; attempt++) {
    if (pending.length === 0) {
      if (step === SEQUENCE_STEPS) return;
      pending = sequenceStep(step++);
    }
    try {
      const answer = await producer.send({ topic, acks: -1, messages: pending });
      production.resolvedCalls++;
      const answered = new Set(
        answer.filter((entry) => entry.errorCode === 0).map((entry) => entry.partition),
      );
      pending = pending.filter((message) => {
        const partition = message.partition!;
        if (!answered.has(partition)) {
          production.unanswered.push(String(message.value));
          return true;
        }
        production.acknowledged.push(String(message.value));
        production.acknowledgedByPartition[partition]!++;
        return false;
      });
    } catch (error) {
      production.rejectedCalls++;
      production.rejectedMessages += pending.length;
      const name = rejectionName(error);
      production.rejections.set(name, (production.rejections.get(name) ?? 0) + 1);
      await sleep(RESEND_BACKOFF_MS);
    }
  }
}

/** The rejection and what KafkaJS's retrier wrapped in it, e.g. `A(B)`, for the run's log. */
function rejectionName(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const cause = error.cause instanceof Error ? `(${error.cause.name})` : '';
  return `${error.name}${cause}`;
}

/** The handler: counts every invocation (redeliveries included) and never throws. */
function handle({ partition, message }: EachMessagePayload): Promise<void> {
  handling.invocations++;
  const value = message.value?.toString() ?? '';
  const positions = handling.positions.get(value) ?? new Set<string>();
  positions.add(`${partition}:${message.offset}`);
  handling.positions.set(value, positions);
  return Promise.resolve();
}

/** Every broker reports a leader and a full ISR for every partition of the topic. */
async function topicReadyEverywhere(): Promise<boolean> {
  const ready = await Promise.all(
    brokers.map(async (broker) => {
      const probe = new kafkajs.Kafka({
        clientId: 'leader-crash-probe',
        brokers: [broker],
        logLevel: kafkajs.logLevel.NOTHING,
        retry: { retries: 0 },
      }).admin();
      try {
        await probe.connect();
        const { topics } = await probe.fetchTopicMetadata({ topics: [topic] });
        const partitions = topics[0]?.partitions ?? [];
        return (
          partitions.length === PARTITIONS &&
          partitions.every((p) => p.leader >= 0 && p.isr.length === 3)
        );
      } finally {
        await probe.disconnect();
      }
    }),
  );
  return ready.every(Boolean);
}

/** The first reading since `since` that satisfies `condition`, waiting for the watch. */
async function readingSince(
  since: number,
  condition: (reading: CollectionReading) => boolean,
  description: string,
  timeoutMs: number,
): Promise<CollectionReading> {
  try {
    return await waitFor(
      () => watch.readings.find((reading) => reading.startedAt >= since && condition(reading)),
      { timeoutMs, intervalMs: 250, description },
    );
  } catch (error) {
    const latest = watch.latest();
    throw new Error(
      `${(error as Error).message}; last of ${watch.readings.length} collections: ` +
        (latest ? describeReading(latest) : 'none') +
        `; last collector warning: ${diagWarnings.at(-1) ?? 'none'}`,
      { cause: error },
    );
  }
}

/** A collection in one line, for failure messages. */
function describeReading(reading: CollectionReading): string {
  const errors = pointsOf(reading, 'kafka.collector.scrape.errors')
    .map((point) => `${String(point.attributes.phase)}=${point.value}`)
    .join(',');
  return (
    `up=${valueOf(reading, 'kafka.collector.up')} brokers=[${listedBrokers(reading).join(',')}] ` +
    `scrape errors {${errors}} took ${Math.round(reading.elapsedMs)} ms` +
    (reading.failure === undefined ? '' : ` threw ${inspect(reading.failure)}`) +
    (reading.hung ? ' (hung)' : '')
  );
}

const sum = (points: Point[]) => points.reduce((total, point) => total + point.value, 0);
/** Point values summed by their `error.type` (undefined: succeeded). */
function byErrorType(points: Point[]): Map<string | undefined, number> {
  const totals = new Map<string | undefined, number>();
  for (const point of points) {
    const errorType = point.attributes['error.type'] as string | undefined;
    totals.set(errorType, (totals.get(errorType) ?? 0) + point.value);
  }
  return totals;
}

const ofTopic = (partition: number) => ({ topic, partition });
/** Broker ids the snapshot's Metadata listed: every listed broker has a leader_count series. */
const listedBrokers = (reading: CollectionReading) =>
  pointsOf(reading, 'kafka.broker.leader_count')
    .map((point) => Number(point.attributes.broker))
    .sort((a, b) => a - b);
const scrapeErrors = (reading: CollectionReading) =>
  totalOf(reading, 'kafka.collector.scrape.errors');

beforeAll(async () => {
  process.on('uncaughtException', recordFault);
  process.on('unhandledRejection', recordFault);
  diag.setLogger(diagLogger, DiagLogLevel.WARN);
  kafka = createKafka('leader-crash');
  admin = kafka.admin();
  await admin.connect();
  collector.start();
  watch.start();
  // Earlier files of this suite stop and restart nodes: start from a whole, complete cluster.
  await readingSince(
    0,
    (reading) =>
      valueOf(reading, 'kafka.collector.up') === 1 && listedBrokers(reading).length === 3,
    'a complete snapshot of three brokers',
    90_000,
  );
  await admin.createTopics({
    topics: [
      {
        topic,
        numPartitions: PARTITIONS,
        replicationFactor: 3,
        // acks=all then needs two replicas: one node may go, a second may not.
        configEntries: [{ name: 'min.insync.replicas', value: '2' }],
      },
    ],
    waitForLeaders: false,
  });
  await waitFor(topicReadyEverywhere, {
    description: `${topic} led and fully in sync on every broker`,
    timeoutMs: 30_000,
    intervalMs: 200,
  });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: handle });
});

afterAll(async () => {
  await watch.stop();
  await producer?.disconnect().catch(() => undefined);
  await consumer?.disconnect().catch(() => undefined);
  await collector.stop();
  // Whatever failed above, later files of the suite get their three nodes back.
  if (victimDown && victim !== undefined) {
    const { startNode } = await import('../../scripts/local-kafka');
    await startNode({ cluster, node: victim });
  }
  await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin?.disconnect().catch(() => undefined);
  process.off('uncaughtException', recordFault);
  process.off('unhandledRejection', recordFault);
  diag.disable();
  await shutdown();
});

describe('a partition leader crashes during idempotent production and consumption', () => {
  it('acknowledges the whole sequence through the crash and consumes every acknowledged message', async () => {
    const producing = produce();
    await waitFor(
      () =>
        production.acknowledged.length >= STEPS_BEFORE_CRASH * PARTITIONS &&
        handling.invocations > 0,
      { description: 'production and consumption under way', timeoutMs: 60_000 },
    );
    // A partition leader that is not the KRaft quorum leader: the metadata quorum keeps its
    // leader, the client's connections to the survivors stay up, and a call in flight is retried
    // (without end: the idempotent producer's default) until the controller fences the node
    // and moves its partitions, every time. (Crashing the quorum leader as well adds a
    // controller election; KafkaJS then also rejects calls while it reconnects.)
    const quorumLeader = valueOf(watch.latest()!, 'kafka.quorum.leader');
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const led = topics[0]!.partitions
      .filter((p) => p.leader !== quorumLeader)
      .sort((a, b) => a.partitionId - b.partitionId)[0]!;
    victim = led.leader;
    expect([1, 2, 3]).toContain(victim);
    production.acknowledgedBeforeCrash = production.acknowledged.length;
    await crashNode({ cluster, node: victim });
    victimDown = true;
    crashedAt = Date.now();
    await producing;
    const rejections = [...production.rejections].map(([name, count]) => `${name} x${count}`);
    console.log(
      `[leader-crash] SIGKILLed node ${victim} (leader of partition ${led.partitionId}; quorum leader ` +
        `${quorumLeader}) after ${production.acknowledgedBeforeCrash} acknowledged messages; ` +
        `${production.resolvedCalls} send calls resolved, ${production.rejectedCalls} rejected ` +
        `(${rejections.join(', ')}), ${production.acknowledged.length} messages acknowledged, ` +
        `${production.unanswered.length} left unanswered by a resolved call ` +
        `[${production.unanswered.join(' ')}], ${((Date.now() - crashedAt) / 1000).toFixed(1)} s ` +
        `after the crash`,
    );

    // Every call after the crash had a message for each partition the dead node led: the
    // sequence was acknowledged in full only through new leaders.
    expect(production.acknowledged).toHaveLength(SEQUENCE_STEPS * PARTITIONS);
    expect(new Set(production.acknowledged).size).toBe(SEQUENCE_STEPS * PARTITIONS);
    expect(production.acknowledgedBeforeCrash).toBeLessThan(SEQUENCE_STEPS * PARTITIONS);

    // No loss: every acknowledged message reaches the handler at least once (at least once:
    // redeliveries after the crash, and messages of a rejected call that did land, come too).
    const missing = () => production.acknowledged.filter((value) => !handling.positions.has(value));
    await waitFor(() => missing().length === 0, {
      description: 'every acknowledged message handled',
      timeoutMs: 90_000,
      intervalMs: 250,
    }).catch((error: Error) => {
      throw new Error(`${error.message}; missing: ${missing().slice(0, 20).join(' ')}`);
    });
    await producer.disconnect();
    await consumer.disconnect();
    const copies = (value: string) => handling.positions.get(value)?.size ?? 0;
    const written = [...handling.positions.values()].reduce((n, at) => n + at.size, 0);
    const twice = [...handling.positions].filter(([, at]) => at.size > 1);
    console.log(
      `[leader-crash] handled ${handling.invocations} times: ${written} records read, ` +
        `${handling.invocations - written} redeliveries; values written more than once: ` +
        `[${twice.map(([value, at]) => `${value}@${[...at].join(',')}`).join(' ')}]; copies in ` +
        `the log of the unanswered values: [${production.unanswered.map(copies).join(' ')}]`,
    );
  });

  it('collector: reports the crashed node missing and its partitions under-replicated', async () => {
    // The controller fences the node once its broker session times out (9 s by default) and
    // moves leadership and the ISR then: a complete snapshot follows, without the node.
    const down = await readingSince(
      crashedAt,
      (reading) =>
        valueOf(reading, 'kafka.collector.up') === 1 &&
        valueOf(reading, 'kafka.brokers') === 2 &&
        Array.from({ length: PARTITIONS }, (_, partition) => partition).every(
          (partition) =>
            valueOf(reading, 'kafka.partition.replicas_in_sync', ofTopic(partition)) === 2,
        ),
      'a complete snapshot with the node missing and every ISR shrunk',
      60_000,
    );
    expect(listedBrokers(down)).toEqual([1, 2, 3].filter((node) => node !== victim));
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const where = ofTopic(partition);
      const leader = valueOf(down, 'kafka.partition.leader', where);
      expect(leader, `leader of ${partition}`).not.toBe(victim);
      expect([1, 2, 3], `leader of ${partition}`).toContain(leader);
      expect(valueOf(down, 'kafka.partition.replicas', where), `${partition}`).toBe(3);
      // Led, ISR (2) < replicas (3): under-replicated; not offline; min.insync.replicas 2 met.
      expect(valueOf(down, 'kafka.partition.under_replicated', where), `${partition}`).toBe(1);
      expect(valueOf(down, 'kafka.partition.offline', where), `${partition}`).toBe(0);
      expect(valueOf(down, 'kafka.partition.under_min_isr', where), `${partition}`).toBe(0);
    }
    // Cluster totals are the per-partition states summed (internal topics are not reported).
    for (const state of ['under_replicated', 'offline', 'under_min_isr']) {
      expect(valueOf(down, `kafka.cluster.partitions.${state}`), state).toBe(
        totalOf(down, `kafka.partition.${state}`),
      );
    }
    expect(valueOf(down, 'kafka.cluster.partitions.under_replicated')).toBeGreaterThanOrEqual(
      PARTITIONS,
    );
    // Leaders are counted per listed broker: every led partition once, none by the dead node.
    expect(totalOf(down, 'kafka.broker.leader_count')).toBe(
      pointsOf(down, 'kafka.partition.leader').filter((point) => point.value >= 0).length,
    );

    // Until the controller fenced it, Metadata still listed the dead node: a snapshot that asked
    // it anything (DescribeLogDirs goes to every listed broker) cannot have been complete.
    const listingTheDead = watch.readings.filter(
      (reading) =>
        reading.startedAt >= crashedAt &&
        reading.startedAt < down.startedAt &&
        listedBrokers(reading).includes(victim!),
    );
    for (const reading of listingTheDead) {
      expect(valueOf(reading, 'kafka.collector.up')).toBe(0);
      expect(scrapeErrors(reading)).toBeGreaterThan(0);
    }
    console.log(
      `[leader-crash] collector: ${listingTheDead.length} incomplete snapshot(s) still listing ` +
        `node ${victim}, a complete one without it ${((down.startedAt - crashedAt) / 1000).toFixed(1)} s after the crash`,
    );
  });

  it('collector: back to complete with three brokers after the node restarts', async () => {
    const { startNode } = await import('../../scripts/local-kafka');
    await startNode({ cluster, node: victim! });
    victimDown = false;
    restartedAt = Date.now();
    const healthy = await readingSince(
      restartedAt,
      (reading) =>
        valueOf(reading, 'kafka.collector.up') === 1 &&
        valueOf(reading, 'kafka.brokers') === 3 &&
        valueOf(reading, 'kafka.cluster.partitions.under_replicated') === 0,
      'a complete snapshot of three brokers, nothing under-replicated',
      120_000,
    );
    expect(listedBrokers(healthy)).toEqual([1, 2, 3]);
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const where = ofTopic(partition);
      expect(valueOf(healthy, 'kafka.partition.replicas_in_sync', where), `${partition}`).toBe(3);
      expect(valueOf(healthy, 'kafka.partition.under_replicated', where), `${partition}`).toBe(0);
      expect(valueOf(healthy, 'kafka.partition.offline', where), `${partition}`).toBe(0);
    }
  });

  it('collector: every collection returned within its deadline, and up said whether it was complete', async () => {
    await watch.stop();
    const { readings } = watch;
    for (const [index, reading] of readings.entries()) {
      const label = `collection ${index} at +${((reading.startedAt - crashedAt) / 1000).toFixed(1)} s`;
      expect(reading.failure, label).toBeUndefined();
      expect(reading.hung, label).toBe(false);
      expect(reading.errors, label).toEqual([]);
      // kafka.collector.scrape.errors is cumulative: this snapshot's errors are the increase.
      const previous = index === 0 ? 0 : scrapeErrors(readings[index - 1]!);
      const errors = scrapeErrors(reading) - previous;
      expect(valueOf(reading, 'kafka.collector.up'), label).toBe(errors === 0 ? 1 : 0);
    }
    // It kept reporting throughout: before the crash, while the node was down, after.
    expect(readings.some((r) => r.startedAt < crashedAt)).toBe(true);
    expect(readings.some((r) => r.startedAt >= crashedAt && r.startedAt < restartedAt)).toBe(true);
    expect(readings.some((r) => r.startedAt >= restartedAt)).toBe(true);
    // One warning each time the snapshot became incomplete (the first collection included).
    const becameIncomplete = readings.filter(
      (reading, index) =>
        valueOf(reading, 'kafka.collector.up') === 0 &&
        (index === 0 || valueOf(readings[index - 1]!, 'kafka.collector.up') === 1),
    ).length;
    expect(diagWarnings.filter((line) => line.includes('incomplete'))).toHaveLength(
      becameIncomplete,
    );
    const slowest = Math.max(...readings.map((reading) => reading.elapsedMs));
    console.log(
      `[leader-crash] collector: ${readings.length} collections, ${readings.filter((r) => valueOf(r, 'kafka.collector.up') === 0).length} incomplete, slowest ${(slowest / 1000).toFixed(1)} s`,
    );
  });

  it('instrumentation: sent, consumed and processed counts equal what KafkaJS acknowledged, rejected and handed over', async () => {
    const destination = { 'messaging.destination.name': topic };
    const sent = await harness.points('messaging.client.sent.messages', destination);
    const sentBy = byErrorType(sent);
    const acknowledged = production.acknowledged.length;
    const notAcknowledged = production.rejectedMessages + production.unanswered.length;
    // Every message handed to KafkaJS is counted once: without error.type the ones its answers
    // acknowledged, partition by partition; with one the others. Those are the messages of
    // rejected calls, and any a resolved call left unanswered: KafkaJS 2.2.4 keeps, across the
    // retries of a call, the answers of brokers that answered an earlier attempt, and sends
    // nothing more to such a broker when it has meanwhile become the leader of a partition of
    // the failed one (tulios/kafkajs#1303). The call resolves, its answer without that
    // partition, whose messages were never written.
    expect.soft(sum(sent), 'handed to KafkaJS').toBe(acknowledged + notAcknowledged);
    expect.soft(sentBy.get(undefined), 'sent').toBe(acknowledged);
    expect.soft(sum(sent) - (sentBy.get(undefined) ?? 0), 'failed to send').toBe(notAcknowledged);
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const onPartition = sent.filter(
        (point) =>
          point.attributes['error.type'] === undefined &&
          point.attributes['messaging.destination.partition.id'] === String(partition),
      );
      expect
        .soft(sum(onPartition), `sent to partition ${partition}`)
        .toBe(production.acknowledgedByPartition[partition]);
    }

    // Send calls: a duration point each, with error.type exactly on the rejected ones.
    const calls = await harness.points('messaging.client.operation.duration', {
      ...destination,
      'messaging.operation.name': 'send',
    });
    const callsBy = byErrorType(calls);
    expect.soft(callsBy.get(undefined) ?? 0, 'resolved calls').toBe(production.resolvedCalls);
    expect
      .soft(sum(calls) - (callsBy.get(undefined) ?? 0), 'rejected calls')
      .toBe(production.rejectedCalls);
    const byType = (totals: Map<string | undefined, number>) =>
      [...totals].map(([type, count]) => `${type ?? 'none'} x${count}`).join(', ');
    console.log(
      `[leader-crash] send calls by error.type: ${byType(callsBy)}; messages: ${byType(sentBy)}`,
    );

    // Consumed and processed count handler invocations, redeliveries included: at least once.
    const consumed = { ...destination, 'messaging.consumer.group.name': groupId };
    expect
      .soft(await harness.total('messaging.client.consumed.messages', consumed))
      .toBe(handling.invocations);
    const processed = await harness.points('messaging.process.duration', consumed);
    expect.soft(sum(processed)).toBe(handling.invocations);
    expect
      .soft(processed.filter((point) => point.attributes['error.type'] !== undefined))
      .toEqual([]);

    // One PRODUCER span per message handed to KafkaJS, failed exactly on those not
    // acknowledged, and the others with the offset Kafka gave them; one CONSUMER span per handler
    // invocation.
    const sendSpans = harness.spansNamed(`send ${topic}`);
    const failedSpans = sendSpans.filter((span) => span.status.code === SpanStatusCode.ERROR);
    const withoutOffset = sendSpans.filter(
      (span) =>
        span.status.code !== SpanStatusCode.ERROR && span.attributes['kafka.offset'] === undefined,
    );
    expect.soft(sendSpans).toHaveLength(acknowledged + notAcknowledged);
    expect.soft(failedSpans).toHaveLength(notAcknowledged);
    expect
      .soft(
        withoutOffset.map(
          (span) =>
            `${String(span.attributes['kafka.message.key'])}/${String(span.attributes['messaging.destination.partition.id'])}`,
        ),
        'succeeded without an offset',
      )
      .toEqual([]);
    expect.soft(harness.spansNamed(`process ${topic}`)).toHaveLength(handling.invocations);
  });

  it('instrumentation: leaves no span open and throws nothing', async () => {
    // Every client closed (a no-op for those already closed): nothing is in flight.
    await producer.disconnect();
    await consumer.disconnect();
    await collector.stop();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
    const { started, ended } = harness.spanCounter;
    console.log(`[leader-crash] spans: ${started} started, ${ended} ended`);
    expect(started).toBeGreaterThan(0);
    expect(ended).toBe(started);
    expect(faults).toEqual([]);
    expect(diagErrors).toEqual([]);
  });
});
