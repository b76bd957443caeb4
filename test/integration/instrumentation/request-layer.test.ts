/**
 * The protocol request layer (`Connection#send` and `#connect`) against the real broker:
 * connections by client kind, the opt-in request spans, request timeouts and the request queue.
 * A broker that is slow on demand is the real broker behind a loopback relay
 * (test/support/broker-relay.ts) that holds its replies back while told to: the requests, the
 * answers and the broker are real, and the shared broker itself is never disturbed.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Kafka, KafkaConfig } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrokerRelay, type BrokerRelay } from '../../support/broker-relay';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup, uniqueName } from '../../support/names';
import { waitFor } from '../../support/wait-for';

const { harness, instrumentation, kafkajs, brokers, createTopic, shutdown } = instrumentKafkaJs({
  requestSpans: true,
});
const REQUEST_SPANS = { requestSpans: true };

const PRODUCE_API = 0;
const METADATA_API = 3;
/** KafkaJS 2.2.4's newest Produce version; every broker the suite runs (3.9, 4.x) accepts it. */
const KAFKAJS_PRODUCE_VERSION = 7;
/** Broker default message.max.bytes is 1048588: this value is rejected as MESSAGE_TOO_LARGE. */
const TOO_LARGE = 1_100_000;

/** The broker as every request metric and span of this file names it. */
let broker: { 'server.address': string; 'server.port': number };
beforeAll(() => {
  const [host, port] = brokers[0]!.split(':');
  broker = { 'server.address': host!, 'server.port': Number(port) };
});
afterAll(shutdown);

/** A quiet client of its own id (pass the relay's `socketFactory` to go through a relay). */
function newKafka(prefix: string, options: Partial<KafkaConfig> = {}) {
  const clientId = uniqueName(prefix);
  const kafka: Kafka = new kafkajs.Kafka({
    clientId,
    brokers,
    logLevel: kafkajs.logLevel.NOTHING,
    ...options,
  });
  return { kafka, clientId };
}

/** Runs `work` with a relay of its own in front of the broker. */
async function withRelay<T>(work: (relay: BrokerRelay) => Promise<T>): Promise<T> {
  const relay = await startBrokerRelay(brokers[0]!);
  try {
    return await work(relay);
  } finally {
    await relay.close();
  }
}

/** The spans of one client (every span carries its client's id). */
const spansOfClient = (clientId: string) =>
  harness.spans().filter((span) => span.attributes['messaging.client.id'] === clientId);

/** The request spans of one client, oldest first: the spans named after a Kafka API. */
const requestSpansOf = (clientId: string) =>
  spansOfClient(clientId).filter((span) => span.attributes['kafka.api.name'] === span.name);

const openConnections = (kind: string) =>
  harness.total('kafka.client.connections', { ...broker, 'kafka.client.kind': kind });

async function connectionsByKind() {
  return {
    producer: await openConnections('producer'),
    consumer: await openConnections('consumer'),
    admin: await openConnections('admin'),
  };
}

const noConnections = { producer: 0, consumer: 0, admin: 0 };

/** Waits until every socket counted so far has closed (KafkaJS resolves before the close event). */
const allClosed = (why: string) =>
  waitFor(
    async () => {
      expect(await connectionsByKind()).toEqual(noConnections);
      return true;
    },
    { description: why },
  );

describe('kafka.client.connections', () => {
  it('counts open sockets by client kind: one for a producer and an admin client, two for a consumer', async () => {
    const topic = await createTopic(1, 'connections');
    await allClosed('the topic admin socket closed');
    // The counts below hold when the bootstrap address is the one the broker advertises: KafkaJS
    // then reuses its bootstrap connection for the broker instead of opening a second one.
    const { kafka } = newKafka('connections');
    const admin = kafka.admin();
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: randomGroup('connections'), maxWaitTimeInMs: 100 });
    try {
      await admin.connect();
      const { brokers: advertised } = await admin.describeCluster();
      expect(advertised.map(({ host, port }) => `${host}:${port}`)).toEqual(brokers);

      await producer.connect();
      await producer.send({ topic, messages: [{ value: 'counted' }] });

      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let delivered = 0;
      await consumer.run({
        eachMessage: () => {
          delivered++;
          return Promise.resolve();
        },
      });
      // A delivered message has come through a Fetch: by then the consumer has both its sockets.
      await waitFor(() => delivered === 1, { description: 'the message delivered' });
      // KafkaJS keeps two connections per broker and client, and opens the second one only for
      // Fetch: the admin client and the producer never fetch, the consumer does (its group
      // requests go over the first). One broker, so one (or two) sockets per client.
      expect(await connectionsByKind()).toEqual({ producer: 1, consumer: 2, admin: 1 });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
    await allClosed('every socket closed after disconnect');
  });
});

