/**
 * librdkafka statistics as metrics: the two real fixture documents, and hand-edited variants of
 * them, through a real MeterProvider. Every expected number is read from the fixtures (see their
 * README); times are librdkafka's microseconds in seconds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Attributes, DiagLogger } from '@opentelemetry/api';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LibrdkafkaStatisticsMetrics,
  type StatisticsMetricsOptions,
  type StatisticsSource,
} from '../../../../src/instrumentation/confluent/statistics-metrics';
import {
  STATISTICS_INSTRUMENTS,
  type StatisticsInstrumentDefinition,
} from '../../../../src/instrumentation/confluent/statistics-metrics/statistics-instruments';
import { Recorder } from '../../../../src/instrumentation/recorder/recorder';
import { PACKAGE_NAME } from '../../../../src/version';
import {
  emittedKeys,
  sortedDeclaration,
  type DeclaredKeys,
} from '../../../support/declared-attributes';
import { TelemetryHarness } from '../../../support/telemetry-harness';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'librdkafka');
const consumerJson = readFileSync(join(FIXTURES, 'consumer-statistics.json'), 'utf8');
const producerJson = readFileSync(join(FIXTURES, 'producer-statistics.json'), 'utf8');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TOPIC = 'ckjs-a-mx2yiald';
const GROUP = 'probe-group';
const BROKER = { 'server.address': '127.0.0.1', 'server.port': 47092 };
const CONSUMER: StatisticsSource = { kind: 'consumer', clientId: 'probe', group: GROUP };
const PRODUCER: StatisticsSource = { kind: 'producer', clientId: 'probe', group: undefined };
const CONSUMER_CLIENT = {
  'messaging.system': 'kafka',
  'kafka.client.kind': 'consumer',
  'kafka.client.name': 'probe#consumer-3',
  'messaging.client.id': 'probe',
};
const PRODUCER_CLIENT = {
  ...CONSUMER_CLIENT,
  'kafka.client.kind': 'producer',
  'kafka.client.name': 'probe#producer-2',
};
const I = STATISTICS_INSTRUMENTS;

/** The real consumer document after `edit` (a fresh copy each time). */
function consumerAfter(edit: (document: Json) => void): string {
  const document = JSON.parse(consumerJson) as Json;
  edit(document);
  return JSON.stringify(document);
}

/** The real broker entry of the consumer document (not the logical GroupCoordinator). */
function realBroker(document: Json): Json {
  return document.brokers['127.0.0.1:47092/1'] as Json;
}

/** A diag logger that keeps what it was told. */
function recordingDiag() {
  const said = { debug: [] as string[], warn: [] as string[], error: [] as string[] };
  const diag: DiagLogger = {
    debug: (message) => said.debug.push(message),
    info: () => {},
    warn: (message) => said.warn.push(message),
    error: (message) => said.error.push(message),
    verbose: () => {},
  };
  return { diag, said };
}

let harness: TelemetryHarness;
afterEach(() => harness.shutdown());

function setUp(
  temporality = AggregationTemporality.CUMULATIVE,
  options: StatisticsMetricsOptions = {},
) {
  harness = new TelemetryHarness(temporality);
  const meter = harness.meterProvider.getMeter(PACKAGE_NAME);
  const recorder = new Recorder(meter);
  const { diag, said } = recordingDiag();
  const statistics = new LibrdkafkaStatisticsMetrics(meter, recorder, diag, options);
  return { statistics, recorder, said };
}

/** A monotonic clock the test sets, in milliseconds. */
function fakeClock(startMs: number) {
  const clock = { ms: startMs, now: () => clock.ms };
  return clock;
}

/** Value and attributes of every point of a metric, sorted for a stable comparison. */
async function pointsOf(name: string, where: Attributes = {}) {
  const points = await harness.points(name, where);
  return points
    .map(({ attributes, value }) => ({ attributes, value }))
    .sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes)));
}

/** The single value of a metric for one series, failing when there is not exactly one. */
async function valueOf(name: string, where: Attributes): Promise<number> {
  const points = await harness.points(name, where);
  expect(points, `${name} ${JSON.stringify(where)}`).toHaveLength(1);
  return points[0]!.value;
}

