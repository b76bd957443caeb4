import { Kafka, logLevel, type Admin, type ITopicConfig } from 'kafkajs';
import { injectedBrokers } from './kafka-client';
import { waitFor } from './wait-for';

/** Leader count and ISR completeness of a topic as one broker sees it (throws if unknown there). */
async function readyOn(broker: string, topic: string, partitions: number): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'kafka-otel-test-topic-probe',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const found = topics[0]?.partitions ?? [];
    return (
      found.length === partitions &&
      found.every((p) => p.leader >= 0 && p.isr.length === p.replicas.length)
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates a topic and waits until every broker reports a leader and a full ISR on each partition.
 * Brokers learn about new topics asynchronously from the KRaft metadata log (on 3.9 a broker
 * lagged ~0.5 s and answered UNKNOWN_TOPIC_OR_PARTITION meanwhile), and KafkaJS's own
 * `waitForLeaders` asks only one broker and retries only LEADER_NOT_AVAILABLE, so we ask each.
 */
export async function createTopicAndWait(
  admin: Admin,
  topic: ITopicConfig,
  options: { brokers?: string[]; timeoutMs?: number } = {},
): Promise<void> {
  const created = await admin.createTopics({ topics: [topic], waitForLeaders: false });
  if (!created) throw new Error(`topic ${topic.topic} already exists`);
  const brokers = options.brokers ?? injectedBrokers();
  const partitions = topic.numPartitions ?? 1;
  await waitFor(
    async () => {
      const ready = await Promise.all(brokers.map((b) => readyOn(b, topic.topic, partitions)));
      return ready.every(Boolean);
    },
    {
      timeoutMs: options.timeoutMs ?? 30_000,
      intervalMs: 200,
      description: `topic ${topic.topic} with leaders and a full ISR on every broker`,
    },
  );
}
