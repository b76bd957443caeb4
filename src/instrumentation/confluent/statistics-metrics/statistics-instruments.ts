import type { Counter, Meter, MetricOptions, Observable } from '@opentelemetry/api';
import { when, type DeclaredAttribute } from '../../recorder/client-instruments';
import {
  ATTR_KAFKA_CLIENT_KIND as CLIENT_KIND,
  ATTR_MESSAGING_CLIENT_ID as CLIENT_ID,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME as GROUP,
  ATTR_MESSAGING_DESTINATION_NAME as TOPIC,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID as PARTITION,
  ATTR_MESSAGING_SYSTEM as SYSTEM,
  ATTR_SERVER_ADDRESS as SERVER_ADDRESS,
  ATTR_SERVER_PORT as SERVER_PORT,
} from '../../semconv';

/**
 * librdkafka's handle name (`rdkafka#producer-1`, or `<client.id>#consumer-3`): unique in the
 * process, so two clients sharing a `client.id` still get a series each. Without it their
 * cumulative totals would overwrite each other in one series.
 */
export const ATTR_KAFKA_CLIENT_NAME = 'kafka.client.name';

/** How a statistics instrument is declared; docs/metrics.md lists these (`npm run docs:metrics`). */
export interface StatisticsInstrumentDefinition {
  name: string;
  kind: 'observableCounter' | 'observableGauge' | 'counter';
  unit: string;
  description: string;
  attributes: readonly DeclaredAttribute[];
  /** The statistics field the value is read from, as librdkafka's STATISTICS.md names it. */
  source: string;
}

/** Every series of one client carries these: which client it is. */
const CLIENT_ATTRIBUTES: readonly DeclaredAttribute[] = [
  SYSTEM,
  CLIENT_KIND,
  ATTR_KAFKA_CLIENT_NAME,
  when(CLIENT_ID, 'the client has a `client.id`'),
];
/** One broker connection of a client. */
const BROKER_ATTRIBUTES = [...CLIENT_ATTRIBUTES, SERVER_ADDRESS, SERVER_PORT];
/** One partition a consumer fetches. */
const PARTITION_ATTRIBUTES = [
  ...CLIENT_ATTRIBUTES,
  when(GROUP, 'the consumer is in a group'),
  TOPIC,
  PARTITION,
];

/**
 * The instruments fed by librdkafka's statistics (Confluent's client only). Totals are
 * observable counters reporting librdkafka's own cumulative value; states and queue depths are
 * observable gauges of the latest document. `kafka.consumer.lag` and
 * `kafka.client.request.timeouts` are fed too, through the recorder (same metric as KafkaJS).
 */
