import { benchMessages, benchPayload } from '../payload';
import type { RunSpec } from '../run-contract';
import type { BenchClient } from './bench-client';
import { measureMemory, type MeasurementWindow, type MemoryFigures } from './measurement-window';

/**
 * `produce`: `messages` messages in `send` calls of `sendSize`, each awaited before the next,
 * so the window (before the first send to the last acknowledgement) is a chain of complete
 * request round trips in which the instrumentation's cost cannot hide behind batching.
 */
export async function runProduceScenario(
  client: BenchClient,
  spec: RunSpec,
  window: MeasurementWindow,
): Promise<{ messages: number; memory: MemoryFigures }> {
  const producer = await client.connectProducer();
  try {
    const payload = benchPayload(spec.messageBytes);
    let acknowledged = 0;
    window.open();
    for (let from = 0; from < spec.messages; from += spec.sendSize) {
      const count = Math.min(spec.sendSize, spec.messages - from);
      await producer.send(spec.topic, benchMessages(from, count, payload));
      acknowledged += count;
    }
    window.close();
    return { messages: acknowledged, memory: measureMemory() };
  } finally {
    await producer.disconnect();
  }
}
