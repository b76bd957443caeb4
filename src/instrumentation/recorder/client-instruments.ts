import type {
  Counter,
  Gauge,
  Histogram,
  Meter,
  MetricOptions,
  ObservableGauge,
  ObservableResult,
  UpDownCounter,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE as ERROR_TYPE,
  ATTR_KAFKA_API_KEY as API_KEY,
  ATTR_KAFKA_API_NAME as API_NAME,
  ATTR_KAFKA_API_VERSION as API_VERSION,
  ATTR_KAFKA_CLIENT_KIND as CLIENT_KIND,
  ATTR_KAFKA_CONSUMER_RESTART as RESTART,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME as GROUP,
  ATTR_MESSAGING_DESTINATION_NAME as TOPIC,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID as PARTITION,
  ATTR_MESSAGING_OPERATION_NAME as OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE as OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM as SYSTEM,
  ATTR_SERVER_ADDRESS as SERVER_ADDRESS,
  ATTR_SERVER_PORT as SERVER_PORT,
  METRIC_KAFKA_CLIENT_CONNECTIONS,
  METRIC_KAFKA_CLIENT_CONSUMED_BYTES,
  METRIC_KAFKA_CLIENT_REQUEST_DURATION,
  METRIC_KAFKA_CLIENT_REQUEST_QUEUE_SIZE,
  METRIC_KAFKA_CLIENT_REQUEST_SIZE,
  METRIC_KAFKA_CLIENT_REQUEST_TIMEOUTS,
  METRIC_KAFKA_CLIENT_RESPONSE_SIZE,
  METRIC_KAFKA_CLIENT_SENT_BYTES,
  METRIC_KAFKA_CONSUMER_ASSIGNED_PARTITIONS,
  METRIC_KAFKA_CONSUMER_COMMITS,
  METRIC_KAFKA_CONSUMER_CRASHES,
  METRIC_KAFKA_CONSUMER_END_TO_END_LATENCY,
  METRIC_KAFKA_CONSUMER_GROUP_JOIN_DURATION,
  METRIC_KAFKA_CONSUMER_INVALID_TRACE_CONTEXT,
  METRIC_KAFKA_CONSUMER_LAG,
  METRIC_KAFKA_CONSUMER_REBALANCES,
  METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES,
  METRIC_MESSAGING_CLIENT_OPERATION_DURATION,
  METRIC_MESSAGING_CLIENT_SENT_MESSAGES,
  METRIC_MESSAGING_PROCESS_DURATION,
} from '../semconv';

/** Messaging semantic-convention buckets for operation and processing durations, in seconds. */
const MESSAGING_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];
/** Broker round trips on a healthy cluster sit well under 5 ms, so the low end is finer. */
const REQUEST_DURATION_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];
/** Record timestamp to handler start: from sub-millisecond to a consumer that fell far behind. */
const END_TO_END_BUCKETS = [
  0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600,
];
/** Requests range from a 50-byte heartbeat to a multi-megabyte fetch: powers of four. */
const SIZE_BUCKETS = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216];
const GROUP_JOIN_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** An attribute only some points carry, and which ones (`when` completes "present when ..."). */
export interface ConditionalAttribute {
  key: string;
  when: string;
}

/** An attribute key every point of the metric carries, or a conditional one. */
export type DeclaredAttribute = string | ConditionalAttribute;

/** Declares an attribute present only on some points: see `ConditionalAttribute`. */
export function when(key: string, condition: string): ConditionalAttribute {
  return { key, when: condition };
}

/**
 * How an instrument of the catalogue is declared: the one place its name, unit, meaning and
 * attribute keys live. docs/metrics.md is generated from these (`npm run docs:metrics`), and a
 * unit test drives the recorder to prove the points carry exactly the declared attributes.
 */
export interface InstrumentDefinition {
  name: string;
  kind: 'counter' | 'upDownCounter' | 'histogram' | 'gauge' | 'observableGauge';
  unit: string;
  description: string;
  /** Explicit bucket boundaries advised for a histogram. */
  buckets?: readonly number[];
  /** The attribute keys of its points. */
  attributes: readonly DeclaredAttribute[];
}

/** Per-partition message counts: on unless the `metricPartitionAttribute` option turns them off. */
const PARTITION_ON_METRICS = when(PARTITION, '`metricPartitionAttribute` is on, the default');
/** Request and response sizes: per API and broker only, to keep histograms few. */
const REQUEST_SIZE_ATTRIBUTES = [SYSTEM, API_NAME, SERVER_ADDRESS, when(SERVER_PORT, 'known')];
/** Consumer group events that never fail on their own: rebalances, joins, assignments. */
const GROUP_ATTRIBUTES = [SYSTEM, GROUP];

