import type { Consumer, ConsumerRunConfig, Kafka } from 'kafkajs';
import type { SoakCounters } from './soak-counters';
import { withTimeout, type StopSignal } from './stop-signal';

/** How one consumer hands messages to the application. */
export type HandlerKind = 'eachMessage' | 'eachBatch';

export interface ConsumerSpec {
  /** Names its errors in the counters (`consumer-crash:<label>`). */
  label: string;
  groupId: string;
  topics: string[];
  handler: HandlerKind;
  fromBeginning: boolean;
}

/** How long a join may take while a broker restarts before the app stops waiting. */
const JOIN_TIMEOUT_MS = 60_000;
const DISCONNECT_TIMEOUT_MS = 30_000;

/**
 * The work a handler does per message: parse it, as a service reads its payload. Kept tiny so
 * the soak measures the telemetry, not the handler.
 */
function handle(value: Buffer | null): void {
  if (value) JSON.parse(value.toString('utf8'));
}

/** eachMessage or eachBatch (the usual loop: handle, resolve the offset, heartbeat per batch). */
export function handlers(
  kind: HandlerKind,
  onMessage: () => void,
): Pick<ConsumerRunConfig, 'eachMessage' | 'eachBatch'> {
  if (kind === 'eachMessage') {
    return {
      eachMessage: ({ message }) => {
        handle(message.value);
        onMessage();
        return Promise.resolve();
      },
    };
  }
  return {
    eachBatch: async (payload) => {
      for (const message of payload.batch.messages) {
        if (!payload.isRunning() || payload.isStale()) break;
        handle(message.value);
        onMessage();
        payload.resolveOffset(message.offset);
      }
      await payload.heartbeat();
    },
  };
}

/**
 * A consumer connected, subscribed, running and joined to its group. Resolves once the first
 * join completed; rejects (after disconnecting) when it does not within a minute.
 */
export async function startConsumer(
  kafka: Kafka,
  spec: ConsumerSpec,
  counters: SoakCounters,
  onMessage: () => void,
  onCrash?: (restart: boolean) => void,
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: spec.groupId });
  const joined = new Promise<void>((resolve) => {
    const remove = consumer.on(consumer.events.GROUP_JOIN, () => {
      remove();
      resolve();
    });
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    counters.error(`consumer-crash:${spec.label}`, payload.error);
    onCrash?.(payload.restart);
  });
  try {
    await withTimeout(consumer.connect(), JOIN_TIMEOUT_MS, `${spec.label}: connect`);
    await consumer.subscribe({ topics: spec.topics, fromBeginning: spec.fromBeginning });
    await consumer.run(handlers(spec.handler, onMessage));
    await withTimeout(joined, JOIN_TIMEOUT_MS, `${spec.label}: group join`);
    return consumer;
  } catch (error) {
    await disconnectConsumer(consumer, spec.label, counters);
    throw error;
  }
}

/** Leaves the group and closes the connections, bounded in time; failures are only counted. */
export async function disconnectConsumer(
  consumer: Consumer,
  label: string,
  counters: SoakCounters,
): Promise<void> {
  try {
    await withTimeout(consumer.disconnect(), DISCONNECT_TIMEOUT_MS, `${label}: disconnect`);
  } catch (error) {
    counters.error(`disconnect:${label}`, error);
  }
}

/**
 * A consumer of the steady load, for the whole run. KafkaJS restarts a consumer after a
 * retriable error by itself; after any other crash it stays stopped, and this starts a new one
 * (as a service's supervisor would), checking every few seconds.
 */
export class SupervisedConsumer {
  private consumer: Consumer | undefined;
  private needsRestart = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly spec: ConsumerSpec,
    private readonly counters: SoakCounters,
    private readonly stop: StopSignal,
  ) {}

  async start(): Promise<void> {
    this.needsRestart = false;
    this.consumer = await startConsumer(
      this.kafka,
      this.spec,
      this.counters,
      () => (this.counters.consumed += 1),
      (restart) => {
        if (!restart) this.needsRestart = true;
      },
    );
  }

  /** Restarts the consumer when it stopped for good; ends when the app stops. */
  async supervise(): Promise<void> {
    while (!this.stop.stopped) {
      await this.stop.sleep(5_000);
      const stopped = this.needsRestart || this.consumer === undefined;
      if (!stopped || this.stop.stopped) continue;
      this.counters.error(`consumer-restart:${this.spec.label}`);
      await this.close();
      try {
        await this.start();
      } catch (error) {
        // Tried again at the next check.
        this.needsRestart = true;
        this.counters.error(`consumer-start:${this.spec.label}`, error);
      }
    }
  }

  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) await disconnectConsumer(consumer, this.spec.label, this.counters);
  }
}
