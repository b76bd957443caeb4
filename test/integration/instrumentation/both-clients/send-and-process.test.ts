/**
 * Send and eachMessage/eachBatch telemetry on the real broker, the same assertions on KafkaJS
 * and on Confluent's client: one PRODUCER span per message where the record landed, exact
 * counts and bytes, process spans as children (or links) of their send spans, and what a
 * refused send and a throwing handler leave behind. Where the clients differ by design, the
 * test says so in `expectedFor`.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClientName } from '../../../support/client-under-test';
import { randomGroup } from '../../../support/names';
import { waitFor } from '../../../support/wait-for';
import {
  CLIENTS,
  consumeEachMessage,
  instrumentedClient,
  sendOnce,
  shutdownClients,
  withConfig,
} from './instrumented-clients';

afterAll(shutdownClients);

/** Broker default message.max.bytes is 1048588, librdkafka's own limit 1000000: over both. */
const TOO_LARGE = 1_100_000;

/** The application's own error class, named, as a handler would throw it. */
class PaymentError extends Error {
  override name = 'PaymentError';
}

/** The named differences between the clients this file asserts. */
const expectedFor = (name: ClientName) =>
  ({
    kafkajs: {
      // KafkaJS reads the cluster id from Metadata; librdkafka does not expose it.
      clusterId: expect.stringMatching(/^[\w-]{22}$/) as unknown,
      // A handler error crashes KafkaJS's consumer (it restarts and redelivers); Confluent's
      // client catches it, seeks back and redelivers without any crash event.
      crashes: [
        {
          attributes: expect.objectContaining({
            'error.type': 'PaymentError',
            'kafka.consumer.restart': true,
          }) as unknown,
          value: 1,
        },
      ],
      // An empty value arrives as it was sent.
      emptyValues: [Buffer.alloc(0)] as (Buffer | null)[],
      // A message too large: the broker refuses it, KafkaJS rejects with its protocol error.
      tooLarge: { name: 'KafkaJSProtocolError', code: 10 },
    },
    confluent: {
      clusterId: undefined,
      crashes: [],
      // The client's native binding hands an empty value over as null (a tombstone) on Node 20,
      // as an empty Buffer on Node 24: either is the client's, not the instrumentation's.
      emptyValues: [null, Buffer.alloc(0)],
      // librdkafka refuses the message before any request (over its message.max.bytes):
      // produce() throws its LibrdKafkaError (code 10, MSG_SIZE_TOO_LARGE), which send rejects with.
      tooLarge: { name: 'LibrdKafkaError', code: 10 },
    },
  })[name];

const byOffset = (spans: ReadableSpan[]) =>
  [...spans].sort(
    (a, b) =>
      Number(a.attributes['messaging.destination.partition.id']) -
        Number(b.attributes['messaging.destination.partition.id']) ||
      Number(a.attributes['kafka.offset']) - Number(b.attributes['kafka.offset']),
  );

const position = (span: ReadableSpan) => [
  span.attributes['messaging.destination.partition.id'],
  span.attributes['kafka.offset'],
];

