import type { Attributes } from '@opentelemetry/api';
import type { PendingSum, Recorder } from './recorder';
import { recordedErrorName, type RecordedError } from './records';

/** The attribute sets one consumer series records with, built once. */
export interface ConsumerSeriesAttributes {
  /** Topic and group: end-to-end latency and consumed bytes. */
  perTopic: Attributes;
  /** `messaging.process.duration` of a handler that succeeded. */
  processed: Attributes;
  /** The same, with the `error.type` of a handler that failed. */
  processFailed: (failure: string) => Attributes;
}

/**
 * What one consumer group records for one topic-partition, handed out by the recorder once and
 * kept by the consumer's hot path: a delivered message costs two additions here; histogram points
 * (end-to-end latency, processing time) are per batch or per handler call, never per message.
 */
export class ConsumerSeries {
  constructor(
    private readonly recorder: Recorder,
    private readonly messages: PendingSum,
    private readonly bytes: PendingSum,
    private readonly attributes: ConsumerSeriesAttributes,
  ) {}

  /** Messages handed to the application and the bytes of their keys and values. */
  delivered(messages: number, bytes: number) {
    this.recorder.add(this.messages, messages);
    this.recorder.add(this.bytes, bytes);
  }

  /**
   * How old a delivered batch was when the handler started on it: its first record's timestamp
   * to handler start, in seconds.
   */
  endToEnd(seconds: number) {
    this.recorder.instruments.endToEndLatency.record(seconds, this.attributes.perTopic);
  }

  /** Handler time of one `eachMessage` call or one `eachBatch` call, and how it ended. */
  processed(seconds: number, error: RecordedError) {
    const failure = recordedErrorName(error);
    const attributes =
      failure === undefined ? this.attributes.processed : this.attributes.processFailed(failure);
    this.recorder.instruments.processDuration.record(seconds, attributes);
  }
}
