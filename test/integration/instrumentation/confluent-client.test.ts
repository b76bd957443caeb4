/**
 * The harness for `@confluentinc/kafka-javascript` on the real broker, before any telemetry is
 * asserted: the client loads from the install the global setup provides, reaches the cluster
 * through every listener, and the client-neutral driver (client-under-test.ts) produces and
 * consumes exactly the same records, headers and offsets on it as on KafkaJS, each client under
 * its instrumentation (which adds the trace context header and changes nothing else).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ConfluentKafkaInstrumentation } from '../../../src';
import {
  confluentUnderTest,
  kafkaJsUnderTest,
  type ClientName,
  type ClientUnderTest,
  type ReceivedMessage,
} from '../../support/client-under-test';
import {
  instrumentConfluent,
  type EnablableInstrumentation,
  type InstrumentedConfluent,
} from '../../support/instrumented-confluent';
import { instrumentKafkaJs, type InstrumentedKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup, uniqueName } from '../../support/names';
import { ACCESS_NAMES } from '../../support/secured-access';
import { waitFor } from '../../support/wait-for';

/** Enables nothing: the harness loads the client exactly as it will under the instrumentation. */
const NO_INSTRUMENTATION: EnablableInstrumentation = {
  setTracerProvider: () => undefined,
  setMeterProvider: () => undefined,
  enable: () => undefined,
  disable: () => undefined,
};

/** Each client runs under its instrumentation. */
const INSTRUMENTED: Record<ClientName, boolean> = { kafkajs: true, confluent: true };

/** One harness per client for the whole file, made by whichever test needs it first. */
let confluentHarness: InstrumentedConfluent | undefined;
let kafkaJsHarness: InstrumentedKafkaJs | undefined;
const confluent = () =>
  (confluentHarness ??= instrumentConfluent(new ConfluentKafkaInstrumentation()));
const kafkaJs = () => (kafkaJsHarness ??= instrumentKafkaJs());

afterAll(async () => {
  await confluentHarness?.shutdown();
  await kafkaJsHarness?.shutdown();
});

interface Client {
  driver: ClientUnderTest;
  createTopic: (partitions?: number, prefix?: string) => Promise<string>;
}

function clientNamed(name: ClientName): Client {
  if (name === 'confluent') {
    const { createKafka, createTopic } = confluent();
    return { driver: confluentUnderTest(createKafka('confluent-smoke')), createTopic };
  }
  const { kafkajs, createKafka, createTopic } = kafkaJs();
  return { driver: kafkaJsUnderTest(kafkajs, createKafka('kafkajs-smoke')), createTopic };
}

const COUNT = 5;

/**
 * Five records, each with a single-valued header and a repeated one; new objects for every send,
 * because the Confluent client's send rewrites `headers` in place (into a list of one-key
 * objects, which a second send of the same object rejects).
 */
const outgoing = () =>
  Array.from({ length: COUNT }, (_, i) => ({
    key: `k${i}`,
    value: `value ${i}`,
    headers: { 'order-id': `order-${i}`, tag: ['first', `second-${i}`] },
  }));

/**
 * What the consumer must see: the same records at offsets 0..4 of the fresh topic, plus the
 * `traceparent` header the producer's instrumentation adds when the client is instrumented.
 */
const expected = (name: ClientName) =>
  outgoing().map((message, i) => ({
    offset: String(i),
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      ...(INSTRUMENTED[name]
        ? { traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/) }
        : {}),
    },
  }));

/** A received message as plain strings, for exact comparison (both clients give Buffers). */
function readable(message: ReceivedMessage) {
  const text = (value: Buffer | string | undefined) => value?.toString();
  return {
    offset: message.offset,
    key: text(message.key ?? undefined),
    value: text(message.value ?? undefined),
    headers: Object.fromEntries(
      Object.entries(message.headers ?? {}).map(([key, value]) => [
        key,
        Array.isArray(value) ? value.map(text) : text(value),
      ]),
    ),
  };
}

