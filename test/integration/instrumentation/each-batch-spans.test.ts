/**
 * Span kinds of eachBatch on the real broker (issue #8). The semantic conventions make receive
 * operations CLIENT spans: the `poll <topic>` span is CLIENT, and the per-message `process`
 * spans under it are CONSUMER spans, linked to the send span of their message.
 */
import { SpanKind } from '@opentelemetry/api';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup } from '../../support/names';
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { waitFor } from '../../support/wait-for';

const { harness, createKafka, createTopic, shutdown } = instrumentKafkaJs();
let kafka: Kafka;

beforeAll(() => {
  kafka = createKafka('each-batch-spans');
});
afterAll(shutdown);

describe('eachBatch spans', () => {
  it('poll <topic> is a CLIENT span; each message gets a CONSUMER process span, its child', async () => {
    const topic = await createTopic(1, 'poll-kind');
    const groupId = randomGroup('poll-kind');
    const count = 4;
    const producer = kafka.producer(IDEMPOTENT_PRODUCER);
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    });
    await producer.disconnect();

    const delivered: string[] = [];
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachBatch: (payload) => {
          const { batch } = payload;
          for (const message of batch.messages) {
            delivered.push(message.offset);
            payload.resolveOffset(message.offset);
          }
          return Promise.resolve();
        },
      });
      await waitFor(() => harness.spansNamed(`process ${topic}`).length >= count, {
        description: `${count} process spans of ${topic}`,
      });
    } finally {
      await consumer.disconnect();
    }
    expect(delivered).toEqual(['0', '1', '2', '3']);

    const polls = harness.spansNamed(`poll ${topic}`);
    const sends = harness.spansNamed(`send ${topic}`);
    const processes = harness.spansNamed(`process ${topic}`);
    expect(sends).toHaveLength(count);
    expect(processes).toHaveLength(count);
    expect(
      polls.reduce(
        (sum, poll) => sum + Number(poll.attributes['messaging.batch.message_count']),
        0,
      ),
    ).toBe(count);
    for (const poll of polls) {
      expect(poll.kind, `${poll.name} kind`).toBe(SpanKind.CLIENT);
      expect(poll.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.operation.name': 'poll',
        'messaging.operation.type': 'receive',
        'messaging.destination.name': topic,
        'messaging.destination.partition.id': '0',
        'messaging.consumer.group.name': groupId,
      });
    }

    const pollById = new Map(polls.map((poll) => [poll.spanContext().spanId, poll]));
    for (const process of processes) {
      const offset = process.attributes['kafka.offset'];
      expect(process.kind, `process of offset ${String(offset)} kind`).toBe(SpanKind.CONSUMER);
      const parent = pollById.get(process.parentSpanContext?.spanId ?? '');
      expect(parent, `the poll span parents offset ${String(offset)}`).toBeDefined();
      expect(process.spanContext().traceId).toBe(parent!.spanContext().traceId);
      const send = sends.find((s) => s.attributes['kafka.offset'] === offset);
      expect(process.links.map((link) => link.context.spanId)).toEqual([
        send!.spanContext().spanId,
      ]);
    }
    expect(processes.map((p) => p.attributes['kafka.offset']).sort()).toEqual([0, 1, 2, 3]);
    // Every poll span is one delivered batch: each parents some of the process spans.
    expect(new Set(processes.map((p) => p.parentSpanContext?.spanId))).toEqual(
      new Set(pollById.keys()),
    );
  });

  it('leaves no span open', () => {
    expect(harness.spanCounter.ended).toBe(harness.spanCounter.started);
  });
});
