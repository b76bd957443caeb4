import type {
  Attributes,
  BatchObservableCallback,
  BatchObservableResult,
  DiagLogger,
  Meter,
} from '@opentelemetry/api';
import type { Recorder } from '../recorder/recorder';
import { ATTR_KAFKA_CLIENT_KIND, ATTR_MESSAGING_SYSTEM, MESSAGING_SYSTEM_KAFKA } from '../semconv';
import { parseLibrdkafkaStatistics, type LibrdkafkaStatistics } from './librdkafka-statistics';
import { MonotonicTotals } from './statistics-metrics/monotonic-totals';
import {
  documentPoints,
  type ClientIdentity,
  type ObservedPoint,
} from './statistics-metrics/statistics-points';
import {
  createStatisticsInstruments,
  type StatisticsInstruments,
} from './statistics-metrics/statistics-instruments';

/** The client a statistics document belongs to (one per KafkaJS-API producer/consumer/admin). */
export interface StatisticsSource {
  kind: 'producer' | 'consumer' | 'admin' | undefined;
  clientId: string | undefined;
  group: string | undefined;
}

export interface StatisticsMetricsOptions {
  /**
   * Most partitions one client's document gives series to (fetch state and lag). The rest are
   * left out, counted in `kafka.client.statistics.dropped_partitions` and warned about once.
   */
  maxPartitionsPerClient?: number;
  /**
   * A monotonic clock in milliseconds, which `kafka.client.statistics.age` is measured on
   * (`performance.now()`; a test brings its own to know the ages exactly).
   */
  now?: () => number;
}

/** The same bound the recorder's caches use: far above a consumer's usual assignment. */
const DEFAULT_MAX_PARTITIONS_PER_CLIENT = 10_000;

/** What is kept of one live client between its documents. */
interface TrackedClient {
  /** The series of its latest good document: exactly what collections observe. */
  points: ObservedPoint[];
  /** Its librdkafka totals, kept from going backwards. */
  readonly totals: MonotonicTotals;
  /** Request timeouts per broker, to hand the recorder's counter what each document added. */
  readonly timeouts: MonotonicTotals;
  /** Whether a refused document of this client was logged (once is enough). */
  loggedInvalid: boolean;
  /** When its latest good document arrived, and whose it is: what its age is observed from. */
  latest: { receivedAt: number; client: Attributes } | undefined;
}

/**
 * librdkafka's statistics (Confluent's `@confluentinc/kafka-javascript`) as OpenTelemetry
 * metrics. Each client's latest good document is kept as a list of points; one batch callback
 * observes the points of every live client at each collection, so the work per collection is
 * proportional to the documents, and a broker, partition or client missing from the current
 * state is not observed again.
 *
 * librdkafka hands a consumer its documents only while the client polls: while an `eachMessage`
 * or `eachBatch` handler is busy, or a consumer is connected but not running, none arrive and
 * every series (lag included) keeps the values of the last one. `kafka.client.statistics.age`,
 * measured at each collection, is how an operator sees and alerts on that.
 *
 * What a reader does with a series that is no longer observed is the SDK's: a delta reader drops
 * it, while the OpenTelemetry JS SDK's cumulative readers keep exporting its last value (the same
 * limitation `kafka.consumer.lag` has, see Known limitations in docs/instrumentation.md).
 *
 * Consumer lag and request timeouts mean what the recorder's `kafka.consumer.lag` and
 * `kafka.client.request.timeouts` mean, so they go there rather than to instruments of their own.
 */
export class LibrdkafkaStatisticsMetrics {
  private instruments: StatisticsInstruments;
  private meter: Meter;
  private readonly clients = new Map<object, TrackedClient>();
  private readonly maxPartitions: number;
  private readonly now: () => number;
  private warnedDropped = false;
  private readonly observe: BatchObservableCallback = (observer) => this.observeAll(observer);

  constructor(
    meter: Meter,
    private readonly recorder: Recorder,
    private readonly diag: DiagLogger,
    options: StatisticsMetricsOptions = {},
  ) {
    this.maxPartitions = options.maxPartitionsPerClient ?? DEFAULT_MAX_PARTITIONS_PER_CLIENT;
    this.now = options.now ?? (() => performance.now());
    this.meter = meter;
    this.instruments = this.instrumentsOn(meter);
  }