export const STATISTICS_INSTRUMENTS = {
  roundTripAverage: {
    name: 'kafka.client.broker.round_trip_time.average',
    kind: 'observableGauge',
    unit: 's',
    description:
      'Average request round-trip time to the broker over the last statistics interval; absent for an interval without a response.',
    attributes: BROKER_ATTRIBUTES,
    source: 'brokers[].rtt.avg',
  },
  roundTripP99: {
    name: 'kafka.client.broker.round_trip_time.p99',
    kind: 'observableGauge',
    unit: 's',
    description:
      '99th percentile of the request round-trip time to the broker over the last statistics interval; absent for an interval without a response.',
    attributes: BROKER_ATTRIBUTES,
    source: 'brokers[].rtt.p99',
  },
  throttleMax: {
    name: 'kafka.client.broker.throttle_time.max',
    kind: 'observableGauge',
    unit: 's',
    description:
      'Longest throttle time the broker asked for over the last statistics interval (0 when it asked for none).',
    attributes: BROKER_ATTRIBUTES,
    source: 'brokers[].throttle.max',
  },
  requestsSent: {
    name: 'kafka.client.broker.requests',
    kind: 'observableCounter',
    unit: '{request}',
    description: 'Requests sent to the broker since the client started.',
    attributes: BROKER_ATTRIBUTES,
    source: 'brokers[].tx',
  },
  requestBytes: {
    name: 'kafka.client.broker.request.bytes',
    kind: 'observableCounter',
    unit: 'By',
    description: 'Bytes of requests sent to the broker since the client started.',
    attributes: BROKER_ATTRIBUTES,
    source: 'brokers[].txbytes',
  },
  requestErrors: {
    name: 'kafka.client.broker.request.errors',
    kind: 'observableCounter',
    unit: '{request}',
    description: 'Requests to the broker that failed to be sent, since the client started.',
    attributes: BROKER_ATTRIBUTES,
    source: 'brokers[].txerrs',
  },
  requestRetries: {
    name: 'kafka.client.broker.request.retries',
    kind: 'observableCounter',
    unit: '{request}',
    description: 'Requests to the broker sent again after a failure, since the client started.',
    attributes: BROKER_ATTRIBUTES,
    source: 'brokers[].txretries',
  },
  responsesReceived: {
    name: 'kafka.client.broker.responses',
    kind: 'observableCounter',
    unit: '{response}',
    description: 'Responses received from the broker since the client started.',
    attributes: BROKER_ATTRIBUTES,
    source: 'brokers[].rx',
  },
  responseBytes: {
    name: 'kafka.client.broker.response.bytes',
    kind: 'observableCounter',
    unit: 'By',
    description: 'Bytes of responses received from the broker since the client started.',
    attributes: BROKER_ATTRIBUTES,
    source: 'brokers[].rxbytes',
  },
  responseErrors: {
    name: 'kafka.client.broker.response.errors',
    kind: 'observableCounter',
    unit: '{response}',
    description: 'Responses from the broker that could not be read, since the client started.',
    attributes: BROKER_ATTRIBUTES,
    source: 'brokers[].rxerrs',
  },
  queuedRequests: {
    name: 'kafka.client.broker.queued_requests',
    kind: 'observableGauge',
    unit: '{request}',
    description: 'Requests waiting to be sent to the broker (librdkafka outbuf).',
    attributes: BROKER_ATTRIBUTES,
    source: 'brokers[].outbuf_cnt',
  },
  inFlightRequests: {
    name: 'kafka.client.broker.in_flight_requests',
    kind: 'observableGauge',
    unit: '{request}',
    description: 'Requests sent to the broker and awaiting their response (librdkafka waitresp).',
    attributes: BROKER_ATTRIBUTES,
    source: 'brokers[].waitresp_cnt',
  },
  connectionUp: {
    name: 'kafka.client.broker.connection.up',
    kind: 'observableGauge',
    unit: '1',
    description: 'Whether the connection to the broker is up (1, librdkafka state UP) or not (0).',
    attributes: BROKER_ATTRIBUTES,
    source: 'brokers[].state',
  },
  connects: {
    name: 'kafka.client.broker.connects',
    kind: 'observableCounter',
    unit: '{connection}',
    description:
      'Connection attempts to the broker since the client started, failed ones included.',
    attributes: BROKER_ATTRIBUTES,
    source: 'brokers[].connects',
  },
  disconnects: {
    name: 'kafka.client.broker.disconnects',
    kind: 'observableCounter',
    unit: '{connection}',
    description: 'Connections to the broker that were closed or lost, since the client started.',
    attributes: BROKER_ATTRIBUTES,
    source: 'brokers[].disconnects',
  },
  producerQueueMessages: {
    name: 'kafka.producer.queue.messages',
    kind: 'observableGauge',
    unit: '{message}',
    description: 'Messages in the producer queue, waiting to be sent or for their delivery report.',
    attributes: CLIENT_ATTRIBUTES,
    source: 'msg_cnt',
  },
  producerQueueBytes: {
    name: 'kafka.producer.queue.bytes',
    kind: 'observableGauge',
    unit: 'By',
    description: 'Bytes of the messages in the producer queue.',
    attributes: CLIENT_ATTRIBUTES,
    source: 'msg_size',
  },
  producerQueueMaxMessages: {
    name: 'kafka.producer.queue.max_messages',
    kind: 'observableGauge',
    unit: '{message}',
    description:
      'Most messages the producer queue holds (`queue.buffering.max.messages`); a full queue fails sends.',
    attributes: CLIENT_ATTRIBUTES,
    source: 'msg_max',
  },
  producerQueueMaxBytes: {
    name: 'kafka.producer.queue.max_bytes',
    kind: 'observableGauge',
    unit: 'By',
    description: 'Most bytes the producer queue holds (`queue.buffering.max.kbytes`).',
    attributes: CLIENT_ATTRIBUTES,
    source: 'msg_size_max',
  },
  transmittedMessages: {
    name: 'kafka.producer.transmitted.messages',
    kind: 'observableCounter',
    unit: '{message}',
    description:
      'Messages the producer transmitted to brokers since it started (retried ones each time).',
    attributes: CLIENT_ATTRIBUTES,
    source: 'txmsgs',
  },
  transmittedBytes: {
    name: 'kafka.producer.transmitted.bytes',
    kind: 'observableCounter',
    unit: 'By',
    description: 'Bytes of the messages the producer transmitted to brokers since it started.',
    attributes: CLIENT_ATTRIBUTES,
    source: 'txmsg_bytes',
  },
  fetchedMessages: {
    name: 'kafka.consumer.fetched.messages',
    kind: 'observableCounter',
    unit: '{message}',
    description: 'Messages the consumer fetched from brokers since it started.',
    attributes: CLIENT_ATTRIBUTES,
    source: 'rxmsgs',
  },
  fetchedBytes: {
    name: 'kafka.consumer.fetched.bytes',
    kind: 'observableCounter',
    unit: 'By',
    description: 'Bytes of the messages the consumer fetched from brokers since it started.',
    attributes: CLIENT_ATTRIBUTES,
    source: 'rxmsg_bytes',
  },
  partitionFetching: {
    name: 'kafka.consumer.partition.fetching',
    kind: 'observableGauge',
    unit: '1',
    description:
      'Whether the consumer is fetching the partition (1, fetch state active) or is assigned it but not fetching (0: stopped, querying or waiting for an offset, ...).',
    attributes: PARTITION_ATTRIBUTES,
    source: 'topics[].partitions[].fetch_state',
  },
  age: {
    name: 'kafka.client.statistics.age',
    kind: 'observableGauge',
    unit: 's',
    description:
      "Seconds since the client's latest good statistics document arrived. librdkafka hands a consumer its documents only while the client polls, so a busy `eachMessage`/`eachBatch` handler (or a consumer connected but not running) freezes every statistics series, `kafka.consumer.lag` included, at its last value: alert when this exceeds a few statistics intervals.",
    attributes: CLIENT_ATTRIBUTES,
    source: 'the time each document arrives',
  },
  droppedPartitions: {
    name: 'kafka.client.statistics.dropped_partitions',
    kind: 'observableGauge',
    unit: '{partition}',
    description:
      'Partitions of the latest statistics document left out of the per-partition series because the client passed the series limit.',
    attributes: CLIENT_ATTRIBUTES,
    source: 'topics[].partitions[]',
  },
  invalidDocuments: {
    name: 'kafka.client.statistics.invalid',
    kind: 'counter',
    unit: '{document}',
    description: 'Statistics documents that could not be read and were ignored.',
    attributes: [SYSTEM, when(CLIENT_KIND, 'known')],
    source: 'the whole document',
  },
} as const satisfies Record<string, StatisticsInstrumentDefinition>;