describe('librdkafka statistics metrics from a real consumer document', () => {
  it('reports the real broker: round trip, requests, bytes, queues, state, connects', async () => {
    const { statistics } = setUp();
    const consumer = {};
    statistics.update(consumer, CONSUMER, consumerJson);
    const broker = { ...CONSUMER_CLIENT, ...BROKER };
    // One series each: the logical GroupCoordinator entry is the same broker and is left out.
    expect(await pointsOf(I.roundTripAverage.name)).toEqual([
      { attributes: broker, value: 0.506136 },
    ]);
    expect(await valueOf(I.roundTripP99.name, broker)).toBe(0.507903);
    expect(await valueOf(I.throttleMax.name, broker)).toBe(0);
    expect(await valueOf(I.requestsSent.name, broker)).toBe(22);
    expect(await valueOf(I.requestBytes.name, broker)).toBe(2222);
    expect(await valueOf(I.requestErrors.name, broker)).toBe(0);
    expect(await valueOf(I.requestRetries.name, broker)).toBe(0);
    expect(await valueOf(I.responsesReceived.name, broker)).toBe(21);
    expect(await valueOf(I.responseBytes.name, broker)).toBe(4594);
    expect(await valueOf(I.responseErrors.name, broker)).toBe(0);
    expect(await valueOf(I.queuedRequests.name, broker)).toBe(0);
    expect(await valueOf(I.inFlightRequests.name, broker)).toBe(1);
    expect(await valueOf(I.connectionUp.name, broker)).toBe(1);
    expect(await valueOf(I.connects.name, broker)).toBe(1);
    expect(await valueOf(I.disconnects.name, broker)).toBe(0);
  });

  it('reports messages fetched, partitions fetching, and lag through kafka.consumer.lag', async () => {
    const { statistics } = setUp();
    statistics.update({}, CONSUMER, consumerJson);
    expect(await valueOf(I.fetchedMessages.name, CONSUMER_CLIENT)).toBe(4);
    expect(await valueOf(I.fetchedBytes.name, CONSUMER_CLIENT)).toBe(14);
    const partition = (id: string) => ({
      ...CONSUMER_CLIENT,
      'messaging.consumer.group.name': GROUP,
      'messaging.destination.name': TOPIC,
      'messaging.destination.partition.id': id,
    });
    // Partition -1 (librdkafka's unassigned queue) gets no series.
    expect(await pointsOf(I.partitionFetching.name)).toEqual([
      { attributes: partition('0'), value: 1 },
      { attributes: partition('1'), value: 1 },
    ]);
    const lag = (id: string) => ({
      'messaging.system': 'kafka',
      'messaging.consumer.group.name': GROUP,
      'messaging.destination.name': TOPIC,
      'messaging.destination.partition.id': id,
    });
    expect(await pointsOf('kafka.consumer.lag')).toEqual([
      { attributes: lag('0'), value: 0 },
      { attributes: lag('1'), value: 0 },
    ]);
    expect(await valueOf(I.droppedPartitions.name, CONSUMER_CLIENT)).toBe(0);
    // A consumer has no producer queue.
    expect(await pointsOf(I.producerQueueMessages.name)).toEqual([]);
    expect(await pointsOf(I.transmittedMessages.name)).toEqual([]);
  });

  it('reports the lag librdkafka gives per partition, and none where it is unknown', async () => {
    const { statistics } = setUp();
    statistics.update(
      {},
      CONSUMER,
      consumerAfter((document) => {
        document.topics[TOPIC].partitions['0'].consumer_lag = 42;
        document.topics[TOPIC].partitions['1'].consumer_lag = -1;
      }),
    );
    expect(await pointsOf('kafka.consumer.lag')).toEqual([
      {
        attributes: {
          'messaging.system': 'kafka',
          'messaging.consumer.group.name': GROUP,
          'messaging.destination.name': TOPIC,
          'messaging.destination.partition.id': '0',
        },
        value: 42,
      },
    ]);
  });
});

