/**
 * A tiny payments pipeline: an "HTTP handler" publishes payment events, a consumer group
 * settles them. Plain KafkaJS code; nothing here knows about OpenTelemetry except the one span
 * that stands in for the incoming HTTP request.
 */
import { SpanKind, trace } from '@opentelemetry/api';
import type { Kafka } from 'kafkajs';

export const TOPIC = 'demo-payments';
export const GROUP = 'demo-settlement';

export async function ensureTopic(kafka: Kafka) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(TOPIC)) return;
    await admin.createTopics({
      topics: [{ topic: TOPIC, numPartitions: 3 }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

/** Publishes `count` payments, each from within its own simulated HTTP request span. */
export async function publishPayments(kafka: Kafka, count: number) {
  const tracer = trace.getTracer('payments-demo');
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let i = 0; i < count; i++) {
      await tracer.startActiveSpan('POST /payments', { kind: SpanKind.SERVER }, async (span) => {
        try {
          await producer.send({
            topic: TOPIC,
            messages: [
              { key: `account-${i % 5}`, value: JSON.stringify({ paymentId: i, cents: 100 * i }) },
            ],
          });
        } finally {
          span.end();
        }
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** A running consumer group member that settles payments. */
export interface Settlement {
  /** Resolves once `count` payments were settled (rejects after `timeoutMs`). */
  settled(count: number, timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}

export async function startSettlement(kafka: Kafka): Promise<Settlement> {
  const consumer = kafka.consumer({ groupId: GROUP });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  let settled = 0;
  const waiters: (() => void)[] = [];
  await consumer.run({
    eachMessage: async () => {
      await new Promise((resolve) => setTimeout(resolve, 2)); // "settling" takes a moment
      settled++;
      waiters.splice(0).forEach((wake) => wake());
    },
  });
  return {
    async settled(count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (settled < count) {
        if (Date.now() > deadline) {
          throw new Error(`only ${settled} of ${count} payments settled in ${timeoutMs} ms`);
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      return settled;
    },
    stop: () => consumer.disconnect(),
  };
}
