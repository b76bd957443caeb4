import type { Kafka } from 'kafkajs';
import type { ChurnCleanup } from './churn-cleanup';
import type { ChurnNames } from './churn-names';
import { STABLE_TOPICS } from './kafka-setup';
import type { SoakCounters } from './soak-counters';
import { SHORT_GROUP_PREFIX } from './stats-protocol';
import type { StopSignal } from './stop-signal';
import { disconnectConsumer, startConsumer } from './supervised-consumer';

/** A new short-lived group this often. */
export const GROUP_CHURN_EVERY_MS = 20_000;
/** How long each one consumes before it leaves. */
const GROUP_LIFETIME_MS = 10_000;

/**
 * Group churn, as with ad-hoc readers (a replay job, a debugging session): every 20 s a new group
 * joins on the busy stable topic, consumes the live stream for 10 s, leaves, and is deleted.
 * Groups alternate eachMessage and eachBatch.
 */
export class GroupChurn {
  constructor(
    private readonly kafka: Kafka,
    private readonly cleanup: ChurnCleanup,
    private readonly names: ChurnNames,
    private readonly counters: SoakCounters,
    private readonly stop: StopSignal,
  ) {}

  async run(): Promise<void> {
    // Offset from the topic churn, so joins of both kinds do not always coincide.
    const startedAt = Date.now() + GROUP_CHURN_EVERY_MS / 2;
    await this.stop.sleepUntil(startedAt);
    for (let cycle = 1; !this.stop.stopped; cycle++) {
      await this.cycle(cycle);
      await this.stop.sleepUntil(startedAt + cycle * GROUP_CHURN_EVERY_MS);
    }
  }

  private async cycle(cycle: number): Promise<void> {
    const group = `${SHORT_GROUP_PREFIX}${cycle}`;
    this.names.created(group);
    try {
      const consumer = await startConsumer(
        this.kafka,
        {
          label: 'short-lived',
          groupId: group,
          topics: [STABLE_TOPICS.orders],
          handler: cycle % 2 === 0 ? 'eachBatch' : 'eachMessage',
          fromBeginning: false,
        },
        this.counters,
        () => (this.counters.consumed += 1),
      );
      try {
        await this.stop.sleep(GROUP_LIFETIME_MS);
      } finally {
        await disconnectConsumer(consumer, 'short-lived', this.counters);
      }
    } catch (error) {
      this.counters.error('churn:short-group', error);
    } finally {
      await this.cleanup.deleteGroup(group);
    }
  }
}
