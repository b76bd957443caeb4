/**
 * librdkafka's statistics as metrics, on the real broker (issue #13, Confluent only): with
 * statistics every 500 ms, a producer and a consumer group report sane, and where the scenario
 * determines them exact, values: round trips to the broker, request and response totals that
 * grow, the connection up, the producer queue empty once the sends resolved, exactly the
 * messages transmitted and fetched, lag per partition rising while the handler is held and
 * reaching 0 once everything is committed, every assigned partition fetching, and the age of
 * a consumer's latest document growing while its handler is held (it polls for none). An
 * application's own `stats_cb` keeps working as it chose (its interval kept; never turned on
 * when it set none), and `statisticsIntervalMs: 0` leaves clients without statistics.
 *
 * Each test waits for statistics documents (test/support/statistics-documents.ts), never for
 * time, and reads only the series of its own clients (their unique client ids).
 */
import type { Attributes } from '@opentelemetry/api';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfluentKafkaInstrumentation } from '../../../src';
import {
  instrumentConfluent,
  type ConfluentConsumer,
  type ConfluentProducer,
} from '../../support/instrumented-confluent';
import { randomGroup, uniqueName } from '../../support/names';
import { StatisticsDocuments, type WithLibrdkafkaHandle } from '../../support/statistics-documents';
import { waitFor } from '../../support/wait-for';

const INTERVAL_MS = 500;
const instrumentation = new ConfluentKafkaInstrumentation({ statisticsIntervalMs: INTERVAL_MS });
const { harness, brokers, createKafka, createTopic, shutdown } =
  instrumentConfluent(instrumentation);
afterAll(shutdown);
// A test below changes the interval for the clients it makes; every test starts from this one.
beforeEach(() => instrumentation.setConfig({ statisticsIntervalMs: INTERVAL_MS }));

/** Every metric fed only by statistics (kafka.consumer.lag and request timeouts are shared). */
const STATISTICS_METRICS = [
  'kafka.client.broker.connection.up',
  'kafka.client.broker.connects',
  'kafka.client.broker.disconnects',
  'kafka.client.broker.in_flight_requests',
  'kafka.client.broker.queued_requests',
  'kafka.client.broker.request.bytes',
  'kafka.client.broker.request.errors',
  'kafka.client.broker.request.retries',
  'kafka.client.broker.requests',
  'kafka.client.broker.response.bytes',
  'kafka.client.broker.response.errors',
  'kafka.client.broker.responses',
  'kafka.client.broker.round_trip_time.average',
  'kafka.client.broker.round_trip_time.p99',
  'kafka.client.broker.throttle_time.max',
  'kafka.client.statistics.age',
  'kafka.client.statistics.dropped_partitions',
  'kafka.consumer.fetched.bytes',
  'kafka.consumer.fetched.messages',
  'kafka.consumer.partition.fetching',
  'kafka.producer.queue.bytes',
  'kafka.producer.queue.max_bytes',
  'kafka.producer.queue.max_messages',
  'kafka.producer.queue.messages',
  'kafka.producer.transmitted.bytes',
  'kafka.producer.transmitted.messages',
];

/** The one broker of the suite's cluster, as the statistics name it. */
const [BROKER_HOST, BROKER_PORT] = brokers[0]!.split(':') as [string, string];

type Kind = 'producer' | 'consumer';

/** The attributes every statistics series of a client has. */
function clientAttributes(kind: Kind, clientId: string): Attributes {
  return {
    'messaging.system': 'kafka',
    'kafka.client.kind': kind,
    'messaging.client.id': clientId,
    'kafka.client.name': expect.stringMatching(new RegExp(`^${clientId}#${kind}-\\d+$`)),
  };
}

/** The points of `metric` of one client, as plain attribute/value pairs. */
async function pointsOf(metric: string, clientId: string) {
  const points = await harness.points(metric, { 'messaging.client.id': clientId });
  return points.map(({ attributes, value }) => ({ attributes, value }));
}

