/**
 * Both clients produce the same span and metric catalogue (issue #13): one scenario runs
 * unchanged on KafkaJS and on `@confluentinc/kafka-javascript`, each under its instrumentation
 * and its own telemetry harness, and the kinds of spans and metric series they emitted (names,
 * kinds, units, attribute keys, span status; see telemetry-catalogue.ts) must be equal but for
 * the named differences below. A span, metric or attribute key one client gains and the other
 * not fails this test until it is made the same or named here with its reason.
 *
 * Not among the differences although issue #13 names it: a crash. One throwing handler call is
 * retried by both clients (KafkaJS's runner retries it too), so neither reports a crash here.
 * The explicit commit goes through each client's own consumer: the client-neutral driver has no
 * commitOffsets; the consumer is configured as the driver configures its own.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ConfluentKafkaInstrumentation } from '../../../src';
import {
  confluentUnderTest,
  kafkaJsUnderTest,
  type ClientName,
  type ClientUnderTest,
  type ConsumerUnderTest,
  type EachMessagePayload,
} from '../../support/client-under-test';
import { instrumentConfluent } from '../../support/instrumented-confluent';
import { instrumentKafkaJs } from '../../support/instrumented-kafkajs';
import { randomGroup, uniqueName } from '../../support/names';
import { metricLine, spanLine, TelemetryCatalogue } from '../../support/telemetry-catalogue';
import type { TelemetryHarness } from '../../support/telemetry-harness';
import { waitFor } from '../../support/wait-for';

const kafkaJs = instrumentKafkaJs();
const confluent = instrumentConfluent(
  new ConfluentKafkaInstrumentation({ statisticsIntervalMs: 500 }),
);

afterAll(async () => {
  await confluent.shutdown();
  await kafkaJs.shutdown();
});

/** Broker default message.max.bytes is 1048588 (librdkafka's own limit 1000000): refused by both. */
const TOO_LARGE = 1_100_000;

