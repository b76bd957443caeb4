import { diag } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { CollectionResult, MetricProducer } from '@opentelemetry/sdk-metrics';
import type { KafkaConfig } from 'kafkajs';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version';
import type { ClusterSnapshot } from './cluster-snapshot';
import { emptySnapshot } from './cluster-snapshot';
import { CollectorSelfMetrics } from './collector-self-metrics';
import { deepFreeze } from './deep-freeze';
import { CLUSTER_METRIC_FAMILIES } from './export/cluster-metric-families';
import { SnapshotMetrics, type RenderedSnapshot } from './export/snapshot-metrics';
import { LagTracker } from './lag-tracker';
import { OffsetTimes } from './lag/offset-times';
import { snapshotError } from './phases/phase-outcome';
import { nameFilter, type NameFilterSpec } from './name-filter';
import { ClusterClient } from './protocol';
import { parseBrokerAddress } from './protocol/broker-address';
import { QuorumEpochClock } from './quorum-epoch-clock';
import { withConnectors } from './snapshot-connectors';
import { withEstimates } from './snapshot-estimates';
import { SnapshotSource } from './snapshot-source';
import { takeClusterSnapshot, type SnapshotScope } from './snapshot-taker';

/** Configuration of a {@link KafkaClusterCollector}. */
export interface KafkaClusterCollectorOptions {
  /** Seed brokers, `host:port`. */
  brokers: string[];
  /** Client id of the collector's connections (default `kafka-otel-collector`). */
  clientId?: string;
  /** TLS, as for KafkaJS. */
  ssl?: KafkaConfig['ssl'];
  /** SASL, as for KafkaJS. */
  sasl?: KafkaConfig['sasl'];
  /** TCP (and TLS) connect timeout in ms (default 3000). */
  connectionTimeout?: number;
  /**
   * Time to wait for each answer in ms (default: half the snapshot deadline, 4000). Below the
   * deadline, so that a broker that accepts connections and never answers costs one timeout
   * and the snapshot still asks another broker, instead of spending the whole deadline on it.
   */
  requestTimeout?: number;
  /** Topics to report: a regex (whole-name match) or a list. Default: all but internal ones. */
  topics?: NameFilterSpec;
  /** Consumer groups to report: a regex (whole-name match) or a list. Default: all. */
  groups?: NameFilterSpec;
  /** Also report internal topics (`__consumer_offsets`, `__transaction_state`). Default false. */
  includeInternalTopics?: boolean;
  /** Per-partition series (default true); topic and group aggregates are always reported. */
  perPartitionMetrics?: boolean;
  /**
   * Deadline of one snapshot in ms (default 8000): below Prometheus's default 10 s scrape
   * timeout with 2 s left to render and send, so a silent cluster reads `up` 0, not a failed
   * scrape. Keep it below the metric reader's timeout.
   */
  snapshotTimeoutMs?: number;
  /**
   * A finished snapshot younger than this (ms) is reused by readers that collect soon after
   * (default 5000); 0: never reuse one (readers collecting at the same moment still share).
   */
  minSnapshotIntervalMs?: number;
  /**
   * Most series one snapshot exports (default 500 000). Past it, per-partition series are left
   * out first, counted in `kafka.collector.series.dropped`, with one warning.
   */
  maxSeries?: number;
  /** Coordinator requests in flight at once (default 8). */
  groupConcurrency?: number;
  /** Snapshots in the lag-status window (default 10). */
  lagStatusWindow?: number;
  /**
   * Most committed offsets whose message time one snapshot reads from the brokers, for time
   * lag (default 50 000). An offset read once is not read again while the group stays there;
   * past the limit (and where a read fails) time lag is interpolated from earlier snapshots.
   * 0: never read, always interpolate.
   */
  timeLagReadLimit?: number;
  /**
   * False when the collector runs inside an application: its broker connections are closed
   * between snapshots (and never hold the event loop), so the collector does not keep the
   * process alive after the application's own work is done; each snapshot then reconnects.
   * Default true: connections stay open from one snapshot to the next.
   */
  keepProcessAlive?: boolean;
  /**
   * Where the collector's few lines go: one when the cluster becomes unreachable or incomplete
   * (naming the cause) and one when it recovers, one when series pass `maxSeries`, one when no
   * reader collects. Default: the OpenTelemetry diag logger, which prints nothing unless a
   * logger is set (`OTEL_LOG_LEVEL` under the SDK); `register` passes stderr.
   */
  warn?: (message: string) => void;
  /** Largest reply frame accepted from a broker in bytes (default 100 MiB); see ClusterClient. */
  maxReplyBytes?: number;
  /**
   * Opens the broker connections, as KafkaJS's `socketFactory` option (default: KafkaJS's own
   * TCP/TLS factory), e.g. to reach the brokers through a proxy: called with `{ host, port,
   * ssl, onConnect }`, it returns a connecting socket (TLS when `ssl` is set) that calls
   * `onConnect` once connected. What its sockets read is still checked as for any other
   * (`maxReplyBytes`), and with `keepProcessAlive: false` they are still unref'd.
   */
  socketFactory?: KafkaConfig['socketFactory'];
  /**
   * Names the Kafka Connect sink connector consuming as a group, if any: give it a
   * `KafkaConnectCollector`'s `connectorOfGroup` and the lag of those groups is also exported
   * per connector (`kafka.connect.sink.lag`, `kafka.connect.sink.time_lag`). Asked once per
   * group and snapshot; an answer that throws counts as none.
   */
  connectorOfGroup?: (groupId: string) => string | undefined;
}

