/**
 * The per-message attributes of `send` and `process` spans on the real broker: the body size in
 * bytes, the tombstone flag of a null value, and the key, which `captureMessageKey: false`
 * keeps out of every span. Each test sends to a one-partition topic of its own, so a message's
 * offset is its index in the array sent.
 */
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Kafka, KafkaMessage, Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup } from '../../support/names';
import { waitFor } from '../../support/wait-for';

const { harness, instrumentation, createKafka, createTopic, shutdown } = instrumentKafkaJs();
let kafka: Kafka;

beforeAll(() => {
  kafka = createKafka('message-attributes');
});
afterAll(shutdown);

interface RoundTrip {
  /** The `send` spans, in offset order. */
  sends: ReadableSpan[];
  /** The `process` spans, in offset order. */
  processes: ReadableSpan[];
  /** What the consumer got, in offset order. */
  consumed: KafkaMessage[];
}

/**
 * Sends `messages` in one call to a new one-partition topic and consumes them back with a new
 * group; returns the spans of both sides, one per message, in offset order.
 */
async function roundTrip(messages: Message[]): Promise<RoundTrip> {
  const topic = await createTopic(1, 'attributes');
  const producer = kafka.producer(IDEMPOTENT_PRODUCER);
  await producer.connect();
  await producer.send({ topic, messages });
  await producer.disconnect();

  const consumed: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId: randomGroup('attributes'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        consumed.push(message);
        return Promise.resolve();
      },
    });
    await waitFor(() => harness.spansNamed(`process ${topic}`).length >= messages.length, {
      description: `${messages.length} process spans of ${topic}`,
    });
  } finally {
    await consumer.disconnect();
  }
  expect(consumed.map((message) => message.offset)).toEqual(messages.map((_, i) => String(i)));
  const inOffsetOrder = (name: string) => {
    const spans = harness.spansNamed(name);
    expect(spans, name).toHaveLength(messages.length);
    return spans.sort(
      (a, b) => Number(a.attributes['kafka.offset']) - Number(b.attributes['kafka.offset']),
    );
  };
  const sends = inOffsetOrder(`send ${topic}`);
  const processes = inOffsetOrder(`process ${topic}`);
  expect(sends.map((span) => span.attributes['kafka.offset'])).toEqual(messages.map((_, i) => i));
  return { sends, processes, consumed };
}

/** One attribute of each span, `undefined` where a span lacks it. */
const attribute = (spans: ReadableSpan[], name: string) =>
  spans.map((span) => span.attributes[name]);

describe('message attributes of send and process spans', () => {
  it('sets messaging.message.body.size to the bytes of the value: UTF-8 for strings, 0 for a tombstone, the key not counted', async () => {
    const { sends, processes, consumed } = await roundTrip([
      { key: 'a key that is not part of the body', value: 'ascii' },
      // é is 2 bytes in UTF-8, € 3 and 😀 4: 9 bytes for 4 UTF-16 code units.
      { value: 'é€😀' },
      { value: Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f, 0x01]) },
      { value: '' },
      { key: 'deleted', value: null },
    ]);
    const bodySizes = [5, 9, 6, 0, 0];
    expect(attribute(sends, 'messaging.message.body.size')).toEqual(bodySizes);
    expect(attribute(processes, 'messaging.message.body.size')).toEqual(bodySizes);
    // The broker stored those very bytes.
    expect(consumed.map((message) => message.value?.length ?? 0)).toEqual(bodySizes);
  });

  it('marks a tombstone (a null value) with kafka.message.tombstone, and nothing else', async () => {
    const { sends, processes, consumed } = await roundTrip([
      { key: 'k', value: null },
      { key: 'k', value: '' },
      { key: 'k', value: 'v' },
    ]);
    expect(consumed.map((message) => message.value)).toEqual([
      null,
      Buffer.from(''),
      Buffer.from('v'),
    ]);
    const tombstones = [true, undefined, undefined];
    expect(attribute(sends, 'kafka.message.tombstone')).toEqual(tombstones);
    expect(attribute(processes, 'kafka.message.tombstone')).toEqual(tombstones);
  });

  it('also names the tombstone messaging.kafka.message.tombstone with emitLegacyKafkaAttributes', async () => {
    instrumentation.setConfig({ emitLegacyKafkaAttributes: true });
    try {
      const { sends, processes } = await roundTrip([
        { key: 'k', value: null },
        { key: 'k', value: 'v' },
      ]);
      for (const spans of [sends, processes]) {
        expect(attribute(spans, 'kafka.message.tombstone')).toEqual([true, undefined]);
        expect(attribute(spans, 'messaging.kafka.message.tombstone')).toEqual([true, undefined]);
      }
    } finally {
      instrumentation.setConfig({});
    }
  });

  it('records kafka.message.key by default: strings as they are, Buffers decoded as UTF-8, none without a key', async () => {
    const { sends, processes } = await roundTrip([
      { key: 'order-é', value: '1' },
      { key: Buffer.from('клиент-7', 'utf8'), value: '2' },
      { value: '3' },
    ]);
    const keys = ['order-é', 'клиент-7', undefined];
    expect(attribute(sends, 'kafka.message.key')).toEqual(keys);
    expect(attribute(processes, 'kafka.message.key')).toEqual(keys);
  });

  it('records no key with captureMessageKey: false, under neither name, while Kafka still gets the key', async () => {
    instrumentation.setConfig({ captureMessageKey: false, emitLegacyKafkaAttributes: true });
    try {
      const { sends, processes, consumed } = await roundTrip([
        { key: 'personal-data', value: 'a' },
        { key: Buffer.from('more-personal-data'), value: 'b' },
      ]);
      expect(consumed.map((message) => message.key?.toString())).toEqual([
        'personal-data',
        'more-personal-data',
      ]);
      for (const span of [...sends, ...processes]) {
        expect(span.attributes).not.toHaveProperty(['kafka.message.key']);
        expect(span.attributes).not.toHaveProperty(['messaging.kafka.message.key']);
        // Only the key is left out: the message's other attributes are still there.
        expect(span.attributes['messaging.message.body.size']).toBe(1);
        expect(span.attributes['messaging.kafka.offset']).toBe(span.attributes['kafka.offset']);
      }
    } finally {
      instrumentation.setConfig({});
    }
  });
});
