import type { Attributes, Meter, ObservableResult } from '@opentelemetry/api';
import { BoundedCache } from './bounded-cache';
import { createClientInstruments, type ClientInstruments } from './client-instruments';
import { ConsumerLagTable } from './consumer-lag-table';
import { ConsumerSeries, type ConsumerSeriesAttributes } from './consumer-series';
import {
  brokerAttributes,
  bytesAttributes,
  groupAttributes,
  lagAttributes,
  messagingAttributes,
  operationAttributes,
  requestAttributes,
  requestSizeAttributes,
} from './metric-attributes';
import {
  isAmount,
  recordedErrorName,
  type CommitRecord,
  type CrashRecord,
  type RebalanceRecord,
  type RecordedError,
  type RequestRecord,
} from './records';

/** The counters whose increments are summed in memory (the ones touched per message). */
type SummedCounter = 'sentMessages' | 'sentBytes' | 'consumedMessages' | 'consumedBytes';

/** One series of a summed counter and what it gained since the meter last collected. */
export class PendingSum {
  value = 0;
  constructor(
    readonly counter: SummedCounter,
    readonly attributes: Attributes,
  ) {}
}

/**
 * The one place client telemetry is recorded: it owns every client instrument, the attribute
 * sets of every series, the consumer lag table, and takes typed events from the KafkaJS patches
 * and from `KafkaMetrics` alike.
 *
 * Message and byte counters are the only instruments touched for every message. The SDK hashes
 * the attribute set on each `add` (about a microsecond for a messaging attribute set), so those
 * increments are summed here in plain numbers and handed to the SDK at the start of each
 * collection, which runs observable callbacks before it reads synchronous instruments: every
 * export still sees every message, and a message costs an addition.
 */
export class Recorder {
  /** The instruments of the current meter; replaced when the MeterProvider changes. */
  instruments: ClientInstruments;
  private readonly lag = new ConsumerLagTable();
  private readonly attributeSets = new BoundedCache<Attributes>();
  private readonly sums = new BoundedCache<PendingSum>();
  private readonly consumerSeries = new BoundedCache<ConsumerSeries>();
  private pending: PendingSum[] = [];

  constructor(meter: Meter) {
    this.instruments = this.instrumentsOn(meter);
  }

  /** Moves to the instruments of another meter; counts summed so far go to the previous one. */
  useMeter(meter: Meter) {
    this.flush();
    this.instruments = this.instrumentsOn(meter);
  }

  /** Hands every summed count to its SDK counter. Runs at each collection. */
  flush() {
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    for (const sum of pending) {
      const value = sum.value;
      sum.value = 0;
      this.instruments[sum.counter].add(value, sum.attributes);
    }
  }

  /** Adds to a summed counter series; the SDK sees it at its next collection. */
  add(sum: PendingSum, amount: number) {
    if (!(amount > 0)) return;
    if (sum.value === 0) this.pending.push(sum);
    sum.value += amount;
  }

  // --- requests and connections -------------------------------------------------------------

  /** One Kafka protocol request: duration, sizes, timeouts, error name. */
  recordRequest(record: RequestRecord) {
    const failure = recordedErrorName(record.error);
    const broker = `${record.serverAddress}\u0000${record.serverPort}\u0000${record.apiName}`;
    const sizeAttributes = this.attributeSets.get(`request-size\u0000${broker}`, () =>
      requestSizeAttributes(record),
    );
    if (isAmount(record.durationSeconds)) {
      const key = `request\u0000${broker}\u0000${record.apiKey}\u0000${record.apiVersion}\u0000${failure}`;
      const attributes = this.attributeSets.get(key, () =>
        requestAttributes({ ...record, errorType: failure }),
      );
      this.instruments.requestDuration.record(record.durationSeconds, attributes);
    }
    if (isAmount(record.requestBytes)) {
      this.instruments.requestSize.record(record.requestBytes, sizeAttributes);
    }
    if (isAmount(record.responseBytes)) {
      this.instruments.responseSize.record(record.responseBytes, sizeAttributes);
    }
    if (failure === 'timeout') this.instruments.requestTimeouts.add(1, sizeAttributes);
  }