/**
 * Cluster-level metrics — storage, replication, the KRaft quorum and consumer-group lag — as an
 * OpenTelemetry MetricProducer: give it to a metric reader (`metricProducers: [collector]`) and
 * every collection of that reader exports one cluster snapshot, exactly. Readers collecting
 * together share a snapshot (single-flight, one deadline), so the cluster answers each request
 * once per cycle. What is not in the snapshot is not exported: a deleted topic, group,
 * partition or voter disappears from the next export whatever the reader's temporality.
 *
 * The cluster being down or unreachable never throws into the application: `kafka.collector.up`
 * goes to 0, one warning is logged through the OpenTelemetry diag logger, and the next
 * collection tries again. Invalid options throw a TypeError from the constructor.
 */
export class KafkaClusterCollector implements MetricProducer {
  private readonly client: ClusterClient;
  private readonly source: SnapshotSource<ClusterSnapshot>;
  private readonly options: KafkaClusterCollectorOptions;
  private readonly selfMetrics = new CollectorSelfMetrics();
  private readonly renderer: SnapshotMetrics;
  private readonly lag: LagTracker;
  private readonly quorumEpochs = new QuorumEpochClock();
  /** Message times at committed offsets, read by the last snapshot. */
  private recordTimes = new OffsetTimes();
  private readonly timeLagReadLimit: number;
  /** The last snapshot whose dropped series were counted: each snapshot counts once. */
  private countedDrops: ClusterSnapshot | undefined;
  private running = false;
  private everCollected = false;
  private warnedDropped = false;
  private attachCheck: NodeJS.Timeout | undefined;
  private healthy: boolean | undefined;

  constructor(options: KafkaClusterCollectorOptions) {
    validate(options);
    this.options = options;
    this.client = new ClusterClient({
      brokers: options.brokers,
      clientId: options.clientId ?? 'kafka-otel-collector',
      ssl: options.ssl,
      sasl: options.sasl,
      connectionTimeout: options.connectionTimeout,
      requestTimeout:
        options.requestTimeout ??
        Math.floor((options.snapshotTimeoutMs ?? DEFAULT_SNAPSHOT_TIMEOUT_MS) / 2),
      keepProcessAlive: options.keepProcessAlive,
      maxReplyBytes: options.maxReplyBytes,
      socketFactory: options.socketFactory,
    });
    const scope: SnapshotScope = {
      includeTopic: nameFilter('topics', options.topics),
      includeGroup: nameFilter('groups', options.groups),
      includeInternalTopics: options.includeInternalTopics === true,
      groupConcurrency: options.groupConcurrency ?? 8,
    };
    this.timeLagReadLimit = options.timeLagReadLimit ?? DEFAULT_TIME_LAG_READ_LIMIT;
    const window = options.lagStatusWindow ?? 10;
    this.lag = new LagTracker({ status: { windowSize: window, minObservations: window } });
    this.renderer = new SnapshotMetrics(CLUSTER_METRIC_FAMILIES, {
      perPartition: options.perPartitionMetrics !== false,
      maxSeries: options.maxSeries ?? DEFAULT_MAX_SERIES,
    });
    this.source = new SnapshotSource((signal) => this.takeSnapshot(scope, signal), {
      shareForMs: options.minSnapshotIntervalMs ?? 5_000,
      timeoutMs: options.snapshotTimeoutMs ?? DEFAULT_SNAPSHOT_TIMEOUT_MS,
    });
  }