/** Every client-side instrument of the metric catalogue. */
export const CLIENT_INSTRUMENTS = {
  sentMessages: {
    name: METRIC_MESSAGING_CLIENT_SENT_MESSAGES,
    kind: 'counter',
    unit: '{message}',
    description: 'Number of messages a producer attempted to send to the broker.',
    attributes: [
      SYSTEM,
      OPERATION_NAME,
      TOPIC,
      PARTITION_ON_METRICS,
      when(SERVER_ADDRESS, 'the broker is known'),
      when(ERROR_TYPE, 'the send failed'),
    ],
  },
  consumedMessages: {
    name: METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES,
    kind: 'counter',
    unit: '{message}',
    description: 'Number of messages delivered to the application by a consumer.',
    attributes: [SYSTEM, OPERATION_NAME, TOPIC, PARTITION_ON_METRICS, GROUP],
  },
  operationDuration: {
    name: METRIC_MESSAGING_CLIENT_OPERATION_DURATION,
    kind: 'histogram',
    unit: 's',
    description: 'Duration of a messaging operation (send, commit) as seen by the client.',
    buckets: MESSAGING_DURATION_BUCKETS,
    attributes: [
      SYSTEM,
      OPERATION_NAME,
      OPERATION_TYPE,
      when(TOPIC, 'the operation was on one topic'),
      when(GROUP, 'the operation is a commit'),
      when(SERVER_ADDRESS, 'a send knows its broker'),
      when(ERROR_TYPE, 'the operation failed'),
    ],
  },
  processDuration: {
    name: METRIC_MESSAGING_PROCESS_DURATION,
    kind: 'histogram',
    unit: 's',
    description: 'Duration of the application handler processing a message or a batch.',
    buckets: MESSAGING_DURATION_BUCKETS,
    attributes: [SYSTEM, OPERATION_NAME, TOPIC, GROUP, when(ERROR_TYPE, 'the handler threw')],
  },
  requestDuration: {
    name: METRIC_KAFKA_CLIENT_REQUEST_DURATION,
    kind: 'histogram',
    unit: 's',
    description: 'Duration of a Kafka protocol request, from enqueue to decoded response.',
    buckets: REQUEST_DURATION_BUCKETS,
    attributes: [
      SYSTEM,
      API_NAME,
      when(API_KEY, 'known'),
      when(API_VERSION, 'known'),
      SERVER_ADDRESS,
      when(SERVER_PORT, 'known'),
      when(ERROR_TYPE, 'the request failed'),
    ],
  },
  requestSize: {
    name: METRIC_KAFKA_CLIENT_REQUEST_SIZE,
    kind: 'histogram',
    unit: 'By',
    description: 'Size of a Kafka protocol request on the wire, including its header.',
    buckets: SIZE_BUCKETS,
    attributes: REQUEST_SIZE_ATTRIBUTES,
  },
  responseSize: {
    name: METRIC_KAFKA_CLIENT_RESPONSE_SIZE,
    kind: 'histogram',
    unit: 'By',
    description: 'Size of a Kafka protocol response on the wire.',
    buckets: SIZE_BUCKETS,
    attributes: REQUEST_SIZE_ATTRIBUTES,
  },
  requestTimeouts: {
    name: METRIC_KAFKA_CLIENT_REQUEST_TIMEOUTS,
    kind: 'counter',
    unit: '{request}',
    description: 'Number of Kafka protocol requests that timed out waiting for the broker.',
    // librdkafka's statistics count timeouts per broker, not per API.
    attributes: [
      SYSTEM,
      when(API_NAME, 'recorded per request, not from librdkafka statistics'),
      SERVER_ADDRESS,
      when(SERVER_PORT, 'known'),
    ],
  },
  requestQueueSize: {
    name: METRIC_KAFKA_CLIENT_REQUEST_QUEUE_SIZE,
    kind: 'gauge',
    unit: '{request}',
    description: 'Requests waiting for a free in-flight slot on a broker connection.',
    attributes: [SYSTEM, SERVER_ADDRESS, when(SERVER_PORT, 'known')],
  },
  connections: {
    name: METRIC_KAFKA_CLIENT_CONNECTIONS,
    kind: 'upDownCounter',
    unit: '{connection}',
    description: 'Open TCP connections from this process to Kafka brokers.',
    attributes: [SYSTEM, SERVER_ADDRESS, when(SERVER_PORT, 'known'), when(CLIENT_KIND, 'known')],
  },
  sentBytes: {
    name: METRIC_KAFKA_CLIENT_SENT_BYTES,
    kind: 'counter',
    unit: 'By',
    description: 'Bytes of message keys and values sent by producers (before compression).',
    attributes: [SYSTEM, TOPIC],
  },
  consumedBytes: {
    name: METRIC_KAFKA_CLIENT_CONSUMED_BYTES,
    kind: 'counter',
    unit: 'By',
    description: 'Bytes of message keys and values delivered to consumers (after decompression).',
    attributes: [SYSTEM, TOPIC, GROUP],
  },
  rebalances: {
    name: METRIC_KAFKA_CONSUMER_REBALANCES,
    kind: 'counter',
    unit: '{rebalance}',
    description: 'Number of consumer group rebalances this consumer took part in.',
    attributes: GROUP_ATTRIBUTES,
  },
  groupJoinDuration: {
    name: METRIC_KAFKA_CONSUMER_GROUP_JOIN_DURATION,
    kind: 'histogram',
    unit: 's',
    description: 'Time a consumer took to join (or rejoin) its group and receive an assignment.',
    buckets: GROUP_JOIN_BUCKETS,
    attributes: GROUP_ATTRIBUTES,
  },
  commits: {
    name: METRIC_KAFKA_CONSUMER_COMMITS,
    kind: 'counter',
    unit: '{commit}',
    description: 'Number of offset commits sent by consumers, automatic or explicit.',
    attributes: [SYSTEM, GROUP, when(ERROR_TYPE, 'the commit failed')],
  },
  crashes: {
    name: METRIC_KAFKA_CONSUMER_CRASHES,
    kind: 'counter',
    unit: '{crash}',
    description: 'Number of consumer crashes; kafka.consumer.restart says whether it restarts.',
    attributes: [SYSTEM, GROUP, ERROR_TYPE, RESTART],
  },
  assignedPartitions: {
    name: METRIC_KAFKA_CONSUMER_ASSIGNED_PARTITIONS,
    kind: 'gauge',
    unit: '{partition}',
    description: 'Partitions assigned to this consumer by the last rebalance.',
    attributes: GROUP_ATTRIBUTES,
  },
  endToEndLatency: {
    name: METRIC_KAFKA_CONSUMER_END_TO_END_LATENCY,
    kind: 'histogram',
    unit: 's',
    description:
      'Age of each batch a consumer hands to the application: from its first record timestamp to the handler start.',
    buckets: END_TO_END_BUCKETS,
    attributes: [SYSTEM, TOPIC, GROUP],
  },
  invalidTraceContext: {
    name: METRIC_KAFKA_CONSUMER_INVALID_TRACE_CONTEXT,
    kind: 'counter',
    unit: '{message}',
    description:
      'Consumed messages whose trace context header was present but unreadable (ignored).',
    attributes: GROUP_ATTRIBUTES,
  },
  consumerLag: {
    name: METRIC_KAFKA_CONSUMER_LAG,
    kind: 'observableGauge',
    unit: '{message}',
    description:
      'Messages between the last offset this consumer processed and the partition high watermark, as of its last batch.',
    attributes: [SYSTEM, GROUP, TOPIC, PARTITION],
  },
} as const satisfies Record<string, InstrumentDefinition>;