  /**
   * Request timeouts counted on one broker without their API: librdkafka's statistics
   * (`req_timeouts`) count them per broker only, so these points carry no `kafka.api.name`.
   */
  recordRequestTimeouts(serverAddress: string, serverPort: number | undefined, timeouts: number) {
    if (!isAmount(timeouts) || timeouts === 0) return;
    this.instruments.requestTimeouts.add(
      timeouts,
      this.brokerAttributes(serverAddress, serverPort, undefined),
    );
  }

  /** Requests waiting for an in-flight slot on a broker connection. */
  recordRequestQueueSize(serverAddress: string, serverPort: number | undefined, size: number) {
    if (!isAmount(size)) return;
    this.instruments.requestQueueSize.record(
      size,
      this.brokerAttributes(serverAddress, serverPort, undefined),
    );
  }

  /** A connection to a broker opened (+1) or closed (-1), by the kind of client that owns it. */
  recordConnection(
    change: 1 | -1,
    serverAddress: string,
    serverPort: number | undefined,
    kind: string | undefined,
  ) {
    this.instruments.connections.add(
      change,
      this.brokerAttributes(serverAddress, serverPort, kind),
    );
  }

  // --- producer ------------------------------------------------------------------------------

  /** Messages of one send to one topic (and partition), sent or failed. */
  recordSent(
    topic: string,
    partition: number | string | undefined,
    messages: number,
    serverAddress: string | undefined,
    error: RecordedError,
  ) {
    if (!isAmount(messages)) return;
    const failure = recordedErrorName(error);
    const key = `sent\u0000${topic}\u0000${partition}\u0000${serverAddress}\u0000${failure}`;
    const sent = this.sums.get(key, () => {
      const attributes = messagingAttributes({
        operation: 'send',
        topic,
        partition,
        serverAddress,
        errorType: failure,
      });
      return new PendingSum('sentMessages', attributes);
    });
    this.add(sent, messages);
  }

  /** Bytes of keys and values a successful send handed to the broker. */
  recordSentBytes(topic: string, bytes: number) {
    if (!isAmount(bytes)) return;
    const sum = this.sums.get(
      `sent-bytes\u0000${topic}`,
      () => new PendingSum('sentBytes', bytesAttributes(topic)),
    );
    this.add(sum, bytes);
  }

  /** The duration of one send call (one topic, or several in a `sendBatch`). */
  recordSendDuration(
    topic: string | undefined,
    serverAddress: string | undefined,
    seconds: number,
    error: RecordedError,
  ) {
    if (!isAmount(seconds)) return;
    const failure = recordedErrorName(error);
    const key = `send\u0000${topic}\u0000${serverAddress}\u0000${failure}`;
    const attributes = this.attributeSets.get(key, () =>
      operationAttributes({ operation: 'send', topic, serverAddress, errorType: failure }),
    );
    this.instruments.operationDuration.record(seconds, attributes);
  }

  // --- consumer ------------------------------------------------------------------------------

  /**
   * The series a consumer records a topic-partition's deliveries into (cached: the hot path
   * keeps the handle). Without `partition`, counts are per topic.
   */
  consumer(group: string, topic: string, partition: number | undefined): ConsumerSeries {
    return this.consumerSeries.get(`${group}\u0000${topic}\u0000${partition}`, () => {
      const perTopic = bytesAttributes(topic, group);
      const attributes: ConsumerSeriesAttributes = {
        perTopic,
        processed: messagingAttributes({ operation: 'process', topic, group }),
        processFailed: (failure) =>
          this.attributeSets.get(`process\u0000${group}\u0000${topic}\u0000${failure}`, () =>
            messagingAttributes({ operation: 'process', topic, group, errorType: failure }),
          ),
      };
      const messages = this.sums.get(
        `consumed\u0000${group}\u0000${topic}\u0000${partition}`,
        () =>
          new PendingSum(
            'consumedMessages',
            messagingAttributes({ operation: 'process', topic, partition, group }),
          ),
      );
      const bytes = this.sums.get(
        `consumed-bytes\u0000${group}\u0000${topic}`,
        () => new PendingSum('consumedBytes', perTopic),
      );
      return new ConsumerSeries(this, messages, bytes, attributes);
    });
  }

