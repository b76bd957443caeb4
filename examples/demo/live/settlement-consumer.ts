/**
 * The settlement consumer group member, with the knobs the terminal turns: a per-message delay
 * (`slow`), pausing its partitions while it stays in the group (`pause`: the group goes STALL),
 * leaving the group (`stop`: STOP), and making its handler fail until KafkaJS gives up and
 * restarts it (`crash`: kafka.consumer.crashes).
 */
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import type { Consumer, Kafka } from 'kafkajs';
import { GROUP, TOPIC } from '../payments';
import type { ConsumerState } from './ipc-messages';
import type { Log } from './json-log';

/** What "settling" a payment costs before any `slow` delay, as in the one-shot demo. */
const SETTLE_MS = 2;

/** A failure of the settlement handler, raised on purpose by `crash`. */
class SettlementError extends Error {
  override name = 'SettlementError';
}

export class SettlementConsumer {
  settled = 0;
  crashes = 0;
  slowMs = 0;
  state: ConsumerState = 'stopped';
  private consumer: Consumer | undefined;
  /** Set by `crash`: the handler throws until KafkaJS reports the crash. */
  private failing = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly log: Log,
  ) {}

  async start(): Promise<void> {
    this.state = 'starting';
    const consumer = this.kafka.consumer({
      groupId: GROUP,
      // Few, quick retries: a failing handler crashes the consumer within a second or two
      // (KafkaJS retries the batch first), and KafkaJS restarts it half a second later.
      retry: { retries: 2, initialRetryTime: 300, maxRetryTime: 1_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (this.state !== 'paused') this.state = 'running';
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.crashes++;
      this.failing = false;
      this.state = payload.restart ? 'restarting' : 'stopped';
      this.log('error', 'settlement consumer crashed', {
        event: 'consumer.crash',
        error: `${payload.error.name}: ${payload.error.message}`,
        restart: payload.restart,
      });
    });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    // The consumer's loops start here and keep the context they start in: the root, not the
    // span of the terminal command that (re)started it.
    await context.with(ROOT_CONTEXT, () =>
      consumer.run({
        eachMessage: async ({ message, partition }) => {
          const payment = JSON.parse(message.value?.toString() ?? '{}') as { paymentId?: number };
          if (this.failing) {
            this.log('error', 'settlement failed', {
              event: 'payment.failed',
              paymentId: payment.paymentId,
              partition,
              offset: message.offset,
            });
            throw new SettlementError(`cannot settle payment ${String(payment.paymentId)}`);
          }
          await new Promise((resolve) => setTimeout(resolve, SETTLE_MS + this.slowMs));
          this.settled++;
          // Inside the consumer's process span: the line carries the payment's trace.
          this.log('info', 'payment settled', {
            event: 'payment.settled',
            paymentId: payment.paymentId,
            account: message.key?.toString(),
            partition,
            offset: message.offset,
          });
        },
      }),
    );
  }

  pause(): string {
    if (!this.consumer) return 'the consumer is stopped';
    this.consumer.pause([{ topic: TOPIC }]);
    this.state = 'paused';
    return `paused: still in group ${GROUP}, consuming nothing (lag status STALL)`;
  }

  async stop(): Promise<string> {
    const consumer = this.consumer;
    if (!consumer) return 'the consumer is already stopped';
    this.consumer = undefined;
    this.state = 'stopped';
    await consumer.disconnect();
    return `stopped: left group ${GROUP} (lag status STOP)`;
  }

  async resume(): Promise<string> {
    this.slowMs = 0;
    if (!this.consumer) {
      await this.start();
      return 'restarted the consumer';
    }
    this.consumer.resume([{ topic: TOPIC }]);
    if (this.state === 'paused') this.state = 'running';
    return 'resumed at full speed';
  }

  crash(): string {
    if (!this.consumer) return 'the consumer is stopped: nothing to crash';
    this.failing = true;
    return 'the settlement handler fails until KafkaJS gives up (then it restarts the consumer)';
  }

  async shutdown(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }
}
