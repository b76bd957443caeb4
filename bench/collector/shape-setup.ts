/**
 * Puts a cluster in the benchmark's shape, or finds it already there: the shape's topics (with
 * the replication the cluster allows), a few records on every partition, and every group's
 * committed offsets, each behind the log end. Every step checks first and does only what is
 * missing, so a second run on the same cluster takes seconds instead of minutes. On the bench's
 * own cluster, bench topics and groups of another shape are deleted, so that it holds one shape
 * at a time; on brokers the user named, only this shape's names are touched.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { BenchError } from '../errors';
import {
  committedOffset,
  SHAPE_NAME_PREFIX,
  type ShapeGroup,
  type ShapeLayout,
  type ShapeTopic,
} from './cluster-shape';
import { GroupOffsetCommitter } from './group-offset-committer';

type Log = (line: string) => void;

/** Topics per CreateTopics request: a few thousand replicas per controller round. */
const CREATE_BATCH_TOPICS = 10;
/** Topics per produce round: KafkaJS sends one request per broker for all of them. */
const PRODUCE_BATCH_TOPICS = 10;
/** Groups checked or committed at a time. */
const GROUP_CONCURRENCY = 8;
/** How long new topics may take to get a leader on every partition. */
const LEADER_TIMEOUT_MS = 180_000;
const ADMIN_TIMEOUT_MS = 120_000;
/** Leaders on their preferred replica above this share count as balanced. */
const BALANCED_SHARE = 0.9;
/** Longer than Kafka's leader.imbalance.check.interval.seconds (300). */
const BALANCE_TIMEOUT_MS = 420_000;

