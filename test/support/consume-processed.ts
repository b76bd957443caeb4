/**
 * Consumes a topic from the beginning with a new consumer of `groupId` until exactly `count`
 * messages were handed to the application and their `count` process spans have ended (spans end
 * after the handler's promise settles). Either wait timing out fails the test, and so does a
 * count other than `count`. Type-only kafkajs import: the instrumented module is passed in.
 */
import type { Kafka, KafkaMessage } from 'kafkajs';
import { expect } from 'vitest';
import type { TelemetryHarness } from './telemetry-harness';
import { waitFor } from './wait-for';

export async function consumeProcessed(
  kafka: Kafka,
  harness: TelemetryHarness,
  { topic, groupId, count }: { topic: string; groupId: string; count: number },
): Promise<KafkaMessage[]> {
  const received: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        received.push(message);
        return Promise.resolve();
      },
    });
    await waitFor(() => received.length >= count, { description: `${count} messages` });
    await waitFor(() => harness.spansNamed(`process ${topic}`).length >= count, {
      description: `${count} process spans of ${topic}`,
    });
  } finally {
    await consumer.disconnect();
  }
  expect(received).toHaveLength(count);
  return received;
}
