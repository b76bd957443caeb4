import type { Admin, ITopicConfig } from 'kafkajs';
import { waitFor } from './wait-for';

/**
 * Creates a topic and waits until it has a leader and a full ISR on every partition.
 * KafkaJS's own `waitForLeaders` only retries LEADER_NOT_AVAILABLE, but in KRaft a broker that
 * has not replayed the new topic yet answers UNKNOWN_TOPIC_OR_PARTITION (seen on 3.9 after a
 * node restart), so we poll metadata ourselves and treat errors as "not yet".
 */
export async function createTopicAndWait(
  admin: Admin,
  topic: ITopicConfig,
  timeoutMs = 30_000,
): Promise<void> {
  const created = await admin.createTopics({ topics: [topic], waitForLeaders: false });
  if (!created) throw new Error(`topic ${topic.topic} already exists`);
  const expected = topic.numPartitions ?? 1;
  await waitFor(
    async () => {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic.topic] });
      const partitions = topics[0]?.partitions ?? [];
      return (
        partitions.length === expected &&
        partitions.every((p) => p.leader >= 0 && p.isr.length === p.replicas.length)
      );
    },
    { timeoutMs, intervalMs: 200, description: `topic ${topic.topic} with leaders and full ISR` },
  );
}