  /** The MeterProvider changed: the instruments move to the new meter. */
  useMeter(meter: Meter): void {
    this.meter.removeBatchObservableCallback(
      this.observe,
      Object.values(this.instruments.observed),
    );
    this.meter = meter;
    this.instruments = this.instrumentsOn(meter);
  }

  /**
   * One `event.stats` message (the raw JSON string) of `client`. Never throws. A document that
   * cannot be read is counted in `kafka.client.statistics.invalid`, logged once per client at
   * debug level, and ignored: the client's previous readings stay until its next good document.
   */
  update(client: object, source: StatisticsSource, json: unknown): void {
    try {
      const result =
        typeof json === 'string'
          ? parseLibrdkafkaStatistics(json)
          : { ok: false as const, reason: 'not a string' };
      const tracked = this.tracked(client);
      if (!result.ok) {
        this.refused(tracked, source, result.reason);
        return;
      }
      this.accept(client, tracked, source, result.statistics);
    } catch (error) {
      // Nothing above is expected to throw; this keeps the promise to the client's emitter.
      this.diag.debug('kafka-otel: librdkafka statistics could not be recorded', error);
    }
  }

  /** The client disconnected: its series are not observed again, its lag series are dropped. */
  forget(client: object): void {
    this.clients.delete(client);
    this.recorder.forgetLag(client);
  }

  private accept(
    client: object,
    tracked: TrackedClient,
    source: StatisticsSource,
    statistics: LibrdkafkaStatistics,
  ) {
    const identity: ClientIdentity = {
      kind: source.kind ?? statistics.client.type,
      clientId: source.clientId ?? statistics.client.clientId,
      group: source.group,
    };
    const document = documentPoints(statistics, identity, tracked.totals, this.maxPartitions);
    tracked.points = document.points;
    tracked.latest = { receivedAt: this.now(), client: document.client };
    if (document.droppedPartitions > 0 && !this.warnedDropped) {
      this.warnedDropped = true;
      this.diag.warn(
        `kafka-otel: a librdkafka statistics document has more partitions than the limit ` +
          `(${this.maxPartitions}); ${document.droppedPartitions} got no series (counted in ` +
          'kafka.client.statistics.dropped_partitions).',
      );
    }
    for (const broker of statistics.brokers) {
      if (broker.host === undefined || broker.requestTimeouts === undefined) continue;
      const added = tracked.timeouts.increase(
        `${broker.host}\u0000${broker.port}`,
        broker.requestTimeouts,
      );
      this.recorder.recordRequestTimeouts(broker.host, broker.port, added);
    }
    if (identity.group !== undefined) {
      const withLag: Record<string, number[]> = {};
      for (const { topic, partition, lag } of document.partitions) {
        if (lag === undefined) continue;
        this.recorder.setLag(client, identity.group, topic, partition, lag);
        (withLag[topic] ??= []).push(partition);
      }
      this.recorder.retainLag(client, withLag);
    }
  }

  private refused(tracked: TrackedClient, source: StatisticsSource, reason: string) {
    const attributes =
      source.kind === undefined
        ? { [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA }
        : {
            [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_KAFKA,
            [ATTR_KAFKA_CLIENT_KIND]: source.kind,
          };
    this.instruments.invalidDocuments.add(1, attributes);
    if (tracked.loggedInvalid) return;
    tracked.loggedInvalid = true;
    this.diag.debug(`kafka-otel: a librdkafka statistics document was ignored: ${reason}`);
  }

  private tracked(client: object): TrackedClient {
    let tracked = this.clients.get(client);
    if (tracked === undefined) {
      tracked = {
        points: [],
        totals: new MonotonicTotals(),
        timeouts: new MonotonicTotals(),
        loggedInvalid: false,
        latest: undefined,
      };
      this.clients.set(client, tracked);
    }
    return tracked;
  }

  private observeAll(observer: BatchObservableResult) {
    const { observed } = this.instruments;
    const now = this.now();
    for (const { points, latest } of this.clients.values()) {
      for (const point of points) {
        observer.observe(observed[point.instrument], point.value, point.attributes);
      }
      // Measured now rather than kept as a point: the other series stay as the document left
      // them, and this is how long ago that was.
      if (latest !== undefined) {
        observer.observe(observed.age, (now - latest.receivedAt) / 1000, latest.client);
      }
    }
  }

  private instrumentsOn(meter: Meter): StatisticsInstruments {
    const instruments = createStatisticsInstruments(meter);
    meter.addBatchObservableCallback(this.observe, Object.values(instruments.observed));
    return instruments;
  }
}