/** What the cluster holds once the shape is in place, for the report. */
export interface ShapeState {
  replicationFactor: number;
  /** Share of the shape's partitions led by their preferred (first) replica, 0 to 1. */
  preferredLeaderShare: number;
  messagesPerPartition: number;
  /** What this run had to do: 'reused' when nothing at all. */
  work: string;
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * `task`, tried again on failure (new topics answer NOT_LEADER until every broker's metadata
 * has caught up, and KafkaJS's offset lookup throws a TypeError while its own metadata lacks a
 * new topic), at most `attempts` times.
 */
async function retrying<T>(task: () => Promise<T>, attempts = 30): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(1_000);
    }
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class ShapeSetup {
  private readonly kafka: Kafka;
  private readonly admin: Admin;

  constructor(
    brokers: string[],
    private readonly log: Log,
  ) {
    this.kafka = new Kafka({
      clientId: 'kafka-otel-bench-setup',
      brokers,
      logLevel: logLevel.NOTHING,
      requestTimeout: 60_000,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
    this.admin = this.kafka.admin();
  }

  async ensure(
    layout: ShapeLayout,
    options: {
      replicationFactor: number;
      messagesPerPartition: number;
      /** Delete bench topics and groups of other shapes (only on the bench's own cluster). */
      removeOtherShapes: boolean;
    },
  ): Promise<ShapeState> {
    const work: string[] = [];
    try {
      await this.admin.connect();
    } catch (error) {
      throw new BenchError(`Cannot reach Kafka to set up the shape: ${(error as Error).message}`);
    }
    try {
      const rf = options.replicationFactor;
      const removed = await this.removeMisfits(layout, rf, options.removeOtherShapes);
      if (removed) work.push(removed);
      const created = await this.createMissingTopics(layout.topics, rf);
      if (created > 0) work.push(`created ${created} topic(s)`);
      const filled = await this.fillTopics(layout.topics, options.messagesPerPartition);
      if (filled > 0) work.push(`filled ${filled} topic(s)`);
      const committed = await this.commitGroups(layout.groups, options.messagesPerPartition);
      if (committed > 0) work.push(`committed offsets of ${committed} group(s)`);
      const preferredLeaderShare = await this.waitForBalancedLeaders(layout.topics);
      return {
        replicationFactor: rf,
        preferredLeaderShare,
        messagesPerPartition: options.messagesPerPartition,
        work: work.length > 0 ? work.join(', ') : 'reused',
      };
    } finally {
      await this.admin.disconnect().catch(() => undefined);
    }
  }

  /**
   * Deletes this shape's topics of the wrong form (partitions, replication) and, when
   * `otherShapes`, the bench topics and groups of other shapes.
   */
  private async removeMisfits(
    layout: ShapeLayout,
    rf: number,
    otherShapes: boolean,
  ): Promise<string | undefined> {
    const wanted = new Map(layout.topics.map((t) => [t.name, t]));
    const benchTopics = (await this.admin.listTopics()).filter((t) =>
      t.startsWith(SHAPE_NAME_PREFIX),
    );
    const present = benchTopics.filter((t) => wanted.has(t));
    const misfits = new Set(otherShapes ? benchTopics.filter((t) => !wanted.has(t)) : []);
    for (const batch of chunks(present, 50)) {
      const { topics } = await this.admin.fetchTopicMetadata({ topics: batch });
      for (const topic of topics) {
        const expected = wanted.get(topic.name);
        const ok =
          expected !== undefined &&
          topic.partitions.length === expected.partitions &&
          topic.partitions.every((p) => p.replicas.length === rf);
        if (!ok) misfits.add(topic.name);
      }
    }
    const wantedGroups = new Set(layout.groups.map((g) => g.name));
    const { groups } = await this.admin.listGroups();
    const strayGroups = otherShapes
      ? groups
          .map((g) => g.groupId)
          .filter((g) => g.startsWith(SHAPE_NAME_PREFIX) && !wantedGroups.has(g))
      : [];
    if (misfits.size === 0 && strayGroups.length === 0) return undefined;
    this.log(
      `Deleting ${misfits.size} topic(s) and ${strayGroups.length} group(s) of another shape or form...`,
    );
    for (const batch of chunks(strayGroups, 100)) await this.admin.deleteGroups(batch);
    if (misfits.size > 0) {
      await this.admin.deleteTopics({ topics: [...misfits], timeout: ADMIN_TIMEOUT_MS });
      await this.waitUntilGone([...misfits]);
    }
    return `deleted ${misfits.size} topic(s) and ${strayGroups.length} group(s) of another shape or form`;
  }

  private async waitUntilGone(topics: string[]): Promise<void> {
    const deadline = Date.now() + LEADER_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const left = new Set(await this.admin.listTopics());
      if (!topics.some((t) => left.has(t))) return;
      await sleep(500);
    }
    throw new BenchError(`Deleted bench topics still exist after ${LEADER_TIMEOUT_MS / 1000} s.`);
  }

  private async createMissingTopics(topics: ShapeTopic[], rf: number): Promise<number> {
    const existing = new Set(await this.admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length === 0) return 0;
    const partitions = missing.reduce((sum, t) => sum + t.partitions, 0);
    this.log(`Creating ${missing.length} topic(s), ${partitions} partitions, RF ${rf}...`);
    for (const batch of chunks(missing, CREATE_BATCH_TOPICS)) {
      await this.admin.createTopics({
        topics: batch.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: rf,
        })),
        waitForLeaders: false,
        timeout: ADMIN_TIMEOUT_MS,
      });
    }
    await this.waitForLeaders(missing);
    return missing.length;
  }

  private async waitForLeaders(topics: ShapeTopic[]): Promise<void> {
    const deadline = Date.now() + LEADER_TIMEOUT_MS;
    let pending = topics;
    while (pending.length > 0) {
      const still: ShapeTopic[] = [];
      for (const batch of chunks(pending, 50)) {
        try {
          const { topics: found } = await this.admin.fetchTopicMetadata({
            topics: batch.map((t) => t.name),
          });
          for (const topic of batch) {
            const meta = found.find((f) => f.name === topic.name);
            const ready =
              meta !== undefined &&
              meta.partitions.length === topic.partitions &&
              meta.partitions.every((p) => p.leader >= 0);
            if (!ready) still.push(topic);
          }
        } catch {
          // UNKNOWN_TOPIC_OR_PARTITION until the new topics reach the brokers' metadata.
          still.push(...batch);
        }
      }
      pending = still;
      if (pending.length === 0) return;
      if (Date.now() > deadline) {
        throw new BenchError(
          `${pending.length} new topic(s) have no leader on every partition after ${LEADER_TIMEOUT_MS / 1000} s.`,
        );
      }
      await sleep(500);
    }
  }

  /** Share of partitions whose leader is their preferred (first) replica. */
  private async preferredLeaderShare(topics: ShapeTopic[]): Promise<number> {
    let preferred = 0;
    let total = 0;
    for (const batch of chunks(topics, 50)) {
      const { topics: found } = await this.admin.fetchTopicMetadata({
        topics: batch.map((t) => t.name),
      });
      for (const topic of found) {
        for (const p of topic.partitions) {
          total++;
          if (p.leader === p.replicas[0]) preferred++;
        }
      }
    }
    return total === 0 ? 1 : preferred / total;
  }

  /**
   * Waits (bounded) until the partitions' leaders are spread as assigned. Nodes restarted one
   * after the other leave every leader on the node that came up first until the controller's
   * periodic preferred-leader election (every 300 s by default) moves them back; measured in
   * between, one broker would answer every request.
   */
  private async waitForBalancedLeaders(topics: ShapeTopic[]): Promise<number> {
    const deadline = Date.now() + BALANCE_TIMEOUT_MS;
    let share = await this.preferredLeaderShare(topics);
    if (share >= BALANCED_SHARE) return share;
    this.log(
      `Only ${(share * 100).toFixed(0)}% of the partitions are led by their preferred replica; waiting up to ${BALANCE_TIMEOUT_MS / 1000} s for Kafka's leader rebalance...`,
    );
    while (Date.now() < deadline) {
      await sleep(5_000);
      share = await this.preferredLeaderShare(topics);
      if (share >= BALANCED_SHARE) return share;
    }
    this.log(
      `Leaders still unbalanced (${(share * 100).toFixed(0)}% preferred): measuring anyway.`,
    );
    return share;
  }

  /** Writes records until every partition holds `messages` (topics already full are skipped). */
  private async fillTopics(topics: ShapeTopic[], messages: number): Promise<number> {
    const short: Array<{ topic: ShapeTopic; missing: Map<number, number> }> = [];
    // A fresh admin client: KafkaJS looks partition leaders up in metadata it cached before the
    // topics existed, and does not refresh it on NOT_LEADER; on failure, another fresh one.
    let admin = this.kafka.admin();
    await admin.connect();
    try {
      for (const topic of topics) {
        const offsets = await retrying(async () => {
          try {
            return await admin.fetchTopicOffsets(topic.name);
          } catch (error) {
            await admin.disconnect().catch(() => undefined);
            admin = this.kafka.admin();
            await admin.connect();
            throw error;
          }
        });
        const missing = new Map<number, number>();
        for (const p of offsets) {
          const held = Number(p.high) - Number(p.low);
          if (Number(p.high) < messages) missing.set(p.partition, messages - held);
        }
        if (missing.size > 0) short.push({ topic, missing });
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    if (short.length === 0) return 0;
    this.log(`Producing ${messages} record(s) per partition into ${short.length} topic(s)...`);
    const producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      const value = Buffer.alloc(100, 0x61);
      for (const batch of chunks(short, PRODUCE_BATCH_TOPICS)) {
        await retrying(() =>
          producer.sendBatch({
            acks: -1,
            topicMessages: batch.map(({ topic, missing }) => ({
              topic: topic.name,
              messages: [...missing].flatMap(([partition, count]) =>
                Array.from({ length: count }, (_, i) => ({ partition, key: `k${i}`, value })),
              ),
            })),
          }),
        );
      }
    } finally {
      await producer.disconnect();
    }
    return short.length;
  }

  /** Commits every group's offsets unless it already holds exactly the expected ones. */
  private async commitGroups(groups: ShapeGroup[], messages: number): Promise<number> {
    const expected = (group: ShapeGroup): Map<number, number> =>
      new Map(
        Array.from({ length: group.topic.partitions }, (_, p) => [
          p,
          committedOffset(group.index, p, messages),
        ]),
      );
    const stale: ShapeGroup[] = [];
    await forEachLimited(groups, GROUP_CONCURRENCY, async (group) => {
      const [found] = await retrying(() =>
        this.admin.fetchOffsets({ groupId: group.name, topics: [group.topic.name] }),
      );
      const want = expected(group);
      const ok =
        found !== undefined &&
        found.partitions.length === want.size &&
        found.partitions.every((p) => Number(p.offset) === want.get(p.partition));
      if (!ok) stale.push(group);
    });
    if (stale.length === 0) return 0;
    this.log(`Committing offsets of ${stale.length} group(s)...`);
    const committer = new GroupOffsetCommitter(this.kafka);
    await committer.connect();
    try {
      await forEachLimited(stale, GROUP_CONCURRENCY, (group) =>
        retrying(() => committer.commit(group.name, group.topic.name, expected(group))),
      );
    } finally {
      await committer.disconnect();
    }
    return stale.length;
  }
}
