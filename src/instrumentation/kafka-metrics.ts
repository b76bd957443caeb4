import { metrics, type MeterProvider } from '@opentelemetry/api';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version';
import { Recorder } from './recorder/recorder';
import {
  isAmount,
  recordedErrorName,
  type CommitRecord,
  type ConsumeRecord,
  type CrashRecord,
  type LagRecord,
  type ProduceRecord,
  type RebalanceRecord,
  type RequestRecord,
} from './recorder/records';

export type {
  CommitRecord,
  ConsumeRecord,
  CrashRecord,
  LagRecord,
  ProduceRecord,
  RebalanceRecord,
  RecordedError,
  RequestRecord,
} from './recorder/records';

export interface KafkaMetricsOptions {
  /** Defaults to the global MeterProvider. */
  meterProvider?: MeterProvider;
}

/**
 * The manual meter API, for code that uses another Kafka client or speaks the protocol itself.
 * It records through the same recorder as `KafkaJsInstrumentation`, so a manual record and an
 * instrumented call of the same facts produce the same series: names, units, buckets and
 * attributes. It never throws on odd input: a negative or non-finite number is dropped.
 */
export class KafkaMetrics {
  private readonly recorder: Recorder;
  /** The owner of the lag series recorded through this API: one per group. */
  private readonly lagOwners = new Map<string, object>();

  constructor(options: KafkaMetricsOptions = {}) {
    const provider = options.meterProvider ?? metrics.getMeterProvider();
    this.recorder = new Recorder(provider.getMeter(PACKAGE_NAME, PACKAGE_VERSION));
  }

  /** One Kafka protocol request: duration, sizes, timeouts, error name. */
  recordRequest(record: RequestRecord) {
    this.recorder.recordRequest(record);
  }

  /** Messages handed to the broker (or that failed to be), and the send duration. */
  recordProduce(record: ProduceRecord) {
    const { topic, partition, serverAddress, error } = record;
    this.recorder.recordSent(topic, partition, record.messages, serverAddress, error);
    if (recordedErrorName(error) === undefined && record.bytes !== undefined) {
      this.recorder.recordSentBytes(topic, record.bytes);
    }
    if (record.durationSeconds !== undefined) {
      this.recorder.recordSendDuration(topic, serverAddress, record.durationSeconds, error);
    }
  }

  /** Messages delivered to the application, their processing time and end-to-end latency. */
  recordConsume(record: ConsumeRecord) {
    const series = this.recorder.consumer(record.group, record.topic, record.partition);
    const messages = isAmount(record.messages) ? record.messages : 0;
    series.delivered(messages, isAmount(record.bytes) ? record.bytes : 0);
    for (const seconds of record.endToEndSeconds ?? []) {
      if (isAmount(seconds)) series.endToEnd(seconds);
    }
    if (isAmount(record.processDurationSeconds)) {
      series.processed(record.processDurationSeconds, record.error);
    }
  }

  /** A completed group join (the first one included), with its duration and assignment size. */
  recordRebalance(record: RebalanceRecord) {
    this.recorder.recordRebalance(record);
  }

  /** An offset commit, successful or not. */
  recordCommit(record: CommitRecord) {
    this.recorder.recordCommit(record);
  }

  /** A consumer crash, and whether the consumer restarts. */
  recordCrash(record: CrashRecord) {
    this.recorder.recordCrash(record);
  }

  /** The consumer's lag on one partition (clamped at 0), reported until cleared. */
  setConsumerLag(record: LagRecord) {
    const { group, topic, partition, lag } = record;
    this.recorder.setLag(this.lagOwner(group), group, topic, partition, lag);
  }

  /** Keeps only these partitions' lag series for a group (after a rebalance). */
  retainConsumerLag(group: string, assignment: Record<string, number[]>) {
    this.recorder.retainLag(this.lagOwner(group), assignment);
  }

  /** Removes every lag series of a group (the consumer stopped). */
  clearConsumerLag(group: string) {
    this.recorder.forgetLag(this.lagOwner(group));
    this.lagOwners.delete(group);
  }

  /** Requests waiting for an in-flight slot on a broker connection. */
  recordRequestQueueSize(serverAddress: string, serverPort: number | undefined, size: number) {
    this.recorder.recordRequestQueueSize(serverAddress, serverPort, size);
  }

  /** A connection to a broker opened (+1) or closed (-1). */
  recordConnection(change: 1 | -1, serverAddress: string, serverPort?: number, kind?: string) {
    this.recorder.recordConnection(change, serverAddress, serverPort, kind);
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
