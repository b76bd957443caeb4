/** Produce to and consume from the real broker of the integration suite with KafkaJS. */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestKafka, testProducerConfig } from '../support/kafka-client';
import { randomGroup, randomTopic } from '../support/names';
import { ReceivedMessages } from '../support/received-messages';
import { createTopicAndWait } from '../support/topics';
import { waitFor } from '../support/wait-for';

const toDisconnect: Array<{ disconnect(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(toDisconnect.splice(0).map((c) => c.disconnect()));
});

describe('round trip through the local Kafka', () => {
  it('consumes back exactly the messages produced to a new topic', async () => {
    const kafka = createTestKafka();
    const topic = randomTopic('round-trip');
    const count = 25;

    const admin = kafka.admin();
    toDisconnect.push(admin);
    await admin.connect();
    await createTopicAndWait(admin, { topic, numPartitions: 3 });

    const sent = Array.from({ length: count }, (_, i) => ({
      key: `key-${String(i).padStart(2, '0')}`,
      value: `value-${i}`,
    }));
    const producer = kafka.producer(testProducerConfig);
    toDisconnect.push(producer);
    await producer.connect();
    const acks = await producer.send({ topic, acks: -1, messages: sent });
    expect(acks.every((a) => a.errorCode === 0)).toBe(true);

    // The log holds exactly `count` records: nothing lost, nothing written twice.
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0)).toBe(count);

    const received = new ReceivedMessages();
    const consumer = kafka.consumer({ groupId: randomGroup('round-trip'), maxWaitTimeInMs: 250 });
    toDisconnect.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: received.onMessage });

    await waitFor(() => received.size >= count, {
      timeoutMs: 45_000,
      description: `${count} messages on ${topic}`,
    });
    const messages = received.distinct();
    expect(messages.map(({ key, value }) => ({ key, value }))).toEqual(sent);
    // The default partitioner hashes the keys, so 25 distinct keys spread over the partitions.
    expect(new Set(messages.map((m) => m.partition)).size).toBeGreaterThan(1);
  });
});