  /**
   * Starts collecting: from now on, every collection of a reader this collector was given to
   * takes (or shares) a snapshot. Warns once if no reader has collected five minutes later
   * (longer than a periodic reader's default 60 s interval and any usual scrape interval),
   * which most likely means it was not passed in any reader's `metricProducers`. Idempotent.
   */
  start(): this {
    if (this.running) return this;
    this.running = true;
    this.attachCheck = setTimeout(() => {
      if (this.running && !this.everCollected) {
        this.log(
          'warn',
          'KafkaClusterCollector started 5 minutes ago and no metric reader has ' +
            'collected from it; it exports only through the readers it is given to ' +
            '(metricProducers: [collector])',
        );
      }
    }, ATTACH_CHECK_MS);
    this.attachCheck.unref();
    return this;
  }

  /** Stops collecting (readers then get nothing from it) and closes the connections. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.attachCheck);
    await this.client.disconnect().catch(() => undefined);
  }

  /**
   * MetricProducer: the metrics of the current cycle's snapshot, for a metric reader. Never
   * rejects; empty before `start()` and after `stop()`.
   */
  async collect(): Promise<CollectionResult> {
    this.everCollected = true;
    const scope = { name: PACKAGE_NAME, version: PACKAGE_VERSION };
    if (!this.running) return collection([]);
    const snapshot = await this.source.current();
    const { metrics } = this.render(snapshot);
    return collection([{ scope, metrics: [...metrics, ...this.selfMetrics.metrics()] }]);
  }

  /** The snapshot of the current cycle (the one the export reads), e.g. for a health endpoint. */
  snapshot(): Promise<ClusterSnapshot> {
    return this.source.current();
  }

  /**
   * One snapshot, finished: assembled under the deadline, completed with the estimates that
   * need earlier snapshots (time lag, lag status, quorum epoch age), frozen.
   */
  private async takeSnapshot(scope: SnapshotScope, signal: AbortSignal): Promise<ClusterSnapshot> {
    const takenAt = Date.now();
    let snapshot: ClusterSnapshot;
    try {
      const taken = await takeClusterSnapshot(
        this.client,
        scope,
        { known: this.recordTimes, readLimit: this.timeLagReadLimit },
        signal,
        (phase) => this.selfMetrics.lateResult(phase),
      );
      const assembled = taken.snapshot;
      // The next snapshot reuses exactly what this one needed: times of offsets no group
      // waits at any more are forgotten.
      if (taken.timeLagReads) this.recordTimes = taken.timeLagReads.times;
      snapshot = withConnectors(
        withEstimates(assembled, {
          groups: this.lag.update(assembled),
          quorumEpochSeenAt: this.quorumEpochs.observe(assembled.quorum, assembled.takenAt),
        }),
        this.options.connectorOfGroup,
      );
    } catch (error) {
      // A bug of ours must cost one snapshot, never the reader's whole collection.
      diag.error('kafka-otel: cluster snapshot failed', error);
      snapshot = emptySnapshot(takenAt, 0, [snapshotError('metadata', error)]);
    }
    deepFreeze(snapshot);
    this.selfMetrics.snapshotTaken(snapshot);
    this.logHealthChange(snapshot);
    // KafkaJS connections run ref'd timers (request-timeout checks) for as long as they are
    // open; inside an application they are closed between snapshots so the collector never
    // keeps the process alive. The next snapshot reconnects.
    if (this.options.keepProcessAlive === false) {
      void this.client.disconnect().catch(() => undefined);
    }
    return snapshot;
  }

