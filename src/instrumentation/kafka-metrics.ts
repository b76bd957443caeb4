import { metrics, type MeterProvider } from '@opentelemetry/api';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version';
import { ClientInstruments } from './client-instruments';
import { ConsumerLagTable } from './consumer-lag-table';
import { errorType } from './error-type';
import {
  brokerAttributes,
  bytesAttributes,
  groupAttributes,
  lagAttributes,
  operationAttributes,
  requestAttributes,
  requestSizeAttributes,
} from './metric-attributes';

/** Where the error of a recording comes from: an Error (named as the instrumentation names it) or a name. */
export type RecordedError = unknown;

export interface KafkaMetricsOptions {
  /** Defaults to the global MeterProvider. */
  meterProvider?: MeterProvider;
}

export interface RequestRecord {
  /** Kafka API name, e.g. `Produce`, `Fetch`, `Metadata`. */
  apiName: string;
  apiKey?: number;
  apiVersion?: number;
  /** Broker host and port the request went to. */
  serverAddress: string;
  serverPort?: number;
  durationSeconds: number;
  requestBytes?: number;
  responseBytes?: number;
  /** The error, or its Kafka name (`NOT_LEADER_OR_FOLLOWER`, `timeout`, ...). */
  error?: RecordedError;
}

export interface ProduceRecord {
  topic: string;
  partition?: number;
  /** Messages in this send to this topic (and partition). */
  messages: number;
  /** Bytes of keys and values, counted on success only. */
  bytes?: number;
  /** Duration of the whole send call, recorded as `messaging.client.operation.duration`. */
  durationSeconds?: number;
  serverAddress?: string;
  error?: RecordedError;
}

export interface ConsumeRecord {
  topic: string;
  partition?: number;
  group: string;
  messages: number;
  bytes?: number;
  /** Handler time for these messages, recorded as `messaging.process.duration`. */
  processDurationSeconds?: number;
  /** Record timestamp to handler start, per message, for `kafka.consumer.end_to_end.latency`. */
  endToEndSeconds?: readonly number[];
  error?: RecordedError;
}

export interface RebalanceRecord {
  group: string;
  joinDurationSeconds?: number;
  assignedPartitions?: number;
}

export interface CommitRecord {
  group: string;
  topic?: string;
  durationSeconds?: number;
  error?: RecordedError;
}

export interface CrashRecord {
  group: string;
  error: RecordedError;
  restart: boolean;
}

export interface LagRecord {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

/**
 * The manual meter API: the instruments of `KafkaJsInstrumentation`, with the same names,
 * units, buckets and attributes, for code that uses another Kafka client or speaks the protocol
 * itself. Every method validates nothing it does not need and never throws on odd input: a
 * negative or non-finite number is dropped, never recorded.
 */
export class KafkaMetrics {
  private readonly lag = new ConsumerLagTable();
  private readonly instruments: ClientInstruments;
  /** Owner object for lag series recorded through this API (one "consumer" per group). */
  private readonly lagOwners = new Map<string, object>();

  constructor(options: KafkaMetricsOptions = {}) {
    const provider = options.meterProvider ?? metrics.getMeterProvider();
    const meter = provider.getMeter(PACKAGE_NAME, PACKAGE_VERSION);
    this.instruments = new ClientInstruments(meter, () => this.lag.points());
  }

  /** One Kafka protocol request: duration, sizes, timeouts, error name. */
  recordRequest(record: RequestRecord) {
    const failure = failureName(record.error);
    const fields = { ...record, errorType: failure };
    if (isAmount(record.durationSeconds)) {
      this.instruments.requestDuration.record(record.durationSeconds, requestAttributes(fields));
    }
    const sizeAttributes = requestSizeAttributes(record);
    if (isAmount(record.requestBytes)) {
      this.instruments.requestSize.record(record.requestBytes, sizeAttributes);
    }
    if (isAmount(record.responseBytes)) {
      this.instruments.responseSize.record(record.responseBytes, sizeAttributes);
    }
    if (failure === 'timeout') this.instruments.requestTimeouts.add(1, sizeAttributes);
  }