/** A fresh one-partition topic holding the five records, written by one send. */
async function topicWithRecords({ driver, createTopic }: Client, prefix: string) {
  const topic = await createTopic(1, prefix);
  const producer = await driver.producer();
  try {
    expect(await producer.send({ topic, messages: outgoing() })).toEqual([
      { topic, partition: 0, baseOffset: '0' },
    ]);
  } finally {
    await producer.disconnect();
  }
  return topic;
}

describe.each<ClientName>(['kafkajs', 'confluent'])('the client-neutral driver on %s', (name) => {
  it('consumes the five records with eachMessage: values, headers and offsets exact', async () => {
    const client = clientNamed(name);
    const topic = await topicWithRecords(client, `${name}-each-message`);
    const received: ReturnType<typeof readable>[] = [];
    const consumer = await client.driver.consumer({
      groupId: randomGroup(`${name}-each-message`),
      fromBeginning: true,
    });
    try {
      await consumer.subscribe([topic]);
      await consumer.run({
        eachMessage: ({ topic: from, partition, message }) => {
          expect({ from, partition }).toEqual({ from: topic, partition: 0 });
          received.push(readable(message));
          return Promise.resolve();
        },
      });
      await waitFor(() => received.length >= COUNT, {
        // Within the test's 60 s, so a failure names what never arrived.
        timeoutMs: 40_000,
        description: `${COUNT} messages on ${topic}`,
      });
    } finally {
      await consumer.disconnect();
    }
    expect(received).toEqual(expected(name));
  });

  it('consumes the five records with eachBatch: values, headers and offsets exact', async () => {
    const client = clientNamed(name);
    const topic = await topicWithRecords(client, `${name}-each-batch`);
    const received: ReturnType<typeof readable>[] = [];
    const consumer = await client.driver.consumer({
      groupId: randomGroup(`${name}-each-batch`),
      fromBeginning: true,
    });
    try {
      await consumer.subscribe([topic]);
      await consumer.run({
        eachBatch: ({ batch }) => {
          expect({ topic: batch.topic, partition: batch.partition }).toEqual({
            topic,
            partition: 0,
          });
          received.push(...batch.messages.map(readable));
          return Promise.resolve();
        },
      });
      await waitFor(() => received.length >= COUNT, {
        // Within the test's 60 s, so a failure names what never arrived.
        timeoutMs: 40_000,
        description: `${COUNT} messages on ${topic}`,
      });
    } finally {
      await consumer.disconnect();
    }
    expect(received).toEqual(expected(name));
  });

  it('commits a transaction of two records and aborts one of one record', async () => {
    const client = clientNamed(name);
    const topic = await client.createTopic(1, `${name}-transaction`);
    const producer = await client.driver.producer({ transactionalId: uniqueName(name) });
    try {
      const committed = await producer.transaction();
      expect(await committed.send({ topic, messages: [{ value: 'c0' }, { value: 'c1' }] })).toEqual(
        [{ topic, partition: 0, baseOffset: '0' }],
      );
      await committed.commit();
      const aborted = await producer.transaction();
      // Offset 2 is the first transaction's commit marker.
      expect(await aborted.send({ topic, messages: [{ value: 'a0' }] })).toEqual([
        { topic, partition: 0, baseOffset: '3' },
      ]);
      await aborted.abort();
    } finally {
      await producer.disconnect();
    }
  });
});

describe('the Confluent harness', () => {
  it('reaches the secured cluster through every listener and mechanism', async () => {
    const { createKafka, createTopic } = confluent();
    const topic = await createTopic(1, 'confluent-secured');
    for (const [i, access] of ACCESS_NAMES.entries()) {
      const producer = await confluentUnderTest(
        createKafka(`confluent-${access}`, access),
      ).producer();
      try {
        expect(await producer.send({ topic, messages: [{ value: access }] }), access).toEqual([
          { topic, partition: 0, baseOffset: String(i) },
        ]);
      } finally {
        await producer.disconnect();
      }
    }
  });

  it('refuses to load the client a second time, naming the module already loaded', () => {
    confluent();
    expect(() => instrumentConfluent(NO_INSTRUMENTATION)).toThrow(
      /@confluentinc\/kafka-javascript \(.*[\\/]lib[\\/].*\.js\) was loaded before the instrumentation was enabled/,
    );
  });
});