/** What the explicit-commit step needs of a consumer; the driver has no commitOffsets. */
interface CommittingConsumer {
  connect(): Promise<void>;
  subscribe(subscription: { topics: string[]; fromBeginning?: boolean }): Promise<void>;
  run(config: { eachMessage: (payload: EachMessagePayload) => Promise<void> }): Promise<void>;
  commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** Reads from the beginning: KafkaJS is told so at subscribe, Confluent at construction. */
type CommittingConsumerOf = (groupId: string) => {
  consumer: CommittingConsumer;
  fromBeginningAtSubscribe: boolean;
};

interface ScenarioClient {
  name: ClientName;
  harness: TelemetryHarness;
  driver: ClientUnderTest;
  createTopic: (partitions?: number, prefix?: string) => Promise<string>;
  /** A consumer of the client itself, configured as the driver configures its consumers. */
  committingConsumer: CommittingConsumerOf;
}

function scenarioClient(name: ClientName): ScenarioClient {
  if (name === 'kafkajs') {
    const kafka = kafkaJs.createKafka(uniqueName('catalogue-kafkajs'));
    return {
      name,
      harness: kafkaJs.harness,
      driver: kafkaJsUnderTest(kafkaJs.kafkajs, kafka),
      createTopic: kafkaJs.createTopic,
      committingConsumer: (groupId) => ({
        consumer: kafka.consumer({ groupId }),
        fromBeginningAtSubscribe: true,
      }),
    };
  }
  const kafka = confluent.createKafka(uniqueName('catalogue-confluent'));
  return {
    name,
    harness: confluent.harness,
    driver: confluentUnderTest(kafka),
    createTopic: confluent.createTopic,
    committingConsumer: (groupId) => ({
      consumer: kafka.consumer({
        kafkaJS: { groupId, fromBeginning: true },
      }) as unknown as CommittingConsumer,
      fromBeginningAtSubscribe: false,
    }),
  };
}

/** Consumes from `topic` with eachMessage until `count` messages were handled. */
async function consumeEachMessage(
  consumer: ConsumerUnderTest,
  topic: string,
  count: number,
  onMessage: (payload: EachMessagePayload) => void = () => undefined,
) {
  const handled: string[] = [];
  await consumer.subscribe([topic]);
  await consumer.run({
    eachMessage: (payload) => {
      onMessage(payload);
      handled.push(payload.message.offset);
      return Promise.resolve();
    },
  });
  await waitFor(() => handled.length >= count, {
    timeoutMs: 40_000,
    description: `${count} messages of ${topic} handled`,
  });
}

/**
 * The scenario: sends (one message; a batch over two topics), a refused send, eachMessage with
 * one throwing call, eachBatch, an explicit commitOffsets, a committed transaction with
 * sendOffsets, disconnects. Returns the catalogue of everything the client's harness got.
 */
async function runScenario(client: ScenarioClient): Promise<string[]> {
  const { driver, harness } = client;
  const topics = {
    orders: await client.createTopic(1, `catalogue-${client.name}-orders`),
    audit: await client.createTopic(1, `catalogue-${client.name}-audit`),
  };
  const catalogue = new TelemetryCatalogue(Object.values(topics));
  const collect = async () => catalogue.addMetrics(await harness.metrics());
  const groups = {
    eachMessage: randomGroup(`catalogue-${client.name}-each-message`),
    eachBatch: randomGroup(`catalogue-${client.name}-each-batch`),
    commit: randomGroup(`catalogue-${client.name}-commit`),
  };

  const producer = await driver.producer();
  await producer.send({ topic: topics.orders, messages: [{ key: 'k0', value: 'first' }] });
  await producer.sendBatch([
    { topic: topics.orders, messages: [{ key: 'k1', value: 'second' }] },
    { topic: topics.audit, messages: [{ key: 'k2', value: 'audited' }] },
  ]);
  await expect(
    producer.send({ topic: topics.orders, messages: [{ value: Buffer.alloc(TOO_LARGE, 0x61) }] }),
  ).rejects.toThrow();

  const eachMessage = await driver.consumer({ groupId: groups.eachMessage, fromBeginning: true });
  let thrown = false;
  await consumeEachMessage(eachMessage, topics.orders, 2, () => {
    // Once: both clients hand the same message to the handler again.
    if (!thrown) {
      thrown = true;
      throw new Error('handler failed once');
    }
  });

  const eachBatch = await driver.consumer({ groupId: groups.eachBatch, fromBeginning: true });
  const batched: string[] = [];
  await eachBatch.subscribe([topics.orders]);
  await eachBatch.run({
    eachBatch: ({ batch }) => {
      batched.push(...batch.messages.map((m) => m.offset));
      return Promise.resolve();
    },
  });
  await waitFor(() => batched.length >= 2, {
    timeoutMs: 40_000,
    description: `2 messages of ${topics.orders} in batches`,
  });

  const { consumer: committing, fromBeginningAtSubscribe } = client.committingConsumer(
    groups.commit,
  );
  await committing.connect();
  const committed: string[] = [];
  await committing.subscribe({
    topics: [topics.audit],
    ...(fromBeginningAtSubscribe ? { fromBeginning: true } : {}),
  });
  await committing.run({
    eachMessage: ({ message }) => {
      committed.push(message.offset);
      return Promise.resolve();
    },
  });
  await waitFor(() => committed.length >= 1, {
    timeoutMs: 40_000,
    description: `the message of ${topics.audit}`,
  });
  await committing.commitOffsets([{ topic: topics.audit, partition: 0, offset: '1' }]);

  const transactional = await driver.producer({ transactionalId: uniqueName('catalogue') });
  const transaction = await transactional.transaction();
  await transaction.send({
    topic: topics.audit,
    messages: [{ key: 'k3', value: 'in transaction' }],
  });
  await transaction.sendOffsets(eachMessage, [
    { topic: topics.orders, partitions: [{ partition: 0, offset: '2' }] },
  ]);
  await transaction.commit();

  // Observed series exist only while their clients do: collected now, while every client is
  // connected, they are in the catalogue. The lag of the three consumers is the last to come
  // (Confluent's with the next statistics document, which then has responses, hence a round
  // trip time, from the brokers the consumers fetch from).
  await waitFor(
    async () => {
      await collect();
      const lags = await harness.points('kafka.consumer.lag');
      const groupsWithLag = new Set(lags.map((p) => p.attributes['messaging.consumer.group.name']));
      return Object.values(groups).every((group) => groupsWithLag.has(group));
    },
    { timeoutMs: 20_000, description: 'the lag of the three consumer groups' },
  );

  await transactional.disconnect();
  await producer.disconnect();
  await committing.disconnect();
  await eachBatch.disconnect();
  await eachMessage.disconnect();
  await collect();
  return catalogue.entries(harness.spans());
}

/** The attribute keys every statistics series of a client has. */
const STATISTICS_CLIENT = [
  'kafka.client.kind',
  'kafka.client.name',
  'messaging.client.id',
  'messaging.system',
];
const STATISTICS_BROKER = [...STATISTICS_CLIENT, 'server.address', 'server.port'];
const STATISTICS_PARTITION = [
  ...STATISTICS_CLIENT,
  'messaging.consumer.group.name',
  'messaging.destination.name',
  'messaging.destination.partition.id',
];

/** The send entries of the refused message, but for the partition (see FAILED_SEND_PARTITION). */
const FAILED_SEND_METRIC = [
  'error.type',
  'messaging.destination.name',
  'messaging.operation.name',
  'messaging.system',
  'server.address',
];
const FAILED_SEND_SPAN = [
  'error.type',
  'messaging.client.id',
  'messaging.destination.name',
  'messaging.message.body.size',
  'messaging.operation.name',
  'messaging.operation.type',
  'messaging.system',
  'server.address',
  'server.port',
];
const PARTITION = 'messaging.destination.partition.id';

/**
 * Entries only KafkaJS has, each for a reason of the client's. (KafkaJS's spans also carry
 * `kafka.cluster.id`, which librdkafka does not expose: compared without it, asserted apart.)
 */
const KAFKAJS_ONLY = [
  // Per-request metrics: KafkaJS's connection layer is observable, librdkafka's requests are not
  // (Confluent's per-broker request figures come from statistics, CONFLUENT_ONLY).
  metricLine('kafka.client.connections', 'UP_DOWN_COUNTER', '{connection}', [
    'kafka.client.kind',
    'messaging.system',
    'server.address',
    'server.port',
  ]),
  ...[[], ['error.type']].map((error) =>
    metricLine('kafka.client.request.duration', 'HISTOGRAM', 's', [
      ...error,
      'kafka.api.key',
      'kafka.api.name',
      'kafka.api.version',
      'messaging.system',
      'server.address',
      'server.port',
    ]),
  ),
  ...['kafka.client.request.size', 'kafka.client.response.size'].map((name) =>
    metricLine(name, 'HISTOGRAM', 'By', [
      'kafka.api.name',
      'messaging.system',
      'server.address',
      'server.port',
    ]),
  ),
  // Commit duration: librdkafka's `offset.commit` reports a commit's outcome, not when it
  // started; Confluent's commits are counted in kafka.consumer.commits like KafkaJS's.
  metricLine('messaging.client.operation.duration', 'HISTOGRAM', 's', [
    'messaging.consumer.group.name',
    'messaging.destination.name',
    'messaging.operation.name',
    'messaging.operation.type',
    'messaging.system',
  ]),
  // The refused message's partition: KafkaJS partitions before sending (the broker refuses it
  // there); librdkafka refuses it in produce(), before choosing a partition.
  metricLine('messaging.client.sent.messages', 'COUNTER', '{message}', [
    ...FAILED_SEND_METRIC,
    PARTITION,
  ]),
  spanLine('send <topic>', 'PRODUCER', 'ERROR', [...FAILED_SEND_SPAN, PARTITION]),
];

/** Entries only Confluent has, each for a reason of the client's. */
const CONFLUENT_ONLY = [
  // librdkafka's statistics, which KafkaJS has no counterpart of.
  ...(
    [
      ['kafka.client.broker.connection.up', 'OBSERVABLE_GAUGE', '1'],
      ['kafka.client.broker.connects', 'OBSERVABLE_COUNTER', '{connection}'],
      ['kafka.client.broker.disconnects', 'OBSERVABLE_COUNTER', '{connection}'],
      ['kafka.client.broker.in_flight_requests', 'OBSERVABLE_GAUGE', '{request}'],
      ['kafka.client.broker.queued_requests', 'OBSERVABLE_GAUGE', '{request}'],
      ['kafka.client.broker.request.bytes', 'OBSERVABLE_COUNTER', 'By'],
      ['kafka.client.broker.request.errors', 'OBSERVABLE_COUNTER', '{request}'],
      ['kafka.client.broker.request.retries', 'OBSERVABLE_COUNTER', '{request}'],
      ['kafka.client.broker.requests', 'OBSERVABLE_COUNTER', '{request}'],
      ['kafka.client.broker.response.bytes', 'OBSERVABLE_COUNTER', 'By'],
      ['kafka.client.broker.response.errors', 'OBSERVABLE_COUNTER', '{response}'],
      ['kafka.client.broker.responses', 'OBSERVABLE_COUNTER', '{response}'],
      ['kafka.client.broker.round_trip_time.average', 'OBSERVABLE_GAUGE', 's'],
      ['kafka.client.broker.round_trip_time.p99', 'OBSERVABLE_GAUGE', 's'],
      ['kafka.client.broker.throttle_time.max', 'OBSERVABLE_GAUGE', 's'],
    ] as const
  ).map(([name, type, unit]) => metricLine(name, type, unit, STATISTICS_BROKER)),
  ...(
    [
      ['kafka.client.statistics.dropped_partitions', 'OBSERVABLE_GAUGE', '{partition}'],
      ['kafka.client.statistics.age', 'OBSERVABLE_GAUGE', 's'],
      ['kafka.consumer.fetched.bytes', 'OBSERVABLE_COUNTER', 'By'],
      ['kafka.consumer.fetched.messages', 'OBSERVABLE_COUNTER', '{message}'],
      ['kafka.producer.queue.bytes', 'OBSERVABLE_GAUGE', 'By'],
      ['kafka.producer.queue.max_bytes', 'OBSERVABLE_GAUGE', 'By'],
      ['kafka.producer.queue.max_messages', 'OBSERVABLE_GAUGE', '{message}'],
      ['kafka.producer.queue.messages', 'OBSERVABLE_GAUGE', '{message}'],
      ['kafka.producer.transmitted.bytes', 'OBSERVABLE_COUNTER', 'By'],
      ['kafka.producer.transmitted.messages', 'OBSERVABLE_COUNTER', '{message}'],
    ] as const
  ).map(([name, type, unit]) => metricLine(name, type, unit, STATISTICS_CLIENT)),
  metricLine('kafka.consumer.partition.fetching', 'OBSERVABLE_GAUGE', '1', STATISTICS_PARTITION),
  // The refused message without a partition (see KAFKAJS_ONLY).
  metricLine('messaging.client.sent.messages', 'COUNTER', '{message}', FAILED_SEND_METRIC),
  spanLine('send <topic>', 'PRODUCER', 'ERROR', FAILED_SEND_SPAN),
];

const CLUSTER_ID = 'kafka.cluster.id';

/** The attribute keys of a catalogue entry (between its brackets). */
function keysOf(line: string): string[] {
  return line.slice(line.indexOf('[') + 1, -1).split(' ');
}

/** The spans of a catalogue whose attributes include the cluster id, by name. */
function spansWithClusterId(catalogue: string[]): string[] {
  const names = catalogue
    .filter((line) => line.startsWith('span ') && keysOf(line).includes(CLUSTER_ID))
    .map((line) => line.split(' ')[1]!);
  return [...new Set(names)].sort();
}

/** A span entry without the cluster id among its attribute keys. */
function withoutClusterId(line: string): string {
  if (!line.startsWith('span ')) return line;
  const keys = keysOf(line).filter((key) => key !== CLUSTER_ID);
  return `${line.slice(0, line.indexOf('['))}[${keys.join(' ')}]`;
}

describe('the span and metric catalogue of both clients', () => {
  it('is the same for the same scenario, but for the named differences', async () => {
    const kafkaJsCatalogue = await runScenario(scenarioClient('kafkajs'));
    const confluentCatalogue = await runScenario(scenarioClient('confluent'));

    // KafkaJS learns the cluster id from its Metadata responses; librdkafka does not expose it.
    expect(spansWithClusterId(kafkaJsCatalogue)).toEqual(['commit', 'poll', 'process', 'send']);
    expect(spansWithClusterId(confluentCatalogue)).toEqual([]);

    const kafkaJsSide = kafkaJsCatalogue.map(withoutClusterId);
    expect({
      onlyKafkaJs: kafkaJsSide.filter((line) => !confluentCatalogue.includes(line)),
      onlyConfluent: confluentCatalogue.filter((line) => !kafkaJsSide.includes(line)),
    }).toEqual({
      onlyKafkaJs: [...KAFKAJS_ONLY].sort(),
      onlyConfluent: [...CONFLUENT_ONLY].sort(),
    });
  });
});