  /** Messages handed to the broker (or that failed to be), and the send duration. */
  recordProduce(record: ProduceRecord) {
    const failure = failureName(record.error);
    const { topic, partition, serverAddress } = record;
    if (isAmount(record.messages)) {
      this.instruments.sentMessages.add(
        record.messages,
        operationAttributes({
          operation: 'send',
          topic,
          partition,
          serverAddress,
          errorType: failure,
        }),
      );
    }
    if (failure === undefined && isAmount(record.bytes)) {
      this.instruments.sentBytes.add(record.bytes, bytesAttributes(topic));
    }
    if (isAmount(record.durationSeconds)) {
      this.instruments.operationDuration.record(
        record.durationSeconds,
        operationAttributes({ operation: 'send', topic, serverAddress, errorType: failure }),
      );
    }
  }

  /** Messages delivered to the application, their processing time and end-to-end latency. */
  recordConsume(record: ConsumeRecord) {
    const failure = failureName(record.error);
    const { topic, partition, group } = record;
    if (isAmount(record.messages)) {
      this.instruments.consumedMessages.add(
        record.messages,
        operationAttributes({ operation: 'process', topic, partition, group }),
      );
    }
    if (isAmount(record.bytes)) {
      this.instruments.consumedBytes.add(record.bytes, bytesAttributes(topic, group));
    }
    const perTopic = operationAttributes({ operation: 'process', topic, group });
    if (isAmount(record.processDurationSeconds)) {
      this.instruments.processDuration.record(
        record.processDurationSeconds,
        operationAttributes({ operation: 'process', topic, group, errorType: failure }),
      );
    }
    for (const seconds of record.endToEndSeconds ?? []) {
      if (isAmount(seconds)) this.instruments.endToEndLatency.record(seconds, perTopic);
    }
  }

  /** A completed group join (the first one included), with its duration and assignment size. */
  recordRebalance(record: RebalanceRecord) {
    const attributes = groupAttributes({ group: record.group });
    this.instruments.rebalances.add(1, attributes);
    if (isAmount(record.joinDurationSeconds)) {
      this.instruments.groupJoinDuration.record(record.joinDurationSeconds, attributes);
    }
    if (isAmount(record.assignedPartitions)) {
      this.instruments.assignedPartitions.record(record.assignedPartitions, attributes);
    }
  }

  /** An offset commit, successful or not. */
  recordCommit(record: CommitRecord) {
    const failure = failureName(record.error);
    this.instruments.commits.add(1, groupAttributes({ group: record.group, errorType: failure }));
    if (isAmount(record.durationSeconds)) {
      this.instruments.operationDuration.record(
        record.durationSeconds,
        operationAttributes({
          operation: 'commit',
          topic: record.topic,
          group: record.group,
          errorType: failure,
        }),
      );
    }
  }

  /** A consumer crash, and whether the consumer restarts. */
  recordCrash(record: CrashRecord) {
    this.instruments.crashes.add(
      1,
      groupAttributes({
        group: record.group,
        errorType: failureName(record.error) ?? '_OTHER',
        restart: record.restart,
      }),
    );
  }

  /** The consumer's lag on one partition (clamped at 0), reported until cleared. */
  setConsumerLag(record: LagRecord) {
    if (!Number.isFinite(record.lag)) return;
    const owner = this.lagOwner(record.group);
    const attributes = lagAttributes(record.group, record.topic, record.partition);
    this.lag.set(owner, record.topic, record.partition, record.lag, attributes);
  }

  /** Keeps only these partitions' lag series for a group (after a rebalance). */
  retainConsumerLag(group: string, assignment: Record<string, number[]>) {
    this.lag.retainAssignment(this.lagOwner(group), assignment);
  }

  /** Removes every lag series of a group (the consumer stopped). */
  clearConsumerLag(group: string) {
    this.lag.forget(this.lagOwner(group));
    this.lagOwners.delete(group);
  }

  /** Requests waiting for an in-flight slot on a broker connection. */
  recordRequestQueueSize(serverAddress: string, serverPort: number | undefined, size: number) {
    if (!isAmount(size)) return;
    this.instruments.requestQueueSize.record(size, brokerAttributes(serverAddress, serverPort));
  }

  /** A connection to a broker opened (+1) or closed (-1). */
  recordConnection(change: 1 | -1, serverAddress: string, serverPort?: number, kind?: string) {
    this.instruments.connections.add(change, brokerAttributes(serverAddress, serverPort, kind));
  }

  private lagOwner(group: string): object {
    let owner = this.lagOwners.get(group);
    if (!owner) {
      owner = {};
      this.lagOwners.set(group, owner);
    }
    return owner;
  }
}

function isAmount(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function failureName(error: RecordedError): string | undefined {
  if (error === undefined || error === null) return undefined;
  if (typeof error === 'string') return error;
  return errorType(error);
}