/** The value of a metric of one client with one series (its broker's, or its own). */
async function valueOf(metric: string, clientId: string): Promise<number | undefined> {
  const points = await pointsOf(metric, clientId);
  if (points.length > 1) throw new Error(`${metric} of ${clientId}: ${points.length} series`);
  return points[0]?.value;
}

async function connectedProducer(clientId: string, config: Record<string, unknown> = {}) {
  const producer = createKafka(clientId).producer({
    kafkaJS: { allowAutoTopicCreation: false, idempotent: true },
    ...config,
  });
  await producer.connect();
  return producer;
}

/** `count` messages on each of `partitions`, in one send. */
function sendToEach(producer: ConfluentProducer, topic: string, partitions: number, count: number) {
  const messages = Array.from({ length: partitions * count }, (_, i) => ({
    partition: i % partitions,
    value: `message ${i}`,
  }));
  return producer.send({ topic, messages });
}

/** The lag of `group` per partition of `topic`, by partition id. */
async function lagOf(group: string, topic: string): Promise<Record<string, number>> {
  const points = await harness.points('kafka.consumer.lag', {
    'messaging.consumer.group.name': group,
    'messaging.destination.name': topic,
  });
  return Object.fromEntries(
    points.map((p) => [String(p.attributes['messaging.destination.partition.id']), p.value]),
  );
}

describe('librdkafka statistics of a producer', () => {
  it('report the queue back to 0 and exactly the messages transmitted, requests growing', async () => {
    const topic = await createTopic(2, 'statistics-producer');
    const clientId = uniqueName('statistics-producer');
    const producer = await connectedProducer(clientId);
    try {
      const documents = new StatisticsDocuments(producer as unknown as WithLibrdkafkaHandle);
      await documents.next();
      const requestsBefore = await valueOf('kafka.client.broker.requests', clientId);
      const responsesBefore = await valueOf('kafka.client.broker.responses', clientId);

      await sendToEach(producer, topic, 2, 5);
      // The delivery reports came. The second document from now was made after they did (the
      // first may have been made before and reached the application after them): the queue is
      // empty, every message sent.
      await documents.next(2);
      const broker = {
        ...clientAttributes('producer', clientId),
        'server.address': BROKER_HOST,
        'server.port': Number(BROKER_PORT),
      };
      expect(await pointsOf('kafka.producer.queue.messages', clientId)).toEqual([
        { attributes: clientAttributes('producer', clientId), value: 0 },
      ]);
      expect(await valueOf('kafka.producer.queue.bytes', clientId)).toBe(0);
      expect(await pointsOf('kafka.producer.transmitted.messages', clientId)).toEqual([
        { attributes: clientAttributes('producer', clientId), value: 10 },
      ]);
      expect(await pointsOf('kafka.client.broker.connection.up', clientId)).toEqual([
        { attributes: broker, value: 1 },
      ]);
      expect(await valueOf('kafka.client.broker.requests', clientId)).toBeGreaterThan(
        requestsBefore ?? 0,
      );
      expect(await valueOf('kafka.client.broker.responses', clientId)).toBeGreaterThan(
        responsesBefore ?? 0,
      );
      // A producer in a consumer's group has none: no partition series, no lag, none dropped.
      expect(await pointsOf('kafka.consumer.partition.fetching', clientId)).toEqual([]);
      expect(await valueOf('kafka.client.statistics.dropped_partitions', clientId)).toBe(0);
    } finally {
      await producer.disconnect();
    }
  });
});

/** The Confluent consumer, with the explicit commit these tests make. */
type CommittingConsumer = ConfluentConsumer & {
  commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
};

/** Commits `offset` as the next offset to read on every partition of `topic`. */
function commitBoth(consumer: CommittingConsumer, topic: string, offset: number) {
  return consumer.commitOffsets(
    [0, 1].map((partition) => ({ topic, partition, offset: String(offset) })),
  );
}

