/**
 * `producerSpanMode: 'call'` with `sendBatch` on the real broker: one PRODUCER span per topic of
 * the call, carried by every message of that topic to its consumers, and the same message and
 * byte counts as the default one-span-per-message mode.
 */
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Kafka, Message, RecordMetadata, TopicMessages } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup } from '../../support/names';
import { waitFor } from '../../support/wait-for';

const { harness, instrumentation, brokers, createKafka, createTopic, shutdown } =
  instrumentKafkaJs();
const tracer = harness.tracerProvider.getTracer('send-call-spans-test');
const CLIENT_ID = 'send-call-spans';
let kafka: Kafka;

beforeAll(() => {
  kafka = createKafka(CLIENT_ID);
});
afterAll(shutdown);

/** A two-partition topic (three messages on 0, one on 1) and a one-partition topic (two). */
async function twoTopics(): Promise<TopicMessages[]> {
  const [orders, audit] = await Promise.all([createTopic(2, 'orders'), createTopic(1, 'audit')]);
  const ordered: Message[] = [
    { key: 'o-1', value: 'first', partition: 0 },
    { key: 'o-2', value: 'second', partition: 1 },
    { key: 'o-3', value: 'third', partition: 0 },
    { key: 'o-4', value: 'fourth', partition: 0 },
  ];
  const audited: Message[] = [{ value: 'seen' }, { key: 'é', value: '€' }];
  return [
    { topic: orders, messages: ordered },
    { topic: audit, messages: audited },
  ];
}

/** Sends `topicMessages` in one `sendBatch` call under a root span; returns the root's id. */
async function sendBatchUnderRoot(topicMessages: TopicMessages[]) {
  const producer = kafka.producer(IDEMPOTENT_PRODUCER);
  await producer.connect();
  try {
    return await tracer.startActiveSpan('application call', async (root) => {
      try {
        const answer: RecordMetadata[] = await producer.sendBatch({ topicMessages });
        return { root: root.spanContext(), answer };
      } finally {
        root.end();
      }
    });
  } finally {
    await producer.disconnect();
  }
}

const withConfig = async <T>(mode: 'message' | 'call', work: () => Promise<T>) => {
  instrumentation.setConfig({ producerSpanMode: mode });
  try {
    return await work();
  } finally {
    instrumentation.setConfig({});
  }
};

describe("producerSpanMode: 'call' with sendBatch", () => {
  it('emits one send span per topic of the call, with its message count and no message attributes, parenting every process span of its topic', async () => {
    const topicMessages = await twoTopics();
    const snapshot = JSON.stringify(topicMessages);
    const { root, answer } = await withConfig('call', () => sendBatchUnderRoot(topicMessages));
    // Three partitions answered; the application's messages are untouched.
    expect(answer).toHaveLength(3);
    expect(JSON.stringify(topicMessages)).toBe(snapshot);

    const [host, port] = brokers[0]!.split(':');
    const sendSpans = new Map<string, string>();
    for (const { topic, messages } of topicMessages) {
      const spans = harness.spansNamed(`send ${topic}`);
      expect(spans, topic).toHaveLength(1);
      const [span] = spans;
      expect(span!.kind).toBe(SpanKind.PRODUCER);
      expect(span!.status.code).toBe(SpanStatusCode.UNSET);
      expect(span!.parentSpanContext?.spanId).toBe(root.spanId);
      expect(span!.spanContext().traceId).toBe(root.traceId);
      // Exactly these: no partition, offset, key, tombstone or body size of any one message.
      expect(span!.attributes).toEqual({
        'messaging.system': 'kafka',
        'messaging.operation.name': 'send',
        'messaging.operation.type': 'send',
        'messaging.destination.name': topic,
        'messaging.client.id': CLIENT_ID,
        'server.address': host,
        'server.port': Number(port),
        'kafka.cluster.id': expect.stringMatching(/^[\w-]{22}$/),
        'messaging.batch.message_count': messages.length,
      });
      sendSpans.set(topic, span!.spanContext().spanId);
    }

    // Every message carried its topic's call span: each process span is its child.
    const topics = topicMessages.map(({ topic }) => topic);
    const consumer = kafka.consumer({ groupId: randomGroup('call'), maxWaitTimeInMs: 100 });
    await consumer.connect();
    let delivered = 0;
    try {
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        eachMessage: () => {
          delivered++;
          return Promise.resolve();
        },
      });
      await waitFor(
        () =>
          topics.every(
            (topic, i) =>
              harness.spansNamed(`process ${topic}`).length >= topicMessages[i]!.messages.length,
          ),
        { description: 'a process span per message' },
      );
    } finally {
      await consumer.disconnect();
    }
    expect(delivered).toBe(6);
    for (const { topic, messages } of topicMessages) {
      const processes = harness.spansNamed(`process ${topic}`);
      expect(processes, topic).toHaveLength(messages.length);
      expect(processes.map((span) => span.parentSpanContext?.spanId)).toEqual(
        messages.map(() => sendSpans.get(topic)),
      );
      for (const process of processes) expect(process.spanContext().traceId).toBe(root.traceId);
    }
  });

  it('counts messages and bytes per topic and partition exactly as message mode does', async () => {
    const countsIn = async (mode: 'message' | 'call') => {
      const topicMessages = await twoTopics();
      await withConfig(mode, () => sendBatchUnderRoot(topicMessages));
      return Promise.all(
        topicMessages.map(async ({ topic }) => {
          const where = { 'messaging.destination.name': topic };
          const perPartition = await harness.points('messaging.client.sent.messages', where);
          return {
            spans: harness.spansNamed(`send ${topic}`).length,
            messages: Object.fromEntries(
              perPartition.map((point) => [
                point.attributes['messaging.destination.partition.id'],
                point.value,
              ]),
            ),
            failed: perPartition.filter((point) => point.attributes['error.type'] !== undefined),
            bytes: await harness.total('kafka.client.sent.bytes', where),
          };
        }),
      );
    };
    const byMessage = await countsIn('message');
    const byCall = await countsIn('call');
    // Keys and values: o-1..o-4 are 3 bytes each, the values 5+6+5+6; é is 2 bytes, € 3.
    const orders = { messages: { '0': 3, '1': 1 }, failed: [], bytes: 4 * 3 + 22 };
    const audit = { messages: { '0': 2 }, failed: [], bytes: 4 + 2 + 3 };
    expect(byMessage).toEqual([
      { ...orders, spans: 4 },
      { ...audit, spans: 2 },
    ]);
    expect(byCall).toEqual([
      { ...orders, spans: 1 },
      { ...audit, spans: 1 },
    ]);
  });
});
