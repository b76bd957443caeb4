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

/** How an instrument of the catalogue is declared: the one place its name, unit and meaning live. */
export interface InstrumentDefinition {
  name: string;
  kind: 'counter' | 'upDownCounter' | 'histogram' | 'gauge' | 'observableGauge';
  unit: string;
  description: string;
  /** Explicit bucket boundaries advised for a histogram. */
  buckets?: readonly number[];
}

/** Every client-side instrument of the metric catalogue. */
export const CLIENT_INSTRUMENTS = {
  sentMessages: {
    name: METRIC_MESSAGING_CLIENT_SENT_MESSAGES,
    kind: 'counter',
    unit: '{message}',
    description: 'Number of messages a producer attempted to send to the broker.',
  },
  consumedMessages: {
    name: METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES,
    kind: 'counter',
    unit: '{message}',
    description: 'Number of messages delivered to the application by a consumer.',
  },
  operationDuration: {
    name: METRIC_MESSAGING_CLIENT_OPERATION_DURATION,
    kind: 'histogram',
    unit: 's',
    description: 'Duration of a messaging operation (send, commit) as seen by the client.',
    buckets: MESSAGING_DURATION_BUCKETS,
  },
  processDuration: {
    name: METRIC_MESSAGING_PROCESS_DURATION,
    kind: 'histogram',
    unit: 's',
    description: 'Duration of the application handler processing a message or a batch.',
    buckets: MESSAGING_DURATION_BUCKETS,
  },
  requestDuration: {
    name: METRIC_KAFKA_CLIENT_REQUEST_DURATION,
    kind: 'histogram',
    unit: 's',
    description: 'Duration of a Kafka protocol request, from enqueue to decoded response.',
    buckets: REQUEST_DURATION_BUCKETS,
  },
  requestSize: {
    name: METRIC_KAFKA_CLIENT_REQUEST_SIZE,
    kind: 'histogram',
    unit: 'By',
    description: 'Size of a Kafka protocol request on the wire, including its header.',
    buckets: SIZE_BUCKETS,
  },
  responseSize: {
    name: METRIC_KAFKA_CLIENT_RESPONSE_SIZE,
    kind: 'histogram',
    unit: 'By',
    description: 'Size of a Kafka protocol response on the wire.',
    buckets: SIZE_BUCKETS,
  },
  requestTimeouts: {
    name: METRIC_KAFKA_CLIENT_REQUEST_TIMEOUTS,
    kind: 'counter',
    unit: '{request}',
    description: 'Number of Kafka protocol requests that timed out waiting for the broker.',
  },
  requestQueueSize: {
    name: METRIC_KAFKA_CLIENT_REQUEST_QUEUE_SIZE,
    kind: 'gauge',
    unit: '{request}',
    description: 'Requests waiting for a free in-flight slot on a broker connection.',
  },
  connections: {
    name: METRIC_KAFKA_CLIENT_CONNECTIONS,
    kind: 'upDownCounter',
    unit: '{connection}',
    description: 'Open TCP connections from this process to Kafka brokers.',
  },
  sentBytes: {
    name: METRIC_KAFKA_CLIENT_SENT_BYTES,
    kind: 'counter',
    unit: 'By',
    description: 'Bytes of message keys and values sent by producers (before compression).',
  },
  consumedBytes: {
    name: METRIC_KAFKA_CLIENT_CONSUMED_BYTES,
    kind: 'counter',
    unit: 'By',
    description: 'Bytes of message keys and values delivered to consumers (after decompression).',
  },
  rebalances: {
    name: METRIC_KAFKA_CONSUMER_REBALANCES,
    kind: 'counter',
    unit: '{rebalance}',
    description: 'Number of consumer group rebalances this consumer took part in.',
  },
  groupJoinDuration: {
    name: METRIC_KAFKA_CONSUMER_GROUP_JOIN_DURATION,
    kind: 'histogram',
    unit: 's',
    description: 'Time a consumer took to join (or rejoin) its group and receive an assignment.',
    buckets: GROUP_JOIN_BUCKETS,
  },
  commits: {
    name: METRIC_KAFKA_CONSUMER_COMMITS,
    kind: 'counter',
    unit: '{commit}',
    description: 'Number of offset commits sent by consumers, automatic or explicit.',
  },
  crashes: {
    name: METRIC_KAFKA_CONSUMER_CRASHES,
    kind: 'counter',
    unit: '{crash}',
    description: 'Number of consumer crashes; kafka.consumer.restart says whether it restarts.',
  },
  assignedPartitions: {
    name: METRIC_KAFKA_CONSUMER_ASSIGNED_PARTITIONS,
    kind: 'gauge',
    unit: '{partition}',
    description: 'Partitions assigned to this consumer by the last rebalance.',
  },
  endToEndLatency: {
    name: METRIC_KAFKA_CONSUMER_END_TO_END_LATENCY,
    kind: 'histogram',
    unit: 's',
    description:
      'Age of each batch a consumer hands to the application: from its first record timestamp to the handler start.',
    buckets: END_TO_END_BUCKETS,
  },
  invalidTraceContext: {
    name: METRIC_KAFKA_CONSUMER_INVALID_TRACE_CONTEXT,
    kind: 'counter',
    unit: '{message}',
    description:
      'Consumed messages whose trace context header was present but unreadable (ignored).',
  },
  consumerLag: {
    name: METRIC_KAFKA_CONSUMER_LAG,
    kind: 'observableGauge',
    unit: '{message}',
    description:
      'Messages between the last offset this consumer processed and the partition high watermark, as of its last batch.',
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