describe('request spans (requestSpans: true)', () => {
  it("a CLIENT span per protocol request, named after its API, with the broker's error name when it refuses one", async () => {
    const topic = await createTopic(1, 'request-spans');
    const { kafka, clientId } = newKafka('request-spans', { retry: { retries: 0 } });
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic, messages: [{ value: 'fits' }] });
      const refused = await producer
        .send({ topic, messages: [{ value: Buffer.alloc(TOO_LARGE, 0x61) }] })
        .catch((error: unknown) => error);
      expect((refused as { type?: string }).type).toBe('MESSAGE_TOO_LARGE');
    } finally {
      await producer.disconnect();
    }

    // Connecting asks for the broker's versions, the first send for the topic's metadata; then
    // one Produce per send. (KafkaJS does not retry MESSAGE_TOO_LARGE.)
    const spans = requestSpansOf(clientId);
    expect(spans.map((span) => [span.name, span.attributes['kafka.api.key']])).toEqual([
      ['ApiVersions', 18],
      ['Metadata', METADATA_API],
      ['Produce', PRODUCE_API],
      ['Produce', PRODUCE_API],
    ]);
    for (const span of spans) expect(span.kind, span.name).toBe(SpanKind.CLIENT);
    const [written, tooLarge] = spans.slice(2) as [ReadableSpan, ReadableSpan];
    const produceAttributes = {
      'kafka.api.name': 'Produce',
      'kafka.api.key': PRODUCE_API,
      'kafka.api.version': KAFKAJS_PRODUCE_VERSION,
      'messaging.client.id': clientId,
      ...broker,
    };
    expect(written.attributes).toEqual({ 'messaging.system': 'kafka', ...produceAttributes });
    expect(written.status.code).toBe(SpanStatusCode.UNSET);

    expect(tooLarge.attributes).toEqual({
      'messaging.system': 'kafka',
      ...produceAttributes,
      'error.type': 'MESSAGE_TOO_LARGE',
    });
    expect(tooLarge.status.code).toBe(SpanStatusCode.ERROR);
    expect(tooLarge.events.map((event) => event.name)).toEqual(['exception']);
    // The request metric tells the same: one Produce refused with that name.
    expect(
      await harness.total('kafka.client.request.duration', {
        'kafka.api.name': 'Produce',
        'error.type': 'MESSAGE_TOO_LARGE',
        ...broker,
      }),
    ).toBe(1);
  });

  it('no request span without requestSpans (the default), while the send is still traced', async () => {
    const topic = await createTopic(1, 'no-request-spans');
    instrumentation.setConfig({});
    try {
      const { kafka, clientId } = newKafka('no-request-spans');
      const producer = kafka.producer();
      await producer.connect();
      try {
        await producer.send({ topic, messages: [{ value: 'untraced requests' }] });
      } finally {
        await producer.disconnect();
      }
      expect(spansOfClient(clientId).map((span) => span.name)).toEqual([`send ${topic}`]);
    } finally {
      instrumentation.setConfig(REQUEST_SPANS);
    }
  });
});

