import { errorType } from '../error-type';

/**
 * The typed events the recorder takes, one per thing that happens to a Kafka client. The KafkaJS
 * patches emit them and `KafkaMetrics` hands them over from application code, so an
 * instrumented call and a manual record of the same facts produce the same series.
 *
 * Numbers that are negative or not finite are dropped, never recorded. An `error` is either the
 * error itself (named the way the instrumentation names it: the Kafka error name when there is
 * one, `timeout`, `connection`, else the class name) or that name as a string.
 */

/** The error of a failed operation, or its name (`NOT_LEADER_OR_FOLLOWER`, `timeout`, ...). */
export type RecordedError = unknown;

/** One Kafka protocol request, as the client saw it. */
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
  error?: RecordedError;
}

/** Messages of one send to one topic (and partition), and optionally the send's duration. */
export interface ProduceRecord {
  topic: string;
  partition?: number | string;
  /** Messages in this send to this topic (and partition). */
  messages: number;
  /** Bytes of keys and values, counted on success only. */
  bytes?: number;
  /** Duration of the whole send call, recorded as `messaging.client.operation.duration`. */
  durationSeconds?: number;
  serverAddress?: string;
  error?: RecordedError;
}

/** Messages delivered to the application by a consumer, and how long it took to process them. */
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

/** A completed group join (the first one included). */
export interface RebalanceRecord {
  group: string;
  joinDurationSeconds?: number;
  assignedPartitions?: number;
}

/** An offset commit, successful or not. */
export interface CommitRecord {
  group: string;
  /** The topic, when the commit was for one topic only. */
  topic?: string;
  durationSeconds?: number;
  error?: RecordedError;
}

/** A consumer crash, and whether KafkaJS (or the client) restarts the consumer. */
export interface CrashRecord {
  group: string;
  error: RecordedError;
  restart: boolean;
}

/** The consumer's lag on one partition as it last saw it. */
export interface LagRecord {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

/** True for a number that may be recorded: finite and not negative. */
export function isAmount(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** The `error.type` of a recorded error: the name itself when given as a string. */
export function recordedErrorName(error: RecordedError): string | undefined {
  if (error === undefined || error === null) return undefined;
  if (typeof error === 'string') return error;
  return errorType(error);
}