type InstrumentOf<Kind extends InstrumentDefinition['kind']> = {
  counter: Counter;
  upDownCounter: UpDownCounter;
  histogram: Histogram;
  gauge: Gauge;
  observableGauge: ObservableGauge;
}[Kind];

/** The client instruments created on one meter, by the keys of `CLIENT_INSTRUMENTS`. */
export type ClientInstruments = {
  readonly [Key in keyof typeof CLIENT_INSTRUMENTS]: InstrumentOf<
    (typeof CLIENT_INSTRUMENTS)[Key]['kind']
  >;
};

/**
 * Called at the start of every collection of the meter, before its synchronous instruments are
 * read: the owner reports the consumer lag gauge and hands over the counts it summed in memory.
 */
export type CollectionCallback = (lag: ObservableResult) => void;

/**
 * Creates every client instrument on one meter. Only the recorder calls it, so the KafkaJS
 * instrumentation and the manual `KafkaMetrics` API emit identical names, units and buckets.
 */
export function createClientInstruments(
  meter: Meter,
  onCollect: CollectionCallback,
): ClientInstruments {
  const created: Record<string, unknown> = {};
  for (const [key, definition] of Object.entries(CLIENT_INSTRUMENTS)) {
    created[key] = createInstrument(meter, definition);
  }
  const instruments = created as ClientInstruments;
  instruments.consumerLag.addCallback(onCollect);
  return instruments;
}

function createInstrument(meter: Meter, definition: InstrumentDefinition) {
  const options: MetricOptions = { unit: definition.unit, description: definition.description };
  if (definition.buckets) options.advice = { explicitBucketBoundaries: [...definition.buckets] };
  switch (definition.kind) {
    case 'counter':
      return meter.createCounter(definition.name, options);
    case 'upDownCounter':
      return meter.createUpDownCounter(definition.name, options);
    case 'histogram':
      return meter.createHistogram(definition.name, options);
    case 'gauge':
      return meter.createGauge(definition.name, options);
    case 'observableGauge':
      return meter.createObservableGauge(definition.name, options);
  }
}
