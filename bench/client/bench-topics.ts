/**
 * The bench's own topics, handled by a plain KafkaJS client of the bench process (which never
 * loads OpenTelemetry): created with fresh names, filled, checked through their offsets, and
 * deleted when the bench ends.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { BenchError } from '../errors';
import { benchMessages, benchPayload } from './payload';
import type { PartitionRange } from './run-contract';

/** How long a new topic may take to get a leader on every partition. */
const LEADER_TIMEOUT_MS = 30_000;

/** Messages per `send` while filling the consume topic: fast, and far below any size limit. */
const FILL_SEND_SIZE = 1_000;

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export class BenchTopics {
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly created: string[] = [];

  constructor(brokers: string[]) {
    this.kafka = new Kafka({
      clientId: 'kafka-otel-bench',
      brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
    this.admin = this.kafka.admin();
  }

  async connect(): Promise<void> {
    try {
      await this.admin.connect();
    } catch (error) {
      throw new BenchError(
        `Cannot reach Kafka at the bench's brokers: ${(error as Error).message}`,
      );
    }
  }

  /** A new topic with `partitions` partitions, once every partition has a leader. */
  async createTopic(prefix: string, partitions: number): Promise<string> {
    const topic = uniqueName(prefix);
    await this.admin.createTopics({
      topics: [{ topic, numPartitions: partitions }],
      waitForLeaders: false,
    });
    this.created.push(topic);
    const deadline = Date.now() + LEADER_TIMEOUT_MS;
    let lastError: unknown;
    for (;;) {
      try {
        if (await this.hasLeaders(topic, partitions)) return topic;
      } catch (error) {
        // The broker answers UNKNOWN_TOPIC_OR_PARTITION until the new topic reaches its metadata.
        lastError = error;
      }
      if (Date.now() > deadline) {
        const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
        throw new BenchError(
          `Topic ${topic} has no leader on every partition after ${LEADER_TIMEOUT_MS / 1000} s${why}.`,
        );
      }
      await sleep(100);
    }
  }

  private async hasLeaders(topic: string, partitions: number): Promise<boolean> {
    const { topics } = await this.admin.fetchTopicMetadata({ topics: [topic] });
    const found = topics[0]?.partitions ?? [];
    return found.length === partitions && found.every((p) => p.leader >= 0);
  }

  /** Writes the bench's messages (same keys and payload as the produce scenario). */
  async fill(topic: string, messages: number, messageBytes: number): Promise<void> {
    const producer = this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const payload = benchPayload(messageBytes);
      for (let from = 0; from < messages; from += FILL_SEND_SIZE) {
        const count = Math.min(FILL_SEND_SIZE, messages - from);
        await producer.send({ topic, messages: benchMessages(from, count, payload) });
      }
    } finally {
      await producer.disconnect();
    }
  }

  /** The offsets each partition holds. */
  async ranges(topic: string): Promise<PartitionRange[]> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return offsets
      .map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) }))
      .sort((a, b) => a.partition - b.partition);
  }

  /** Number of records a topic holds. */
  async recordCount(topic: string): Promise<number> {
    return (await this.ranges(topic)).reduce((sum, r) => sum + r.high - r.low, 0);
  }

  /** Deletes every topic this instance created (best effort) and disconnects. */
  async close(log: (line: string) => void): Promise<void> {
    try {
      if (this.created.length > 0) {
        await this.admin.deleteTopics({ topics: this.created.splice(0) });
      }
    } catch (error) {
      log(`Could not delete the bench topics: ${(error as Error).message}`);
    } finally {
      await this.admin.disconnect();
    }
  }
}
