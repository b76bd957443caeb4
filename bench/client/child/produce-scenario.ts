import type * as KafkaJs from 'kafkajs';
import { benchMessages, benchPayload } from '../payload';
import type { RunSpec } from '../run-contract';
import { measureMemory, type MeasurementWindow, type MemoryFigures } from './measurement-window';

/**
 * `produce`: `messages` messages in `send` calls of `sendSize`, each awaited before the next,
 * so the window (before the first send to the last acknowledgement) is a chain of complete
 * request round trips in which the instrumentation's cost cannot hide behind batching.
 */
export async function runProduceScenario(
  kafkajs: typeof KafkaJs,
  kafka: KafkaJs.Kafka,
  spec: RunSpec,
  window: MeasurementWindow,
): Promise<{ messages: number; memory: MemoryFigures }> {
  const producer = kafka.producer({
    createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
    // A Produce request retried after a timeout on a loaded machine must not write twice: the
    // bench checks the topic holds exactly `messages` records.
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    const payload = benchPayload(spec.messageBytes);
    let acknowledged = 0;
    window.open();
    for (let from = 0; from < spec.messages; from += spec.sendSize) {
      const count = Math.min(spec.sendSize, spec.messages - from);
      await producer.send({ topic: spec.topic, messages: benchMessages(from, count, payload) });
      acknowledged += count;
    }
    window.close();
    return { messages: acknowledged, memory: measureMemory() };
  } finally {
    await producer.disconnect();
  }
}
