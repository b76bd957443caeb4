import type { Admin, Kafka, Producer } from 'kafkajs';
import type { ChurnCleanup } from './churn-cleanup';
import type { ChurnNames } from './churn-names';
import { messageBatch } from './kafka-setup';
import type { SoakCounters } from './soak-counters';
import { CHURN_TOPIC_PREFIX } from './stats-protocol';
import { withTimeout, type StopSignal } from './stop-signal';
import { disconnectConsumer, startConsumer } from './supervised-consumer';

/** A new churn topic this often. */
export const TOPIC_CHURN_EVERY_MS = 30_000;
const SENDS_PER_TOPIC = 5;
const MESSAGES_PER_SEND = 20;
/** How long the topic's group may take to read everything the producer sent. */
const CONSUME_TIMEOUT_MS = 20_000;

/**
 * Topic churn, as in a service that creates a topic per job or tenant: every 30 s a new topic
 * (3 partitions, on all three brokers) gets a producer of its own that sends 100 messages and
 * disconnects, then a group of its own that reads them and leaves; then the group and the topic
 * are deleted. Cycles alternate idempotent and plain producers, eachMessage and eachBatch.
 */
export class TopicChurn {
  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly cleanup: ChurnCleanup,
    private readonly names: ChurnNames,
    private readonly counters: SoakCounters,
    private readonly stop: StopSignal,
  ) {}

  async run(): Promise<void> {
    const startedAt = Date.now();
    for (let cycle = 1; !this.stop.stopped; cycle++) {
      await this.cleanup.retryPending();
      await this.cycle(cycle);
      await this.stop.sleepUntil(startedAt + cycle * TOPIC_CHURN_EVERY_MS);
    }
  }

  private async cycle(cycle: number): Promise<void> {
    const topic = `${CHURN_TOPIC_PREFIX}${cycle}`;
    const group = `${topic}-group`;
    this.names.created(topic);
    let groupUsed = false;
    try {
      await withTimeout(
        this.admin.createTopics({
          topics: [{ topic, numPartitions: 3, replicationFactor: 3 }],
          waitForLeaders: true,
          timeout: 15_000,
        }),
        30_000,
        `creating ${topic}`,
      );
      const sent = await this.produce(topic, cycle % 2 === 0);
      if (sent > 0 && !this.stop.stopped) {
        groupUsed = true;
        this.names.created(group);
        await this.consume(topic, group, sent, cycle);
      }
    } catch (error) {
      this.counters.error('churn:topic-cycle', error);
    } finally {
      if (groupUsed) await this.cleanup.deleteGroup(group);
      await this.cleanup.deleteTopic(topic);
    }
  }

  /** A producer for this topic alone: connect, send, disconnect. Returns messages acknowledged. */
  private async produce(topic: string, idempotent: boolean): Promise<number> {
    const producer: Producer = this.kafka.producer({
      idempotent,
      ...(idempotent ? { maxInFlightRequests: 1 } : {}),
      allowAutoTopicCreation: false,
    });
    let sent = 0;
    try {
      await withTimeout(producer.connect(), 30_000, `${topic}: producer connect`);
      for (let send = 0; send < SENDS_PER_TOPIC && !this.stop.stopped; send++) {
        await withTimeout(
          producer.send({ topic, messages: messageBatch(topic, send, MESSAGES_PER_SEND) }),
          30_000,
          `${topic}: send`,
        );
        sent += MESSAGES_PER_SEND;
        this.counters.sent += MESSAGES_PER_SEND;
      }
    } catch (error) {
      this.counters.error('churn:produce', error);
    } finally {
      try {
        await withTimeout(producer.disconnect(), 30_000, `${topic}: producer disconnect`);
      } catch (error) {
        this.counters.error('disconnect:churn-producer', error);
      }
    }
    return sent;
  }

  /** A group for this topic alone reads what was sent (from the beginning), then leaves. */
  private async consume(topic: string, group: string, expected: number, cycle: number) {
    let consumed = 0;
    let allRead!: () => void;
    const done = new Promise<void>((resolve) => (allRead = resolve));
    const consumer = await startConsumer(
      this.kafka,
      {
        label: 'churn',
        groupId: group,
        topics: [topic],
        handler: cycle % 2 === 0 ? 'eachBatch' : 'eachMessage',
        fromBeginning: true,
      },
      this.counters,
      () => {
        this.counters.consumed += 1;
        consumed += 1;
        if (consumed >= expected) allRead();
      },
    );
    try {
      await Promise.race([done, this.stop.sleep(CONSUME_TIMEOUT_MS)]);
      if (consumed < expected && !this.stop.stopped) {
        this.counters.error('churn:consume-incomplete', `${topic}: ${consumed}/${expected}`);
      }
    } finally {
      await disconnectConsumer(consumer, 'churn', this.counters);
    }
  }
}