  /** An offset commit, automatic or explicit, successful or not. */
  recordCommit(record: CommitRecord) {
    const failure = recordedErrorName(record.error);
    this.instruments.commits.add(1, this.groupAttributes(record.group, failure, undefined));
    if (isAmount(record.durationSeconds)) {
      const { group, topic } = record;
      const key = `commit\u0000${group}\u0000${topic}\u0000${failure}`;
      const attributes = this.attributeSets.get(key, () =>
        operationAttributes({ operation: 'commit', topic, group, errorType: failure }),
      );
      this.instruments.operationDuration.record(record.durationSeconds, attributes);
    }
  }

  /** A completed group join, with its duration and the size of the assignment it brought. */
  recordRebalance(record: RebalanceRecord) {
    const attributes = this.groupAttributes(record.group, undefined, undefined);
    this.instruments.rebalances.add(1, attributes);
    if (isAmount(record.joinDurationSeconds)) {
      this.instruments.groupJoinDuration.record(record.joinDurationSeconds, attributes);
    }
    if (record.assignedPartitions !== undefined) {
      this.recordAssignedPartitions(record.group, record.assignedPartitions);
    }
  }

  /** The partitions a consumer holds now (0 once it stopped). */
  recordAssignedPartitions(group: string, partitions: number) {
    if (!isAmount(partitions)) return;
    this.instruments.assignedPartitions.record(
      partitions,
      this.groupAttributes(group, undefined, undefined),
    );
  }

  /** A consumer crash; an error that is not named reads `_OTHER`. */
  recordCrash(record: CrashRecord) {
    const failure = recordedErrorName(record.error) ?? '_OTHER';
    this.instruments.crashes.add(1, this.groupAttributes(record.group, failure, record.restart));
  }

  /** A message whose trace context header was present but could not be read. */
  recordInvalidTraceContext(group: string) {
    this.instruments.invalidTraceContext.add(1, this.groupAttributes(group, undefined, undefined));
  }

  /** The lag a consumer (`owner`) saw on one partition, reported until its assignment drops it. */
  setLag(owner: object, group: string, topic: string, partition: number, lag: number) {
    if (!Number.isFinite(lag)) return;
    const attributes = this.attributeSets.get(
      `lag\u0000${group}\u0000${topic}\u0000${partition}`,
      () => lagAttributes(group, topic, partition),
    );
    this.lag.set(owner, topic, partition, lag, attributes);
  }

  /** Keeps only the lag series of the partitions a consumer still owns (topic -> partitions). */
  retainLag(owner: object, assignment: Record<string, number[]>) {
    this.lag.retainAssignment(owner, assignment);
  }

  /** Drops every lag series of a consumer (stopped, disconnected, crashed for good). */
  forgetLag(owner: object) {
    this.lag.forget(owner);
  }

  private instrumentsOn(meter: Meter): ClientInstruments {
    return createClientInstruments(meter, (lag: ObservableResult) => {
      this.flush();
      for (const { value, attributes } of this.lag.points()) lag.observe(value, attributes);
    });
  }

  private groupAttributes(group: string, failure: string | undefined, restart?: boolean) {
    return this.attributeSets.get(`group\u0000${group}\u0000${failure}\u0000${restart}`, () =>
      groupAttributes(group, failure, restart),
    );
  }

  private brokerAttributes(address: string, port: number | undefined, kind: string | undefined) {
    return this.attributeSets.get(`broker\u0000${address}\u0000${port}\u0000${kind}`, () =>
      brokerAttributes(address, port, kind),
    );
  }
}