describe('librdkafka statistics of a consumer group', () => {
  it('report exact fetches and lag, fetching partitions and round trips to the broker', async () => {
    const topic = await createTopic(2, 'statistics-consumer');
    const group = randomGroup('statistics-consumer');
    const clientId = uniqueName('statistics-consumer');
    const producer = await connectedProducer(uniqueName('statistics-feeder'));
    // Commits are explicit only, so the lag (end offset minus committed offset) is determined.
    // (librdkafka serves a consumer's statistics through the poll the client makes between
    // handler calls: a consumer whose handler waited would get no documents at all.)
    const consumer = createKafka(clientId).consumer({
      kafkaJS: { groupId: group, fromBeginning: true, autoCommit: false },
    }) as CommittingConsumer;
    await consumer.connect();
    const documents = new StatisticsDocuments(consumer as unknown as WithLibrdkafkaHandle);
    const handled: string[] = [];
    const lagReaches = (lag: number, why: string) =>
      waitFor(
        async () => {
          expect(await lagOf(group, topic)).toEqual({ '0': lag, '1': lag });
          return true;
        },
        { description: `lag ${lag} on each partition ${why}` },
      );
    try {
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({
        eachMessage: ({ partition, message }) => {
          handled.push(`${partition}/${message.offset}`);
          return Promise.resolve();
        },
      });

      // One message per partition, consumed and committed: lag 0 on both.
      await sendToEach(producer, topic, 2, 1);
      await waitFor(() => handled.length === 2, { description: 'the first two messages' });
      await commitBoth(consumer, topic, 1);
      await lagReaches(0, 'once the first two messages were committed');

      // Three more per partition, consumed but not committed: exactly 3 behind on each.
      await sendToEach(producer, topic, 2, 3);
      await waitFor(() => handled.length === 8, { description: 'all eight messages' });
      await lagReaches(3, 'before the last six messages are committed');
      await commitBoth(consumer, topic, 4);
      await lagReaches(0, 'once everything was committed');

      await documents.next();
      const client = clientAttributes('consumer', clientId);
      expect(await pointsOf('kafka.consumer.fetched.messages', clientId)).toEqual([
        { attributes: client, value: 8 },
      ]);
      const fetching = await pointsOf('kafka.consumer.partition.fetching', clientId);
      const byPartition = (point: (typeof fetching)[number]) =>
        String(point.attributes['messaging.destination.partition.id']);
      expect(fetching.sort((a, b) => byPartition(a).localeCompare(byPartition(b)))).toEqual(
        ['0', '1'].map((partition) => ({
          attributes: {
            ...client,
            'messaging.consumer.group.name': group,
            'messaging.destination.name': topic,
            'messaging.destination.partition.id': partition,
          },
          value: 1,
        })),
      );

      // The consumer fetches all along: some 500 ms window soon has a response, hence an rtt.
      const broker = {
        ...client,
        'server.address': BROKER_HOST,
        'server.port': Number(BROKER_PORT),
      };
      const roundTrip = await waitFor(
        async () => {
          await documents.next();
          const points = await pointsOf('kafka.client.broker.round_trip_time.average', clientId);
          return points.length > 0 && points;
        },
        { description: `a round trip time of ${clientId}` },
      );
      expect(roundTrip).toEqual([{ attributes: broker, value: expect.any(Number) }]);
      expect(roundTrip[0]!.value).toBeGreaterThan(0);
      expect(await pointsOf('kafka.client.broker.connection.up', clientId)).toEqual([
        { attributes: broker, value: 1 },
      ]);
      const requests = await valueOf('kafka.client.broker.requests', clientId);
      const responses = await valueOf('kafka.client.broker.responses', clientId);
      await documents.next();
      expect(await valueOf('kafka.client.broker.requests', clientId)).toBeGreaterThan(requests!);
      expect(await valueOf('kafka.client.broker.responses', clientId)).toBeGreaterThan(responses!);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });
});

describe('librdkafka statistics age of a consumer', () => {
  it('grows while its handler is held (no documents, frozen series) and falls once released', async () => {
    const topic = await createTopic(1, 'statistics-age');
    const clientId = uniqueName('statistics-age');
    const producer = await connectedProducer(uniqueName('statistics-age-feeder'));
    const consumer = createKafka(clientId).consumer({
      kafkaJS: { groupId: randomGroup('statistics-age'), fromBeginning: true },
    });
    await consumer.connect();
    const documents = new StatisticsDocuments(consumer as unknown as WithLibrdkafkaHandle);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    const age = async () => {
      const points = await pointsOf('kafka.client.statistics.age', clientId);
      expect(points).toEqual([
        { attributes: clientAttributes('consumer', clientId), value: expect.any(Number) },
      ]);
      return points[0]!.value;
    };
    try {
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({
        eachMessage: async ({ message }) => {
          handled.push(message.offset);
          await held;
        },
      });
      // A running consumer polls, so it gets documents: its age has a value from the first one.
      await documents.next();

      await producer.send({ topic, messages: [{ value: 'held' }] });
      await waitFor(() => handled.length === 1, { description: 'the handler to be entered' });
      // The client does not poll while the handler runs, so no document arrives to reset it.
      await waitFor(async () => (await age()) > (2 * INTERVAL_MS) / 1000, {
        description: `the age of ${clientId} past two intervals while its handler is held`,
      });
      expect(handled).toEqual(['0']);

      release();
      await waitFor(async () => (await age()) < INTERVAL_MS / 1000, {
        description: `the age of ${clientId} back under one interval once released`,
      });
    } finally {
      release();
      await consumer.disconnect();
      await producer.disconnect();
    }
  });
});

/** A metric reader on a MeterProvider of its own, with delta temporality. */
class DeltaReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** The statistics series of `clientId` a collection of `reader` holds, by metric name. */
async function statisticsSeries(reader: MetricReader, clientId: string): Promise<string[]> {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .filter((metric) =>
      metric.dataPoints.some((point) => point.attributes['messaging.client.id'] === clientId),
    )
    .map((metric) => metric.descriptor.name)
    .filter((name) => STATISTICS_METRICS.includes(name))
    .sort();
}

describe('librdkafka statistics after a disconnect', () => {
  it('are no longer observed: a delta reader gets none of them', async () => {
    const deltaReader = new DeltaReader();
    const deltaProvider = new MeterProvider({ readers: [deltaReader] });
    instrumentation.setMeterProvider(deltaProvider);
    try {
      const clientId = uniqueName('statistics-disconnect');
      const producer = await connectedProducer(clientId);
      const documents = new StatisticsDocuments(producer as unknown as WithLibrdkafkaHandle);
      await documents.next();
      const producerSeries = STATISTICS_METRICS.filter(
        (name) =>
          (name.startsWith('kafka.client.') || name.startsWith('kafka.producer.')) &&
          !name.includes('round_trip_time'),
      );
      // Round trips only for a window with a response: the idle producer may have none.
      const observed = await statisticsSeries(deltaReader, clientId);
      expect(observed.filter((name) => !name.includes('round_trip_time'))).toEqual(producerSeries);
      await producer.disconnect();
      expect(await statisticsSeries(deltaReader, clientId)).toEqual([]);
    } finally {
      instrumentation.setMeterProvider(harness.meterProvider);
      await deltaProvider.shutdown();
    }
  });

  it('are no longer observed either when the client left while the instrumentation was disabled', async () => {
    const deltaReader = new DeltaReader();
    const deltaProvider = new MeterProvider({ readers: [deltaReader] });
    instrumentation.setMeterProvider(deltaProvider);
    try {
      const clientId = uniqueName('statistics-disabled-disconnect');
      const producer = await connectedProducer(clientId);
      const documents = new StatisticsDocuments(producer as unknown as WithLibrdkafkaHandle);
      await documents.next();
      expect(await statisticsSeries(deltaReader, clientId)).toContain(
        'kafka.client.statistics.age',
      );
      instrumentation.disable();
      try {
        await producer.disconnect();
      } finally {
        instrumentation.enable();
      }
      expect(await statisticsSeries(deltaReader, clientId)).toEqual([]);
    } finally {
      instrumentation.setMeterProvider(harness.meterProvider);
      await deltaProvider.shutdown();
    }
  });

  it('keep their last value in the cumulative harness (the SDK limitation docs name)', async () => {
    const clientId = uniqueName('statistics-cumulative');
    const producer = await connectedProducer(clientId);
    const documents = new StatisticsDocuments(producer as unknown as WithLibrdkafkaHandle);
    await documents.next();
    const before = await pointsOf('kafka.producer.queue.max_messages', clientId);
    expect(before).toEqual([
      { attributes: clientAttributes('producer', clientId), value: 100_000 },
    ]);
    await producer.disconnect();
    expect(await pointsOf('kafka.producer.queue.max_messages', clientId)).toEqual(before);
  });
});

/**
 * A producer of the test's own with its documents counted (a producer: it gets its documents
 * from connect() on, a consumer only while it runs).
 */
async function countedProducer(clientId: string, config: Record<string, unknown> = {}) {
  const producer = await connectedProducer(clientId, config);
  return {
    producer,
    documents: new StatisticsDocuments(producer as unknown as WithLibrdkafkaHandle),
  };
}

describe("an application's own statistics callback", () => {
  it('gets the documents at the interval the application chose', async () => {
    const clientId = uniqueName('statistics-own-interval');
    const received: number[] = [];
    const { producer, documents } = await countedProducer(clientId, {
      'statistics.interval.ms': 1_500,
      stats_cb: ({ message }: { message: string }) => {
        received.push((JSON.parse(message) as { ts: number }).ts);
      },
    });
    try {
      await documents.next(3);
      // The application's callback got the very documents the client emitted (its listener came
      // first: it may have one more), 1.5 s apart on librdkafka's clock (µs): never 500 ms.
      const seen = documents.documents.map((document) => document.ts);
      expect(received.slice(-seen.length)).toEqual(seen);
      for (let i = 1; i < received.length; i++) {
        expect(received[i]! - received[i - 1]!).toBeGreaterThan(1_000_000);
      }
      // And the instrumentation observes the same documents.
      expect(await valueOf('kafka.client.statistics.dropped_partitions', clientId)).toBe(0);
    } finally {
      await producer.disconnect();
    }
  });

  it('is never turned on when the application set no interval', async () => {
    const clientId = uniqueName('statistics-own-no-interval');
    let called = 0;
    const { producer, documents } = await countedProducer(clientId, {
      stats_cb: () => called++,
    });
    try {
      // The instrumentation's documents come every 500 ms; the application's callback, which
      // never ran without an interval, still does not.
      await documents.next(3);
      expect(called).toBe(0);
      expect(await valueOf('kafka.client.statistics.dropped_partitions', clientId)).toBe(0);
    } finally {
      await producer.disconnect();
    }
  });
});

describe('statisticsIntervalMs: 0', () => {
  it('leaves the clients made meanwhile without statistics and their metrics', async () => {
    instrumentation.setConfig({ statisticsIntervalMs: 0 });
    const quietId = uniqueName('statistics-off');
    const quiet = await countedProducer(quietId);
    // A client made at 500 ms again: its documents are the clock this test waits on.
    instrumentation.setConfig({ statisticsIntervalMs: INTERVAL_MS });
    const clockId = uniqueName('statistics-clock');
    const clock = await countedProducer(clockId);
    try {
      // Twelve documents at 500 ms: longer than the instrumentation's default interval (5 s),
      // so a 0 taken for "unset" would have given the quiet client a document by now.
      await clock.documents.next(12);
      expect(quiet.documents.documents).toEqual([]);
      for (const metric of STATISTICS_METRICS) {
        expect(await pointsOf(metric, quietId), metric).toEqual([]);
      }
      expect(await valueOf('kafka.client.statistics.dropped_partitions', clockId)).toBe(0);
    } finally {
      await quiet.producer.disconnect();
      await clock.producer.disconnect();
    }
  });
});