describe.each(CLIENTS)('send and process telemetry on %s', (name) => {
  it('one send span per message where it landed, message attributes, exact counts and bytes, process spans its children', async () => {
    const client = instrumentedClient(name);
    const { harness } = client;
    const topic = await client.createTopic(2, `${name}-round-trip`);
    const groupId = randomGroup(`${name}-round-trip`);
    // Partitions chosen, so each message's offset is known: 0..2 on partition 0, 0..1 on 1.
    const messages = [
      { key: 'a', value: 'ascii', partition: 0 },
      // é is 2 bytes in UTF-8, € 3 and 😀 4.
      { value: 'é€😀', partition: 1 },
      { key: 't', value: null, partition: 0 },
      { key: 'k', value: '', partition: 1 },
      { key: 'b', value: 'second', partition: 0 },
    ];
    const landed = await sendOnce(client, topic, messages, `${name}-round-trip`);
    expect([...landed].sort((a, b) => a.partition - b.partition)).toEqual([
      { topic, partition: 0, baseOffset: '0' },
      { topic, partition: 1, baseOffset: '0' },
    ]);
    const delivered = await consumeEachMessage(client, {
      topic,
      groupId,
      count: messages.length,
      clientId: `${name}-round-trip`,
    });
    expect(delivered.map((d) => [d.partition, d.offset, d.key, d.value])).toEqual([
      [0, '0', 'a', Buffer.from('ascii')],
      [0, '1', 't', null],
      [0, '2', 'b', Buffer.from('second')],
      [1, '0', undefined, Buffer.from('é€😀')],
      [1, '1', 'k', delivered[4]?.value],
    ]);
    const emptyArrived = delivered[4]?.value ?? null;
    expect(expectedFor(name).emptyValues).toContainEqual(emptyArrived);

    const sends = byOffset(harness.spansNamed(`send ${topic}`));
    const processes = byOffset(harness.spansNamed(`process ${topic}`));
    expect(sends.map(position)).toEqual([
      ['0', 0],
      ['0', 1],
      ['0', 2],
      ['1', 0],
      ['1', 1],
    ]);
    expect(processes.map(position)).toEqual(sends.map(position));
    const attribute = (spans: ReadableSpan[], key: string) => spans.map((s) => s.attributes[key]);
    // The send span describes the application's message, the process span what arrived.
    const storedTombstone = emptyArrived === null ? true : undefined;
    expect(attribute(sends, 'kafka.message.tombstone')).toEqual([
      undefined,
      true,
      undefined,
      undefined,
      undefined,
    ]);
    expect(attribute(processes, 'kafka.message.tombstone')).toEqual([
      undefined,
      true,
      undefined,
      undefined,
      storedTombstone,
    ]);
    for (const spans of [sends, processes]) {
      expect(attribute(spans, 'messaging.message.body.size')).toEqual([5, 0, 6, 9, 0]);
      expect(attribute(spans, 'kafka.message.key')).toEqual(['a', 't', 'b', undefined, 'k']);
      expect(attribute(spans, 'kafka.cluster.id')).toEqual(
        Array<unknown>(5).fill(expectedFor(name).clusterId),
      );
    }
    const [host, port] = client.brokers[0]!.split(':');
    sends.forEach((send, i) => {
      const process = processes[i]!;
      expect(send.kind).toBe(SpanKind.PRODUCER);
      expect(send.status.code).toBe(SpanStatusCode.UNSET);
      expect(send.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.operation.name': 'send',
        'messaging.operation.type': 'send',
        'messaging.destination.name': topic,
        'messaging.client.id': `${name}-round-trip`,
        'server.address': host,
        'server.port': Number(port),
      });
      expect(process.kind).toBe(SpanKind.CONSUMER);
      expect(process.attributes).toMatchObject({
        'messaging.operation.name': 'process',
        'messaging.operation.type': 'process',
        'messaging.destination.name': topic,
        'messaging.consumer.group.name': groupId,
      });
      expect(process.spanContext().traceId, 'the process span continues the send trace').toBe(
        send.spanContext().traceId,
      );
      expect(process.parentSpanContext?.spanId, 'the send span is the parent').toBe(
        send.spanContext().spanId,
      );
      expect(process.links).toEqual([]);
    });

    const onTopic = { 'messaging.destination.name': topic };
    const perPartition = async (metric: string): Promise<Record<string, number>> =>
      Object.fromEntries(
        (await harness.points(metric, onTopic)).map((p): [string, number] => [
          String(p.attributes['messaging.destination.partition.id']),
          p.value,
        ]),
      );
    expect(await perPartition('messaging.client.sent.messages')).toEqual({ '0': 3, '1': 2 });
    expect(await perPartition('messaging.client.consumed.messages')).toEqual({ '0': 3, '1': 2 });
    // Keys and values: a+ascii, é€😀, t, k, b+second.
    expect(await harness.total('kafka.client.sent.bytes', onTopic)).toBe(24);
    expect(await harness.total('kafka.client.consumed.bytes', onTopic)).toBe(24);
    expect(
      await harness.total('messaging.client.operation.duration', {
        ...onTopic,
        'messaging.operation.name': 'send',
      }),
    ).toBe(1);
    expect(await harness.total('messaging.process.duration', onTopic)).toBe(5);
    // One latency point per batch a fetch delivered (its first record): at least one per
    // partition read, at most one per message.
    const latencies = await harness.total('kafka.consumer.end_to_end.latency', onTopic);
    expect(latencies).toBeGreaterThanOrEqual(2);
    expect(latencies).toBeLessThanOrEqual(5);
  });

  it('a message too large: the send rejects with the client own error, its span and count carry MESSAGE_TOO_LARGE', async () => {
    const client = instrumentedClient(name);
    const { harness } = client;
    const topic = await client.createTopic(1, `${name}-too-large`);
    const producer = await client.driver(`${name}-too-large`).producer();
    let thrown: unknown;
    try {
      thrown = await producer
        .send({ topic, messages: [{ key: 'big', value: Buffer.alloc(TOO_LARGE, 0x61) }] })
        .then(
          () => new Error('a message over the size limits was accepted'),
          (error: unknown) => error,
        );
    } finally {
      await producer.disconnect();
    }
    const error = thrown as Error & { code?: number };
    const { tooLarge } = expectedFor(name);
    expect(error.constructor.name).toBe(tooLarge.name);
    expect(error.code).toBe(tooLarge.code);
    if (name === 'kafkajs') expect(error).toBeInstanceOf(client.errorClass);

    const sends = harness.spansNamed(`send ${topic}`);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
    expect(sends[0]!.attributes['error.type']).toBe('MESSAGE_TOO_LARGE');
    expect(sends[0]!.events.map((e) => [e.name, e.attributes?.['exception.message']])).toEqual([
      ['exception', error.message],
    ]);
    const failed = await harness.points('messaging.client.sent.messages', {
      'messaging.destination.name': topic,
    });
    expect(failed.map((p) => [p.attributes['error.type'], p.value])).toEqual([
      ['MESSAGE_TOO_LARGE', 1],
    ]);
    expect(
      await harness.total('messaging.client.operation.duration', {
        'messaging.destination.name': topic,
        'error.type': 'MESSAGE_TOO_LARGE',
      }),
    ).toBe(1);
    expect(
      await harness.total('kafka.client.sent.bytes', { 'messaging.destination.name': topic }),
    ).toBe(0);
  });

  it("producerSpanMode 'call': sendBatch over two topics gives one span per topic with its batch size, parenting every process span", async () => {
    const client = instrumentedClient(name);
    const { harness } = client;
    const [orders, audit] = await Promise.all([
      client.createTopic(2, `${name}-call-orders`),
      client.createTopic(1, `${name}-call-audit`),
    ]);
    await withConfig(client, { producerSpanMode: 'call' }, async () => {
      const producer = await client.driver(`${name}-call`).producer();
      try {
        const landed = await producer.sendBatch([
          {
            topic: orders,
            messages: [
              { key: 'o-1', value: 'first', partition: 0 },
              { key: 'o-2', value: 'second', partition: 1 },
              { key: 'o-3', value: 'third', partition: 0 },
            ],
          },
          { topic: audit, messages: [{ value: 'seen' }, { key: 'é', value: '€' }] },
        ]);
        expect(landed.map((l) => `${l.topic}/${l.partition}@${l.baseOffset}`).sort()).toEqual(
          [`${orders}/0@0`, `${orders}/1@0`, `${audit}/0@0`].sort(),
        );
      } finally {
        await producer.disconnect();
      }
    });
    for (const [topic, size, bytes] of [
      [orders, 3, 25],
      [audit, 2, 9],
    ] as const) {
      const sends = harness.spansNamed(`send ${topic}`);
      expect(sends, topic).toHaveLength(1);
      expect(sends[0]!.attributes['messaging.batch.message_count']).toBe(size);
      // A call span describes no single message.
      expect(sends[0]!.attributes['kafka.offset']).toBeUndefined();
      expect(sends[0]!.attributes['kafka.message.key']).toBeUndefined();
      expect(
        await harness.total('messaging.client.sent.messages', {
          'messaging.destination.name': topic,
        }),
      ).toBe(size);
      expect(
        await harness.total('kafka.client.sent.bytes', { 'messaging.destination.name': topic }),
      ).toBe(bytes);
      await consumeEachMessage(client, {
        topic,
        groupId: randomGroup(`${name}-call`),
        count: size,
      });
      const processes = harness.spansNamed(`process ${topic}`);
      expect(processes).toHaveLength(size);
      for (const process of processes) {
        expect(process.parentSpanContext?.spanId).toBe(sends[0]!.spanContext().spanId);
      }
    }
    // One sendBatch call, timed once for the call or once per topic it wrote to.
    const topicNames = { [orders]: 'orders', [audit]: 'audit' };
    const timings = (
      await harness.points('messaging.client.operation.duration', {
        'messaging.operation.name': 'send',
      })
    ).filter((p) => {
      const topic = p.attributes['messaging.destination.name'] as string | undefined;
      // This test's topics, or none: KafkaJS's points of other tests all name their topic.
      return topic === undefined || topic in topicNames;
    });
    expect(
      timings.map((p) => topicNames[p.attributes['messaging.destination.name'] as string]).sort(),
      // Timed once for the call, under no topic as it wrote to several (Confluent's sendBatch
      // calls send per topic; the instrumentation still times the batch as one operation).
    ).toEqual([undefined]);
    expect(timings.every((p) => p.value === 1)).toBe(true);
  });

  it("consumerContextRelation 'link': the process span starts a trace of its own, linked to its send span", async () => {
    const client = instrumentedClient(name);
    const { harness } = client;
    const topic = await client.createTopic(1, `${name}-link`);
    await sendOnce(client, topic, [{ value: 'one' }, { value: 'two' }]);
    await withConfig(client, { consumerContextRelation: 'link' }, () =>
      consumeEachMessage(client, { topic, groupId: randomGroup(`${name}-link`), count: 2 }),
    );
    const sends = byOffset(harness.spansNamed(`send ${topic}`));
    const processes = byOffset(harness.spansNamed(`process ${topic}`));
    expect(processes.map(position)).toEqual([
      ['0', 0],
      ['0', 1],
    ]);
    processes.forEach((process, i) => {
      const send = sends[i]!.spanContext();
      expect(process.parentSpanContext).toBeUndefined();
      expect(process.spanContext().traceId).not.toBe(send.traceId);
      expect(process.links.map((link) => link.context.spanId)).toEqual([send.spanId]);
    });
  });

  it('eachBatch: a poll span per batch linked to its send spans, a process span per message ended by resolveOffset', async () => {
    const client = instrumentedClient(name);
    const { harness } = client;
    const topic = await client.createTopic(1, `${name}-batch`);
    await sendOnce(
      client,
      topic,
      Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
    );
    const batchSizes: number[] = [];
    const consumer = await client.driver(`${name}-batch`).consumer({
      groupId: randomGroup(`${name}-batch`),
      fromBeginning: true,
      maxWaitTimeInMs: 100,
    });
    try {
      await consumer.subscribe([topic]);
      await consumer.run({
        eachBatchAutoResolve: false,
        eachBatch: async (payload) => {
          const { batch } = payload;
          batchSizes.push(batch.messages.length);
          for (const message of batch.messages) {
            await new Promise((resolve) => setTimeout(resolve, 10)); // "processing"
            payload.resolveOffset(message.offset);
          }
        },
      });
      await waitFor(() => harness.spansNamed(`process ${topic}`).length >= 5, {
        timeoutMs: 40_000,
        description: '5 process spans',
      });
    } finally {
      await consumer.disconnect();
    }
    // How many messages a fetch brings differs (Confluent's client grows its batches from one
    // message); what is exact is one poll span per batch the handler got.
    expect(batchSizes.reduce((a, b) => a + b, 0)).toBe(5);
    const polls = harness.spansNamed(`poll ${topic}`);
    expect(polls).toHaveLength(batchSizes.length);
    expect(polls.map((p) => p.attributes['messaging.batch.message_count']).sort()).toEqual(
      [...batchSizes].sort(),
    );
    const sends = byOffset(harness.spansNamed(`send ${topic}`));
    const linked = polls.flatMap((poll) => poll.links.map((link) => link.context.spanId));
    expect(new Set(linked)).toEqual(new Set(sends.map((s) => s.spanContext().spanId)));
    const processes = byOffset(harness.spansNamed(`process ${topic}`));
    expect(processes.map((p) => p.attributes['kafka.offset'])).toEqual([0, 1, 2, 3, 4]);
    const pollIds = new Set(polls.map((poll) => poll.spanContext().spanId));
    processes.forEach((process, i) => {
      expect(pollIds.has(process.parentSpanContext!.spanId)).toBe(true);
      expect(process.links.map((link) => link.context.spanId)).toEqual([
        sends[i]!.spanContext().spanId,
      ]);
    });
    expect(
      await harness.total('messaging.client.consumed.messages', {
        'messaging.destination.name': topic,
      }),
    ).toBe(5);
  });

  it("a handler that throws: its process span is an ERROR named after the handler's error, and the message is delivered again", async () => {
    const client = instrumentedClient(name);
    const { harness } = client;
    const { started, ended } = harness.spanCounter;
    const topic = await client.createTopic(1, `${name}-throws`);
    const groupId = randomGroup(`${name}-throws`);
    await sendOnce(client, topic, [{ value: 'pay me' }]);
    // Not a TypeError: KafkaJS treats those as unrecoverable and never restarts after them.
    const failure = new PaymentError('payment service down');
    let calls = 0;
    const consumer = await client
      .driver(`${name}-throws`)
      .consumer({ groupId, fromBeginning: true, maxWaitTimeInMs: 100, kafkaJsRetries: 0 });
    try {
      await consumer.subscribe([topic]);
      await consumer.run({
        eachMessage: () => (++calls === 1 ? Promise.reject(failure) : Promise.resolve()),
      });
      await waitFor(() => harness.spansNamed(`process ${topic}`).length === 2, {
        timeoutMs: 40_000,
        description: 'the failed delivery and the one after it',
      });
    } finally {
      await consumer.disconnect();
    }
    expect(calls).toBe(2);
    const [failed, redelivered] = byOffset(harness.spansNamed(`process ${topic}`)).sort(
      (a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1],
    );
    expect(failed!.status).toEqual({ code: SpanStatusCode.ERROR, message: failure.message });
    expect(failed!.attributes['error.type']).toBe('PaymentError');
    expect(failed!.attributes['kafka.offset']).toBe(0);
    expect(redelivered!.status.code).toBe(SpanStatusCode.UNSET);
    expect(redelivered!.attributes['kafka.offset']).toBe(0);
    const handlerCalls = await harness.points('messaging.process.duration', {
      'messaging.destination.name': topic,
    });
    expect(handlerCalls.map((p) => [p.attributes['error.type'], p.value])).toEqual(
      expect.arrayContaining([
        ['PaymentError', 1],
        [undefined, 1],
      ]),
    );
    expect(handlerCalls).toHaveLength(2);
    expect(
      await harness.points('kafka.consumer.crashes', { 'messaging.consumer.group.name': groupId }),
    ).toEqual(expectedFor(name).crashes);
    // No other span: Confluent's client commits the position it sought back to through its own
    // commitOffsets(), a commit the application did not make, which gets no span (as KafkaJS's).
    expect(
      harness
        .spans()
        .filter((span) => span.name.endsWith(topic) && !/^(send|process) /.test(span.name))
        .map((span) => span.name),
    ).toEqual([]);
    // The send and both process spans, all ended.
    const spans = 3;
    expect(harness.spanCounter.started - started).toBe(spans);
    expect(harness.spanCounter.ended - ended).toBe(spans);
  });
});
