import type {
  Counter,
  Gauge,
  Histogram,
  Meter,
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

/**
 * Called at the start of every collection of the meter, before its synchronous instruments are
 * read: the owner reports the consumer lag gauge and hands over the counts it summed in memory.
 */
export type CollectionCallback = (lag: ObservableResult) => void;

/**
 * Every client-side instrument of the metric catalogue, created from one Meter. Only the
 * recorder creates them, so the KafkaJS instrumentation and the manual `KafkaMetrics` API emit
 * identical names, units and buckets.
 */
export class ClientInstruments {
  readonly sentMessages: Counter;
  readonly consumedMessages: Counter;
  readonly operationDuration: Histogram;
  readonly processDuration: Histogram;
  readonly requestDuration: Histogram;
  readonly requestSize: Histogram;
  readonly responseSize: Histogram;
  readonly requestTimeouts: Counter;
  readonly requestQueueSize: Gauge;
  readonly connections: UpDownCounter;
  readonly sentBytes: Counter;
  readonly consumedBytes: Counter;
  readonly rebalances: Counter;
  readonly groupJoinDuration: Histogram;
  readonly commits: Counter;
  readonly crashes: Counter;
  readonly assignedPartitions: Gauge;
  readonly endToEndLatency: Histogram;
  readonly consumerLag: ObservableGauge;
  readonly invalidTraceContext: Counter;

  constructor(meter: Meter, onCollect: CollectionCallback) {
    this.sentMessages = meter.createCounter(METRIC_MESSAGING_CLIENT_SENT_MESSAGES, {
      unit: '{message}',
      description: 'Number of messages a producer attempted to send to the broker.',
    });
    this.consumedMessages = meter.createCounter(METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES, {
      unit: '{message}',
      description: 'Number of messages delivered to the application by a consumer.',
    });
    this.operationDuration = meter.createHistogram(METRIC_MESSAGING_CLIENT_OPERATION_DURATION, {
      unit: 's',
      description: 'Duration of a messaging operation (send, commit) as seen by the client.',
      advice: { explicitBucketBoundaries: MESSAGING_DURATION_BUCKETS },
    });
    this.processDuration = meter.createHistogram(METRIC_MESSAGING_PROCESS_DURATION, {
      unit: 's',
      description: 'Duration of the application handler processing a message or a batch.',
      advice: { explicitBucketBoundaries: MESSAGING_DURATION_BUCKETS },
    });
    this.requestDuration = meter.createHistogram(METRIC_KAFKA_CLIENT_REQUEST_DURATION, {
      unit: 's',
      description: 'Duration of a Kafka protocol request, from enqueue to decoded response.',
      advice: { explicitBucketBoundaries: REQUEST_DURATION_BUCKETS },
    });
    this.requestSize = meter.createHistogram(METRIC_KAFKA_CLIENT_REQUEST_SIZE, {
      unit: 'By',
      description: 'Size of a Kafka protocol request on the wire, including its header.',
      advice: { explicitBucketBoundaries: SIZE_BUCKETS },
    });
    this.responseSize = meter.createHistogram(METRIC_KAFKA_CLIENT_RESPONSE_SIZE, {
      unit: 'By',
      description: 'Size of a Kafka protocol response on the wire.',
      advice: { explicitBucketBoundaries: SIZE_BUCKETS },
    });
    this.requestTimeouts = meter.createCounter(METRIC_KAFKA_CLIENT_REQUEST_TIMEOUTS, {
      unit: '{request}',
      description: 'Number of Kafka protocol requests that timed out waiting for the broker.',
    });
    this.requestQueueSize = meter.createGauge(METRIC_KAFKA_CLIENT_REQUEST_QUEUE_SIZE, {
      unit: '{request}',
      description: 'Requests waiting for a free in-flight slot on a broker connection.',
    });
    this.connections = meter.createUpDownCounter(METRIC_KAFKA_CLIENT_CONNECTIONS, {
      unit: '{connection}',
      description: 'Open TCP connections from this process to Kafka brokers.',
    });
    this.sentBytes = meter.createCounter(METRIC_KAFKA_CLIENT_SENT_BYTES, {
      unit: 'By',
      description: 'Bytes of message keys and values sent by producers (before compression).',
    });
    this.consumedBytes = meter.createCounter(METRIC_KAFKA_CLIENT_CONSUMED_BYTES, {
      unit: 'By',
      description: 'Bytes of message keys and values delivered to consumers (after decompression).',
    });
    this.rebalances = meter.createCounter(METRIC_KAFKA_CONSUMER_REBALANCES, {
      unit: '{rebalance}',
      description: 'Number of consumer group rebalances this consumer took part in.',
    });
    this.groupJoinDuration = meter.createHistogram(METRIC_KAFKA_CONSUMER_GROUP_JOIN_DURATION, {
      unit: 's',
      description: 'Time a consumer took to join (or rejoin) its group and receive an assignment.',
      advice: { explicitBucketBoundaries: GROUP_JOIN_BUCKETS },
    });
    this.commits = meter.createCounter(METRIC_KAFKA_CONSUMER_COMMITS, {
      unit: '{commit}',
      description: 'Number of offset commits sent by consumers.',
    });
    this.crashes = meter.createCounter(METRIC_KAFKA_CONSUMER_CRASHES, {
      unit: '{crash}',
      description: 'Number of consumer crashes; kafka.consumer.restart says whether it restarts.',
    });
    this.assignedPartitions = meter.createGauge(METRIC_KAFKA_CONSUMER_ASSIGNED_PARTITIONS, {
      unit: '{partition}',
      description: 'Partitions assigned to this consumer by the last rebalance.',
    });
    this.endToEndLatency = meter.createHistogram(METRIC_KAFKA_CONSUMER_END_TO_END_LATENCY, {
      unit: 's',
      description:
        'Age of each batch a consumer hands to the application: from its first record timestamp to the handler start.',
      advice: { explicitBucketBoundaries: END_TO_END_BUCKETS },
    });
    this.invalidTraceContext = meter.createCounter(METRIC_KAFKA_CONSUMER_INVALID_TRACE_CONTEXT, {
      unit: '{message}',
      description:
        'Consumed messages whose traceparent header was present but malformed (ignored).',
    });
    this.consumerLag = meter.createObservableGauge(METRIC_KAFKA_CONSUMER_LAG, {
      unit: '{message}',
      description:
        'Messages between the last offset this consumer processed and the partition high watermark, as of its last batch.',
    });
    this.consumerLag.addCallback(onCollect);
  }
}