describe('librdkafka statistics metrics from a real producer document', () => {
  it('reports the producer queue, its limits and the messages transmitted', async () => {
    const { statistics } = setUp();
    statistics.update({}, PRODUCER, producerJson);
    expect(await valueOf(I.producerQueueMessages.name, PRODUCER_CLIENT)).toBe(0);
    expect(await valueOf(I.producerQueueBytes.name, PRODUCER_CLIENT)).toBe(0);
    expect(await valueOf(I.producerQueueMaxMessages.name, PRODUCER_CLIENT)).toBe(100_000);
    expect(await valueOf(I.producerQueueMaxBytes.name, PRODUCER_CLIENT)).toBe(1_073_741_824);
    expect(await valueOf(I.transmittedMessages.name, PRODUCER_CLIENT)).toBe(6);
    expect(await valueOf(I.transmittedBytes.name, PRODUCER_CLIENT)).toBe(18);
    const broker = { ...PRODUCER_CLIENT, ...BROKER };
    expect(await valueOf(I.requestsSent.name, broker)).toBe(7);
    expect(await valueOf(I.requestBytes.name, broker)).toBe(733);
    expect(await valueOf(I.responsesReceived.name, broker)).toBe(7);
    expect(await valueOf(I.responseBytes.name, broker)).toBe(2796);
    // Its rtt window sampled nothing in the interval: no round trip is reported, not 0 s.
    expect(await pointsOf(I.roundTripAverage.name)).toEqual([]);
    expect(await pointsOf(I.roundTripP99.name)).toEqual([]);
    // A producer neither fetches nor lags.
    expect(await pointsOf(I.partitionFetching.name)).toEqual([]);
    expect(await pointsOf('kafka.consumer.lag')).toEqual([]);
  });

  it('gives an admin client (a librdkafka producer) broker series but no producer queue', async () => {
    const { statistics } = setUp();
    statistics.update({}, { kind: 'admin', clientId: 'probe', group: undefined }, producerJson);
    const admin = { ...PRODUCER_CLIENT, 'kafka.client.kind': 'admin' };
    expect(await valueOf(I.requestsSent.name, { ...admin, ...BROKER })).toBe(7);
    expect(await pointsOf(I.producerQueueMessages.name)).toEqual([]);
  });

  it('gives two clients sharing a client.id a series each', async () => {
    const { statistics } = setUp();
    statistics.update({}, PRODUCER, producerJson);
    const second = JSON.parse(producerJson) as Json;
    second.name = 'probe#producer-5';
    second.txmsgs = 10;
    statistics.update({}, PRODUCER, JSON.stringify(second));
    expect(await pointsOf(I.transmittedMessages.name)).toEqual([
      { attributes: PRODUCER_CLIENT, value: 6 },
      { attributes: { ...PRODUCER_CLIENT, 'kafka.client.name': 'probe#producer-5' }, value: 10 },
    ]);
  });
});

describe('librdkafka statistics totals', () => {
  it('add request timeouts to kafka.client.request.timeouts by what each document added', async () => {
    const { statistics } = setUp();
    const consumer = {};
    const withTimeouts = (count: number) =>
      consumerAfter((document) => (realBroker(document).req_timeouts = count));
    const timeouts = () => harness.total('kafka.client.request.timeouts', BROKER);
    statistics.update(consumer, CONSUMER, withTimeouts(3));
    expect(await timeouts()).toBe(3);
    statistics.update(consumer, CONSUMER, withTimeouts(5));
    expect(await timeouts()).toBe(5);
    statistics.update(consumer, CONSUMER, withTimeouts(5));
    expect(await timeouts()).toBe(5);
    // librdkafka counted from 0 again (a new handle): its 1 is new, not 4 fewer.
    statistics.update(consumer, CONSUMER, withTimeouts(1));
    expect(await timeouts()).toBe(6);
    expect(await pointsOf('kafka.client.request.timeouts')).toEqual([
      { attributes: { 'messaging.system': 'kafka', ...BROKER }, value: 6 },
    ]);
  });

  it('never go backwards for one client when librdkafka counts from 0 again', async () => {
    const { statistics } = setUp();
    const consumer = {};
    const withRequests = (tx: number) =>
      consumerAfter((document) => (realBroker(document).tx = tx));
    const broker = { ...CONSUMER_CLIENT, ...BROKER };
    statistics.update(consumer, CONSUMER, withRequests(22));
    expect(await valueOf(I.requestsSent.name, broker)).toBe(22);
    statistics.update(consumer, CONSUMER, withRequests(5));
    expect(await valueOf(I.requestsSent.name, broker)).toBe(27);
    statistics.update(consumer, CONSUMER, withRequests(9));
    expect(await valueOf(I.requestsSent.name, broker)).toBe(31);
  });
});