describe('a request the broker does not answer in time', () => {
  it('is counted in kafka.client.request.timeouts, recorded with error.type timeout, and its span fails', async () => {
    const topic = await createTopic(1, 'request-timeout');
    // Metadata timeouts recorded before this test's work: the counts below are its own.
    const metadata = { 'kafka.api.name': 'Metadata', ...broker };
    const timedOutMetadata = { ...metadata, 'error.type': 'timeout' };
    const timeoutsBefore = await harness.total('kafka.client.request.timeouts', metadata);
    const durationsBefore = await harness.total('kafka.client.request.duration', timedOutMetadata);
    const clientId = await withRelay(async (relay) => {
      const { kafka, clientId } = newKafka('request-timeout', {
        socketFactory: relay.socketFactory,
        requestTimeout: 1_000,
        retry: { retries: 0 },
      });
      const admin = kafka.admin();
      await admin.connect();
      try {
        relay.holdReplies();
        const thrown = await admin.fetchTopicMetadata({ topics: [topic] }).catch((e: unknown) => e);
        // KafkaJS gave up on the one Metadata request it sent; the broker's answer is still held.
        expect(thrown).toBeInstanceOf(kafkajs.KafkaJSRequestTimeoutError);
        // The broker did answer (a loaded machine may take a while): the relay holds the answer.
        await waitFor(() => relay.heldReplies() === 1, { description: "the broker's answer" });
        expect(relay.traffic(METADATA_API)).toMatchObject({ requests: 1, responses: 1 });
      } finally {
        relay.releaseReplies();
        await admin.disconnect();
      }
      return clientId;
    });

    // The one Metadata request that timed out: counted once, recorded once as a timeout.
    expect((await harness.total('kafka.client.request.timeouts', metadata)) - timeoutsBefore).toBe(
      1,
    );
    expect(
      (await harness.total('kafka.client.request.duration', timedOutMetadata)) - durationsBefore,
    ).toBe(1);
    const timedOut = requestSpansOf(clientId).filter(
      (span) => span.attributes['error.type'] === 'timeout',
    );
    expect(timedOut.map((span) => span.name)).toEqual(['Metadata']);
    expect(timedOut[0]!.kind).toBe(SpanKind.CLIENT);
    expect(timedOut[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(timedOut[0]!.attributes).toMatchObject({ 'kafka.api.key': METADATA_API, ...broker });
  });
});

describe('kafka.client.request.queue.size', () => {
  it("is the number of requests waiting for the connection's in-flight slot, as KafkaJS reports it", async () => {
    const topic = await createTopic(1, 'request-queue');
    await withRelay(async (relay) => {
      const { kafka } = newKafka('request-queue', { socketFactory: relay.socketFactory });
      // One request in flight per connection: while the broker's answer is held, the next ones wait.
      const producer = kafka.producer({ maxInFlightRequests: 1 });
      const reported: number[] = [];
      producer.on(producer.events.REQUEST_QUEUE_SIZE, ({ payload }) => {
        reported.push(payload.queueSize);
      });
      const queueSize = () => harness.points('kafka.client.request.queue.size', broker);
      await producer.connect();
      try {
        // Connects and learns the topic's leader: after this, a send is one Produce request.
        await producer.send({ topic, messages: [{ value: 'warm-up' }] });
        expect(reported).toEqual([]);

        relay.holdReplies();
        const sends = [1, 2, 3].map((n) => producer.send({ topic, messages: [{ value: `${n}` }] }));
        // The first Produce is in flight (its answer held), the other two wait behind it.
        await waitFor(() => reported.length === 2, { description: 'two requests queued' });
        await waitFor(() => relay.heldReplies() === 1, { description: 'the first answer held' });
        expect(reported).toEqual([1, 2]);
        expect(relay.traffic(PRODUCE_API).requests).toBe(2);
        expect((await queueSize()).map((point) => point.value)).toEqual([2]);

        relay.releaseReplies();
        await Promise.all(sends);
        // Each answer frees the slot for the next request: 1 waiting, then none.
        expect(reported).toEqual([1, 2, 1, 0]);
        expect(relay.traffic(PRODUCE_API).requests).toBe(4);
        expect((await queueSize()).map((point) => point.value)).toEqual([0]);
      } finally {
        relay.releaseReplies();
        await producer.disconnect();
      }
    });
  });
});