  /**
   * The snapshot's metrics. Rendered for each export, not kept: holding a large snapshot's
   * points between collections would cost more memory than rendering twice when two readers
   * share one snapshot. Dropped series count once per snapshot.
   */
  private render(snapshot: ClusterSnapshot): RenderedSnapshot {
    const result = this.renderer.render(snapshot);
    if (this.countedDrops === snapshot) return result;
    this.countedDrops = snapshot;
    this.selfMetrics.seriesDropped(result.dropped);
    if (result.dropped > 0 && !this.warnedDropped) {
      this.warnedDropped = true;
      this.log(
        'warn',
        `a cluster snapshot has more series than maxSeries ` +
          `(${this.options.maxSeries ?? DEFAULT_MAX_SERIES}); ${result.dropped} per-partition ` +
          'series were not exported (counted in kafka.collector.series.dropped). Raise maxSeries, ' +
          'narrow topics/groups, or turn off per-partition metrics.',
      );
    }
    return result;
  }

  /** One log line when the cluster becomes unreachable or incomplete, one when it recovers. */
  private logHealthChange(snapshot: ClusterSnapshot) {
    if (snapshot.complete === this.healthy) return;
    const first = this.healthy === undefined;
    this.healthy = snapshot.complete;
    if (!snapshot.complete) {
      const [error] = snapshot.errors;
      this.log(
        'warn',
        `cluster snapshot of ${this.options.brokers.join(',')} incomplete` +
          (error ? ` (${error.phase}, ${error.errorType}: ${error.message})` : '') +
          '; kafka.collector.up=0, retrying every collection',
      );
    } else if (!first) {
      this.log('info', `cluster snapshot of ${this.options.brokers.join(',')} complete again`);
    }
  }

  /** One line to the `warn` option's sink, or to the diag logger. Never throws. */
  private log(level: 'warn' | 'info', message: string): void {
    const sink = this.options.warn;
    if (sink === undefined) {
      diag[level](`kafka-otel: ${message}`);
      return;
    }
    try {
      sink(message);
    } catch {
      // The application's sink failing must not cost a snapshot.
    }
  }
}

/** See `snapshotTimeoutMs`. */
export const DEFAULT_SNAPSHOT_TIMEOUT_MS = 8_000;
const DEFAULT_MAX_SERIES = 500_000;
const DEFAULT_TIME_LAG_READ_LIMIT = 50_000;
const ATTACH_CHECK_MS = 5 * 60_000;
/** A producer's resource is ignored by the reader (the SDK's own is used): an empty one. */
const NO_RESOURCE = resourceFromAttributes({});

function collection(
  scopeMetrics: CollectionResult['resourceMetrics']['scopeMetrics'],
): CollectionResult {
  return { resourceMetrics: { resource: NO_RESOURCE, scopeMetrics }, errors: [] };
}

function validate(options: KafkaClusterCollectorOptions) {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('KafkaClusterCollector needs options: { brokers: ["host:port", ...] }');
  }
  const { brokers } = options;
  if (!Array.isArray(brokers) || brokers.length === 0) {
    throw new TypeError('KafkaClusterCollector: brokers must be a non-empty array of "host:port"');
  }
  for (const broker of brokers) {
    if (typeof broker !== 'string') {
      throw new TypeError(
        `KafkaClusterCollector: broker ${String(broker)} is not a "host:port" string`,
      );
    }
    try {
      parseBrokerAddress(broker);
    } catch (error) {
      throw new TypeError(`KafkaClusterCollector: ${(error as Error).message}`, { cause: error });
    }
  }
  for (const key of ['snapshotTimeoutMs', 'groupConcurrency', 'maxSeries'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
      throw new TypeError(`KafkaClusterCollector: ${key} must be a positive number`);
    }
  }
  const interval = options.minSnapshotIntervalMs;
  if (interval !== undefined && (!Number.isFinite(interval) || interval < 0)) {
    throw new TypeError('KafkaClusterCollector: minSnapshotIntervalMs must be a number >= 0');
  }
  const reads = options.timeLagReadLimit;
  if (reads !== undefined && (!Number.isInteger(reads) || reads < 0)) {
    throw new TypeError('KafkaClusterCollector: timeLagReadLimit must be an integer >= 0');
  }
  const window = options.lagStatusWindow;
  if (window !== undefined && (!Number.isInteger(window) || window < 2)) {
    throw new TypeError('KafkaClusterCollector: lagStatusWindow must be an integer >= 2');
  }
  const lookup = options.connectorOfGroup;
  if (lookup !== undefined && typeof lookup !== 'function') {
    throw new TypeError(
      "KafkaClusterCollector: connectorOfGroup must be a function (a KafkaConnectCollector's connectorOfGroup)",
    );
  }
}