describe('librdkafka statistics series follow the latest document', () => {
  it('drop a broker and a partition the next document no longer has', async () => {
    // Delta temporality: an export shows exactly what the callback observed (a cumulative
    // reader of the OpenTelemetry JS SDK would keep the last value of an unobserved series).
    const { statistics } = setUp(AggregationTemporality.DELTA);
    const consumer = {};
    statistics.update(consumer, CONSUMER, consumerJson);
    expect(await pointsOf(I.inFlightRequests.name)).toHaveLength(1);
    statistics.update(
      consumer,
      CONSUMER,
      consumerAfter((document) => {
        const broker = realBroker(document);
        broker.nodename = '127.0.0.1:47093';
        broker.nodeid = 2;
        broker.waitresp_cnt = 4;
        delete document.topics[TOPIC].partitions['1'];
      }),
    );
    expect(await pointsOf(I.inFlightRequests.name)).toEqual([
      {
        attributes: { ...CONSUMER_CLIENT, 'server.address': '127.0.0.1', 'server.port': 47093 },
        value: 4,
      },
    ]);
    expect(
      (await pointsOf(I.partitionFetching.name)).map(
        ({ attributes }) => attributes['messaging.destination.partition.id'],
      ),
    ).toEqual(['0']);
    expect(
      (await pointsOf('kafka.consumer.lag')).map(
        ({ attributes }) => attributes['messaging.destination.partition.id'],
      ),
    ).toEqual(['0']);
  });

  it('stop for a forgotten client while the others go on', async () => {
    const { statistics } = setUp(AggregationTemporality.DELTA);
    const consumer = {};
    const producer = {};
    statistics.update(consumer, CONSUMER, consumerJson);
    statistics.update(producer, PRODUCER, producerJson);
    statistics.forget(consumer);
    const names = (await harness.metrics())
      .filter((metric) => metric.dataPoints.length > 0)
      .flatMap((metric) =>
        metric.dataPoints.map((point) => point.attributes['kafka.client.name'] ?? 'no client'),
      );
    // kafka.consumer.lag carries no client name: its absence shows as no 'no client' entry.
    expect(new Set(names)).toEqual(new Set(['probe#producer-2']));
  });

  it('move to a new meter: the new one exports them, the old one no longer', async () => {
    const { statistics } = setUp(AggregationTemporality.DELTA);
    const old = harness;
    const next = new TelemetryHarness(AggregationTemporality.DELTA);
    try {
      statistics.update({}, PRODUCER, producerJson);
      statistics.useMeter(next.meterProvider.getMeter(PACKAGE_NAME));
      expect(await next.total(I.transmittedMessages.name, PRODUCER_CLIENT)).toBe(6);
      expect(await old.points(I.transmittedMessages.name)).toEqual([]);
    } finally {
      await next.shutdown();
    }
  });
});

describe('librdkafka statistics age', () => {
  it('is the seconds since the latest good document, measured at each collection', async () => {
    const clock = fakeClock(1_000);
    const { statistics } = setUp(AggregationTemporality.CUMULATIVE, { now: clock.now });
    statistics.update({}, CONSUMER, consumerJson);
    // A client that never had a good document has no age: there is nothing it is the age of.
    statistics.update({}, PRODUCER, 'not json');
    clock.ms = 3_500;
    expect(await pointsOf(I.age.name)).toEqual([{ attributes: CONSUMER_CLIENT, value: 2.5 }]);
    clock.ms = 4_250;
    expect(await valueOf(I.age.name, CONSUMER_CLIENT)).toBe(3.25);
  });

  it('starts again from 0 at the next good document, not at a refused one', async () => {
    const clock = fakeClock(1_000);
    const { statistics } = setUp(AggregationTemporality.CUMULATIVE, { now: clock.now });
    const consumer = {};
    statistics.update(consumer, CONSUMER, consumerJson);
    clock.ms = 3_000;
    statistics.update(consumer, CONSUMER, 'not json');
    clock.ms = 3_500;
    expect(await valueOf(I.age.name, CONSUMER_CLIENT)).toBe(2.5);
    statistics.update(consumer, CONSUMER, consumerJson);
    expect(await valueOf(I.age.name, CONSUMER_CLIENT)).toBe(0);
    clock.ms = 3_750;
    expect(await valueOf(I.age.name, CONSUMER_CLIENT)).toBe(0.25);
  });

  it('is no longer observed for a forgotten client', async () => {
    const clock = fakeClock(1_000);
    const { statistics } = setUp(AggregationTemporality.DELTA, { now: clock.now });
    const consumer = {};
    statistics.update(consumer, CONSUMER, consumerJson);
    clock.ms = 2_000;
    statistics.update({}, PRODUCER, producerJson);
    clock.ms = 3_500;
    expect(await pointsOf(I.age.name)).toEqual([
      { attributes: CONSUMER_CLIENT, value: 2.5 },
      { attributes: PRODUCER_CLIENT, value: 1.5 },
    ]);
    statistics.forget(consumer);
    expect(await pointsOf(I.age.name)).toEqual([{ attributes: PRODUCER_CLIENT, value: 1.5 }]);
  });
});

