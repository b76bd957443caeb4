/**
 * What the Confluent client instrumentation must never change or get wrong, on the real broker:
 * the application's headers reach Kafka whatever their names (names of Object.prototype's members
 * included), two instances of the instrumentation in one process (register's and the
 * application's own) count every message once, and the group join time runs from `run()`, not
 * from `connect()`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ConfluentKafkaInstrumentation } from '../../../src';
import type { EnablableInstrumentation } from '../../support/instrumented-confluent';
import { instrumentConfluent } from '../../support/instrumented-confluent';
import { randomGroup } from '../../support/names';
import { waitFor } from '../../support/wait-for';

// Two instances, both enabled before the client loads, on one harness: each message must still
// be counted and traced exactly once.
const first = new ConfluentKafkaInstrumentation();
const second = new ConfluentKafkaInstrumentation();
const both: EnablableInstrumentation = {
  setTracerProvider: (provider) => {
    first.setTracerProvider(provider);
    second.setTracerProvider(provider);
  },
  setMeterProvider: (provider) => {
    first.setMeterProvider(provider);
    second.setMeterProvider(provider);
  },
  enable: () => {
    first.enable();
    second.enable();
  },
  disable: () => {
    second.disable();
    first.disable();
  },
};
const { harness, createKafka, createTopic, shutdown } = instrumentConfluent(both);
afterAll(shutdown);

interface Received {
  offset: string;
  headers: Record<string, unknown>;
}

/** Consumes `count` messages of `topic` from the beginning in a new group, then disconnects. */
async function consumeAll(topic: string, count: number, beforeRun?: () => Promise<void>) {
  const groupId = randomGroup();
  const consumer = createKafka('guarantees-consumer').consumer({
    kafkaJS: { groupId, fromBeginning: true },
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic] });
  await beforeRun?.();
  const received: Received[] = [];
  const runCalled = performance.now();
  let firstDelivery: number | undefined;
  await consumer.run({
    eachMessage: ({ message }) => {
      firstDelivery ??= performance.now();
      received.push({ offset: message.offset, headers: { ...message.headers } });
      return Promise.resolve();
    },
  });
  try {
    await waitFor(() => received.length >= count, {
      description: `${count} messages of ${topic}`,
      timeoutMs: 40_000,
    });
  } finally {
    await consumer.disconnect();
  }
  return { groupId, received, runToFirstDeliverySeconds: (firstDelivery! - runCalled) / 1000 };
}

describe('the Confluent client instrumentation', () => {
  it("sends every header of the application's, whatever its name, and adds only the trace context", async () => {
    const topic = await createTopic(1, 'guarantees-headers');
    const producer = createKafka('guarantees-producer').producer();
    await producer.connect();
    try {
      await producer.send({
        topic,
        messages: [{ value: 'v', headers: { constructor: 'c', toString: 't', plain: 'p' } }],
      });
    } finally {
      await producer.disconnect();
    }
    const { received } = await consumeAll(topic, 1);
    const headers = Object.fromEntries(
      Object.entries(received[0]!.headers).map(([name, value]) => [name, String(value)]),
    );
    expect(headers).toEqual({
      constructor: 'c',
      toString: 't',
      plain: 'p',
      traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/),
    });
  });

  it('counts and traces each message once with two instances of the instrumentation enabled', async () => {
    const topic = await createTopic(1, 'guarantees-two-instances');
    const producer = createKafka('guarantees-producer').producer();
    await producer.connect();
    try {
      await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    } finally {
      await producer.disconnect();
    }
    const { groupId, received } = await consumeAll(topic, 3);
    expect(received.map((message) => message.offset)).toEqual(['0', '1', '2']);
    const where = { 'messaging.destination.name': topic };
    expect(await harness.total('messaging.client.sent.messages', where)).toBe(3);
    expect(
      await harness.total('messaging.client.consumed.messages', {
        ...where,
        'messaging.consumer.group.name': groupId,
      }),
    ).toBe(3);
    const sends = harness.spansNamed(`send ${topic}`);
    const processes = harness.spansNamed(`process ${topic}`);
    expect(sends.map((span) => span.attributes['kafka.offset']).sort()).toEqual([0, 1, 2]);
    expect(processes.map((span) => span.attributes['kafka.offset']).sort()).toEqual([0, 1, 2]);
    const sendDurations = await harness.points('messaging.client.operation.duration', {
      ...where,
      'messaging.operation.name': 'send',
    });
    expect(sendDurations.map((point) => point.value)).toEqual([1]);
    // Each message carries one trace context, its own send span's.
    const sendIds = new Set(sends.map((span) => span.spanContext().spanId));
    for (const span of processes) expect(sendIds.has(span.parentSpanContext!.spanId)).toBe(true);
  });

  it('times the group join from run(), not from connect()', async () => {
    const topic = await createTopic(1, 'guarantees-join');
    const producer = createKafka('guarantees-producer').producer();
    await producer.connect();
    try {
      await producer.send({ topic, messages: [{ value: 'a' }] });
    } finally {
      await producer.disconnect();
    }
    // A pause between connect() and run() (an application's start-up work) is not joining.
    const { groupId, runToFirstDeliverySeconds } = await consumeAll(
      topic,
      1,
      () => new Promise((resolve) => setTimeout(resolve, 2_000)),
    );
    const [join] = await harness.points('kafka.consumer.group.join.duration', {
      'messaging.consumer.group.name': groupId,
    });
    expect(join?.value).toBe(1);
    const sum = join?.sum;
    // The join ended before the first message was handed over, and started after run().
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThanOrEqual(runToFirstDeliverySeconds);
  });
});
