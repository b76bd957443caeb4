import type { RunSpec } from '../run-contract';
import type { BenchClient, ConsumeHandlers } from './bench-client';
import { DeliveryTracker } from './delivery-tracker';
import { measureMemory, type MeasurementWindow, type MemoryFigures } from './measurement-window';

/**
 * `eachMessage` and `eachBatch`: a consumer of a fresh group reads the pre-filled topic from the
 * beginning. The window opens at the first delivered message, so connecting, joining the group
 * and the first fetch's wait are left out, and closes when the last expected message arrives.
 * The handlers do only the delivery bookkeeping, the same in every variant.
 */
export async function runConsumeScenario(
  client: BenchClient,
  spec: RunSpec,
  window: MeasurementWindow,
  deadlineAt: number,
): Promise<{ messages: number; memory: MemoryFigures }> {
  const startedAt = Date.now();
  const tracker = new DeliveryTracker(spec.partitions);
  if (tracker.expected !== spec.messages) {
    throw new Error(`the consume topic holds ${tracker.expected} messages, not ${spec.messages}`);
  }
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // Settled before anyone awaits it when the consumer crashes while still joining.
  done.catch(() => undefined);
  const consumer = client.consumer(spec.groupId, fail);

  const deliver = (partition: number, offset: string): void => {
    if (!window.isOpen && !window.isClosed) window.open();
    if (tracker.record(partition, offset) && !window.isClosed) {
      window.close();
      finish();
    }
  };
  const handlers: ConsumeHandlers =
    spec.scenario === 'eachMessage'
      ? {
          eachMessage: ({ partition, message }) => {
            deliver(partition, message.offset);
            return Promise.resolve();
          },
        }
      : {
          // The usual batch loop: handle each message, resolve its offset, heartbeat per batch.
          eachBatch: async (payload) => {
            const { batch } = payload;
            for (const message of batch.messages) {
              deliver(batch.partition, message.offset);
              payload.resolveOffset(message.offset);
            }
            await payload.heartbeat();
          },
        };

  // Bounded: a consumer that never gets its messages fails the run with how far it got.
  const timer = setTimeout(
    () =>
      fail(
        new Error(
          `timed out after ${Math.round((Date.now() - startedAt) / 1000)} s: ${tracker.problem() ?? 'all messages received'}`,
        ),
      ),
    Math.max(0, deadlineAt - Date.now()),
  );
  let memory: MemoryFigures;
  await consumer.connect();
  try {
    await consumer.subscribe(spec.topic);
    await consumer.run(handlers);
    await done;
    // Measured while the consumer is still up: what the instrumentation keeps per live client.
    memory = measureMemory();
  } finally {
    clearTimeout(timer);
    // Waits for the running handler, so its telemetry is recorded before the checks read it.
    await consumer.disconnect();
  }
  const problem = tracker.problem();
  if (problem) throw new Error(`wrong deliveries: ${problem}`);
  return { messages: tracker.distinct, memory };
}