describe('librdkafka statistics that cannot be read', () => {
  it('are counted, logged once per client, and leave the previous readings', async () => {
    const { statistics, said } = setUp(AggregationTemporality.DELTA);
    const consumer = {};
    statistics.update(consumer, CONSUMER, consumerJson);
    for (const bad of ['not json', '{"type":"broker","name":"x"}', '[]', 42, undefined]) {
      statistics.update(consumer, CONSUMER, bad);
    }
    expect(await harness.total(I.invalidDocuments.name, { 'kafka.client.kind': 'consumer' })).toBe(
      5,
    );
    expect(said.debug).toEqual([
      'kafka-otel: a librdkafka statistics document was ignored: not JSON',
    ]);
    const broker = { ...CONSUMER_CLIENT, ...BROKER };
    expect(await valueOf(I.roundTripAverage.name, broker)).toBe(0.506136);
    expect(await valueOf('kafka.consumer.lag', { 'messaging.destination.partition.id': '1' })).toBe(
      0,
    );
  });

  it('never throw, whatever the application hands over', async () => {
    const { statistics, said } = setUp();
    const hostile: unknown[] = [
      null,
      Symbol('stats'),
      { toString: () => consumerJson },
      new Proxy(
        {},
        {
          get() {
            throw new Error('trap');
          },
        },
      ),
      consumerAfter((document) => (document.brokers = [null, 'x', { nodeid: 'one' }])),
      consumerAfter((document) => (document.topics = { __proto__: { partitions: 7 } })),
      consumerAfter((document) => (realBroker(document).rtt = { cnt: 3, avg: 'slow' })),
      '{"type":"consumer","name":"c","brokers":{"b":{"nodeid":1,"nodename":"::1:9092","tx":-5}}}',
    ];
    for (const value of hostile) {
      expect(() => statistics.update({}, CONSUMER, value)).not.toThrow();
    }
    expect(said.error).toEqual([]);
    // The four values that are not strings are refused as such, never converted to one.
    expect(await harness.total(I.invalidDocuments.name)).toBe(4);
    // Each value came from a client of its own: logged once per client.
    expect(said.debug).toEqual(
      Array(4).fill('kafka-otel: a librdkafka statistics document was ignored: not a string'),
    );
    expect(
      await pointsOf(I.fetchedMessages.name, { 'kafka.client.name': 'probe#consumer-3' }),
    ).toEqual([{ attributes: CONSUMER_CLIENT, value: 4 }]);
  });
});

describe('librdkafka statistics series limit', () => {
  it('leaves partitions past the limit out, counts them, and warns once', async () => {
    const { statistics, said } = setUp(AggregationTemporality.CUMULATIVE, {
      maxPartitionsPerClient: 1,
    });
    const consumer = {};
    statistics.update(consumer, CONSUMER, consumerJson);
    statistics.update(consumer, CONSUMER, consumerJson);
    expect(await valueOf(I.droppedPartitions.name, CONSUMER_CLIENT)).toBe(1);
    expect(await pointsOf(I.partitionFetching.name)).toHaveLength(1);
    expect(await pointsOf('kafka.consumer.lag')).toHaveLength(1);
    expect(said.warn).toHaveLength(1);
    expect(said.warn[0]).toContain('1 got no series');
  });
});

describe('declared statistics metric attributes', () => {
  it('are the attributes the points carry', async () => {
    const { statistics } = setUp();
    const producerWithout = JSON.parse(producerJson) as Json;
    producerWithout.name = 'rdkafka#producer-9';
    delete producerWithout.client_id;
    statistics.update({}, CONSUMER, consumerJson);
    statistics.update(
      {},
      { ...CONSUMER, clientId: undefined, group: undefined },
      consumerAfter((document) => {
        document.name = 'rdkafka#consumer-9';
        delete document.client_id;
      }),
    );
    statistics.update({}, PRODUCER, producerJson);
    statistics.update({}, { ...PRODUCER, clientId: undefined }, JSON.stringify(producerWithout));
    statistics.update({}, { ...PRODUCER, kind: undefined }, 'not json');
    statistics.update({}, PRODUCER, 'not json');
    const definitions = Object.values<StatisticsInstrumentDefinition>(STATISTICS_INSTRUMENTS);
    const declared: DeclaredKeys[] = definitions.map(({ name, attributes }) => ({
      name,
      always: attributes.filter((attribute) => typeof attribute === 'string'),
      conditional: attributes.flatMap((attribute) =>
        typeof attribute === 'string' ? [] : [attribute.key],
      ),
    }));
    expect(emittedKeys(declared, await harness.metrics())).toEqual(declared.map(sortedDeclaration));
  });
});
