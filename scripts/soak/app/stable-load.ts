import type { Kafka, Producer } from 'kafkajs';
import { messageBatch, STABLE_TOPICS } from './kafka-setup';
import type { SoakCounters } from './soak-counters';
import { withTimeout, type StopSignal } from './stop-signal';
import { SupervisedConsumer, type ConsumerSpec } from './supervised-consumer';

/** A send that has not completed within this (KafkaJS retries included) counts as failed. */
const SEND_TIMEOUT_MS = 60_000;

/** The producers of the steady load: how often each sends how many messages where. */
const PRODUCERS = {
  plain: { topic: STABLE_TOPICS.orders, everyMs: 250, messages: 20 },
  idempotent: { topic: STABLE_TOPICS.payments, everyMs: 250, messages: 10 },
  transactional: { topic: STABLE_TOPICS.ledger, everyMs: 2_000, messages: 10 },
} as const;

/** The consumers of the steady load; two members share the eachMessage group. */
const CONSUMERS: ConsumerSpec[] = [
  ...[1, 2].map((member): ConsumerSpec => ({
    label: `orders-each-message-${member}`,
    groupId: 'soak-orders-each-message',
    topics: [STABLE_TOPICS.orders],
    handler: 'eachMessage',
    fromBeginning: true,
  })),
  {
    label: 'each-batch',
    groupId: 'soak-each-batch',
    topics: [STABLE_TOPICS.orders, STABLE_TOPICS.payments],
    handler: 'eachBatch',
    fromBeginning: true,
  },
  {
    // KafkaJS reads read_committed by default: only committed transactions arrive.
    label: 'ledger-committed',
    groupId: 'soak-ledger-committed',
    topics: [STABLE_TOPICS.ledger],
    handler: 'eachMessage',
    fromBeginning: true,
  },
];

/**
 * The load a service carries all day: a plain and an idempotent producer sending every quarter
 * second, a transactional one committing a small transaction every two seconds, and four
 * consumers in three groups, eachMessage and eachBatch. Runs until the app stops.
 */
export class StableLoad {
  private readonly consumers: SupervisedConsumer[];
  private readonly producers: Producer[] = [];
  private plain: Producer | undefined;
  private idempotent: Producer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly counters: SoakCounters,
    private readonly stop: StopSignal,
  ) {
    this.consumers = CONSUMERS.map((spec) => new SupervisedConsumer(kafka, spec, counters, stop));
  }

  /** Connects everything and waits for every consumer's first join. */
  async start(): Promise<void> {
    this.plain = await this.connectProducer(this.kafka.producer({ idempotent: false }));
    this.idempotent = await this.connectProducer(
      this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 }),
    );
    for (const consumer of this.consumers) await consumer.start();
  }

  /** The producers' loops and the consumers' supervision, until the app stops. */
  async run(): Promise<void> {
    if (!this.plain || !this.idempotent) throw new Error('StableLoad.run before start');
    await Promise.all([
      this.sendLoop('plain', this.plain, PRODUCERS.plain),
      this.sendLoop('idempotent', this.idempotent, PRODUCERS.idempotent),
      this.transactionLoop(),
      ...this.consumers.map((consumer) => consumer.supervise()),
    ]);
  }

  async close(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.close()));
    await Promise.all(this.producers.map((producer) => this.disconnect(producer, 'producer')));
  }

  /** Connects and tracks a producer for close(); one that cannot connect is let go at once. */
  private async connectProducer(producer: Producer): Promise<Producer> {
    try {
      await withTimeout(producer.connect(), 60_000, 'producer connect');
    } catch (error) {
      await this.disconnect(producer, 'producer');
      throw error;
    }
    this.producers.push(producer);
    return producer;
  }

  private async disconnect(producer: Producer, label: string): Promise<void> {
    try {
      await withTimeout(producer.disconnect(), 30_000, `${label} disconnect`);
    } catch (error) {
      this.counters.error(`disconnect:${label}`, error);
    }
  }

  private async sendLoop(
    name: string,
    producer: Producer,
    plan: { topic: string; everyMs: number; messages: number },
  ): Promise<void> {
    for (let sequence = 0; !this.stop.stopped; sequence++) {
      const started = Date.now();
      try {
        await withTimeout(
          producer.send({
            topic: plan.topic,
            messages: messageBatch(name, sequence, plan.messages),
          }),
          SEND_TIMEOUT_MS,
          `send ${name}`,
        );
        this.counters.sent += plan.messages;
      } catch (error) {
        this.counters.error(`send:${name}`, error);
      }
      await this.stop.sleepUntil(started + plan.everyMs);
    }
  }

  /**
   * One small transaction at a time. A transaction that fails is aborted; when even the abort
   * fails, the producer's state is unknown and a new producer (same transactional id, which
   * fences the old one) takes over, as a service would do.
   */
  private async transactionLoop(): Promise<void> {
    const plan = PRODUCERS.transactional;
    const create = () =>
      this.kafka.producer({
        transactionalId: 'soak-ledger-writer',
        idempotent: true,
        maxInFlightRequests: 1,
      });
    let producer: Producer | undefined;
    for (let sequence = 0; !this.stop.stopped; sequence++) {
      const started = Date.now();
      try {
        if (!producer) producer = await this.connectProducer(create());
        const transaction = await withTimeout(producer.transaction(), SEND_TIMEOUT_MS, 'begin');
        try {
          await withTimeout(
            transaction.send({
              topic: plan.topic,
              messages: messageBatch('transactional', sequence, plan.messages),
            }),
            SEND_TIMEOUT_MS,
            'transactional send',
          );
          await withTimeout(transaction.commit(), SEND_TIMEOUT_MS, 'commit');
          this.counters.sent += plan.messages;
        } catch (error) {
          this.counters.error('send:transactional', error);
          await withTimeout(transaction.abort(), SEND_TIMEOUT_MS, 'abort');
        }
      } catch (error) {
        this.counters.error('transactional-producer', error);
        if (producer) {
          this.producers.splice(this.producers.indexOf(producer), 1);
          await this.disconnect(producer, 'transactional');
        }
        producer = undefined;
      }
      await this.stop.sleepUntil(started + plan.everyMs);
    }
  }
}