export type StatisticsInstrumentKey = keyof typeof STATISTICS_INSTRUMENTS;

/** The observable instruments of `STATISTICS_INSTRUMENTS`, by key. */
export type ObservedInstrumentKey = {
  [Key in StatisticsInstrumentKey]: (typeof STATISTICS_INSTRUMENTS)[Key]['kind'] extends 'counter'
    ? never
    : Key;
}[StatisticsInstrumentKey];

export interface StatisticsInstruments {
  readonly observed: Readonly<Record<ObservedInstrumentKey, Observable>>;
  readonly invalidDocuments: Counter;
}

/** Creates every statistics instrument on one meter. */
export function createStatisticsInstruments(meter: Meter): StatisticsInstruments {
  const observed: Partial<Record<ObservedInstrumentKey, Observable>> = {};
  for (const [key, definition] of Object.entries(STATISTICS_INSTRUMENTS)) {
    if (definition.kind === 'counter') continue;
    const options = metricOptions(definition);
    observed[key as ObservedInstrumentKey] =
      definition.kind === 'observableCounter'
        ? meter.createObservableCounter(definition.name, options)
        : meter.createObservableGauge(definition.name, options);
  }
  const invalid = STATISTICS_INSTRUMENTS.invalidDocuments;
  return {
    observed: observed as Record<ObservedInstrumentKey, Observable>,
    invalidDocuments: meter.createCounter(invalid.name, metricOptions(invalid)),
  };
}

function metricOptions(definition: StatisticsInstrumentDefinition): MetricOptions {
  return { unit: definition.unit, description: definition.description };
}
