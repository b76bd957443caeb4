import { diag, metrics, type MeterProvider } from '@opentelemetry/api';
import type { KafkaConfig } from 'kafkajs';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version';
import type { ClusterSnapshot } from './cluster-snapshot';
import { registerClusterGauges } from './gauges/cluster-gauges';
import { registerUpGauge, snapshotRecorder } from './gauges/collector-gauges';
import { registerConsumerGroupGauges } from './gauges/consumer-group-gauges';
import { registerQuorumGauges } from './gauges/quorum-gauges';
import { registerReplicationGauges } from './gauges/replication-gauges';
import { registerStorageGauges } from './gauges/storage-gauges';
import { LagTracker } from './lag-tracker';
import { nameFilter, type NameFilterSpec } from './name-filter';
import { ClusterClient } from './protocol';
import { takeClusterSnapshot } from './snapshot-builder';
import { SnapshotSource } from './snapshot-source';

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
  connectionTimeout?: number;
  requestTimeout?: number;
  /** Where the gauges are registered (default: the global MeterProvider). */
  meterProvider?: MeterProvider;
  /** Topics to report: a regex (whole-name match) or a list. Default: all but internal ones. */
  topics?: NameFilterSpec;
  /** Consumer groups to report: a regex (whole-name match) or a list. Default: all. */
  groups?: NameFilterSpec;
  /** Also report internal topics (`__consumer_offsets`, `__transaction_state`). Default false. */
  includeInternalTopics?: boolean;
  /** Per-partition series (default true); topic and group aggregates are always reported. */
  perPartitionMetrics?: boolean;
  /** Deadline of one snapshot in ms (default 10 000); keep it below the metric reader's timeout. */
  snapshotTimeoutMs?: number;
  /** A snapshot younger than this (ms) is shared by readers that collect together (default 5000). */
  minSnapshotIntervalMs?: number;
  /** Coordinator requests in flight at once (default 8). */
  groupConcurrency?: number;
  /** Snapshots in the lag-status window (default 10). */
  lagStatusWindow?: number;
  /**
   * False when the collector runs inside an application: its broker connections are closed
   * between snapshots (and never hold the event loop), so the collector does not keep the
   * process alive after the application's own work is done; each snapshot then reconnects.
   * Default true: connections stay open from one snapshot to the next.
   */
  keepProcessAlive?: boolean;
}

/**
 * Cluster-level gauges — storage, replication, the KRaft quorum and consumer-group lag —
 * registered as observable gauges. Each collection cycle takes one snapshot of the cluster
 * (single-flight, with its own deadline) and every gauge reads from it.
 *
 * The cluster being down or unreachable never throws into the application: `kafka.collector.up`
 * goes to 0, one warning is logged through the OpenTelemetry diag logger, and the next cycle
 * tries again. Invalid options throw a TypeError from the constructor.
 */
export class KafkaClusterCollector {
  private readonly client: ClusterClient;
  private readonly source: SnapshotSource;
  private readonly options: KafkaClusterCollectorOptions;
  private unregister: (() => void)[] = [];
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
      requestTimeout: options.requestTimeout,
      keepProcessAlive: options.keepProcessAlive,
    });
    const scope = {
      includeTopic: nameFilter('topics', options.topics),
      includeGroup: nameFilter('groups', options.groups),
      includeInternalTopics: options.includeInternalTopics === true,
      groupConcurrency: options.groupConcurrency ?? 8,
    };
    const window = options.lagStatusWindow ?? 10;
    const lag = new LagTracker({ status: { windowSize: window, minObservations: window } });
    const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(
      PACKAGE_NAME,
      PACKAGE_VERSION,
    );
    const record = snapshotRecorder(meter);
    this.source = new SnapshotSource(
      (signal) => takeClusterSnapshot(this.client, scope, lag, signal),
      {
        maxAgeMs: options.minSnapshotIntervalMs ?? 5_000,
        timeoutMs: options.snapshotTimeoutMs ?? 10_000,
        onSnapshot: (snapshot) => {
          record(snapshot);
          this.logHealthChange(snapshot);
          // KafkaJS connections run ref'd timers (request-timeout checks) for as long as they
          // are open; inside an application they are closed between snapshots so the
          // collector never keeps the process alive. The next snapshot reconnects.
          if (options.keepProcessAlive === false)
            void this.client.disconnect().catch(() => undefined);
        },
      },
    );
    this.meter = meter;
  }

  private readonly meter: ReturnType<MeterProvider['getMeter']>;

  /** Registers the gauges; collection happens when a metric reader collects. Idempotent. */
  start(): this {
    if (this.unregister.length > 0) return this;
    const settings = { perPartition: this.options.perPartitionMetrics !== false };
    this.unregister = [
      registerUpGauge(this.meter, this.source),
      registerClusterGauges(this.meter, this.source),
      registerStorageGauges(this.meter, this.source, settings),
      registerReplicationGauges(this.meter, this.source, settings),
      registerQuorumGauges(this.meter, this.source),
      registerConsumerGroupGauges(this.meter, this.source, settings),
    ];
    return this;
  }

  /** Unregisters the gauges and closes the connections. */
  async stop(): Promise<void> {
    for (const unregister of this.unregister.splice(0)) unregister();
    await this.client.disconnect().catch(() => undefined);
  }

  /** The snapshot of the current cycle (the one the gauges read), e.g. for a health endpoint. */
  snapshot(): Promise<ClusterSnapshot> {
    return this.source.current();
  }

  /** One log line when the cluster becomes unreachable or incomplete, one when it recovers. */
  private logHealthChange(snapshot: ClusterSnapshot) {
    if (snapshot.complete === this.healthy) return;
    const first = this.healthy === undefined;
    this.healthy = snapshot.complete;
    if (!snapshot.complete) {
      const [error] = snapshot.errors;
      diag.warn(
        `kafka-otel: cluster snapshot of ${this.options.brokers.join(',')} incomplete` +
          (error ? ` (${error.phase}: ${error.message})` : '') +
          '; kafka.collector.up=0, retrying every collection',
      );
    } else if (!first) {
      diag.info(`kafka-otel: cluster snapshot of ${this.options.brokers.join(',')} complete again`);
    }
  }
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
    if (typeof broker !== 'string' || !/^[^:\s]+:\d{1,5}$/.test(broker)) {
      throw new TypeError(`KafkaClusterCollector: broker '${String(broker)}' is not "host:port"`);
    }
  }
  for (const key of ['snapshotTimeoutMs', 'minSnapshotIntervalMs', 'groupConcurrency'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
      throw new TypeError(`KafkaClusterCollector: ${key} must be a positive number`);
    }
  }
  const window = options.lagStatusWindow;
  if (window !== undefined && (!Number.isInteger(window) || window < 2)) {
    throw new TypeError('KafkaClusterCollector: lagStatusWindow must be an integer >= 2');
  }
}
