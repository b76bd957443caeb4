import { diag } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { CollectionResult, MetricProducer } from '@opentelemetry/sdk-metrics';
import type { ConnectionOptions } from 'node:tls';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../version';
import { deepFreeze } from '../deep-freeze';
import { SnapshotMetrics } from '../export/snapshot-metrics';
import { StoppableSnapshots } from '../stoppable-snapshots';
import { BROKER_JMX_METRIC_FAMILIES } from './broker-jmx-metric-families';
import { readBrokerEndpoint } from './broker-jmx-reader';
import type { BrokerEndpointReading, BrokerJmxSnapshot } from './broker-jmx-snapshot';
import { JolokiaClient } from './jolokia-client';

/** One broker's Jolokia agent. */
export interface BrokerJmxEndpoint {
  /** The agent's base URL, e.g. `http://broker-1:8778/jolokia/`. */
  url: string;
  /**
   * The broker's identity on its series (`broker` attribute). Default: its node id, read from
   * the `kafka.server:type=app-info,id=<node id>` MBean, so the series join the cluster
   * collector's `broker` and `voter` series; the URL's host:port if that cannot be read.
   */
  broker?: number | string;
}

/** Configuration of a {@link KafkaBrokerJmxCollector}. */
export interface KafkaBrokerJmxCollectorOptions {
  /** One Jolokia agent per broker node: base URLs, or `{ url, broker }`. */
  endpoints: ReadonlyArray<string | BrokerJmxEndpoint>;
  /** HTTP Basic authentication of every agent; both or neither. */
  username?: string;
  password?: string;
  /** TLS for `https://` agents: `true` (system CAs) or Node's options (ca, cert, key). */
  tls?: boolean | ConnectionOptions;
  /** Time for one agent's reply in ms (default: half the snapshot deadline, 4000). */
  timeoutMs?: number;
  /** Deadline of one read of every agent in ms (default 8000); keep it below the reader's. */
  snapshotTimeoutMs?: number;
  /**
   * A finished read younger than this (ms) is reused by readers that collect soon after
   * (default 5000); 0: never reuse one (readers collecting at the same moment still share).
   */
  minSnapshotIntervalMs?: number;
  /** Most series one read exports (default 100 000). */
  maxSeries?: number;
  /**
   * False inside an application: connections to the agents are not kept open between reads,
   * so the collector never keeps the process alive. Default true.
   */
  keepProcessAlive?: boolean;
  /**
   * Where the collector's few lines go: one when an agent becomes unreadable (naming the
   * cause), one when it recovers. Default: the OpenTelemetry diag logger.
   */
  warn?: (message: string) => void;
}

/** See `snapshotTimeoutMs`. */
const DEFAULT_SNAPSHOT_TIMEOUT_MS = 8_000;
const DEFAULT_MAX_SERIES = 100_000;
/** A producer's resource is ignored by the reader (the SDK's own is used): an empty one. */
const NO_RESOURCE = resourceFromAttributes({});

/**
 * Brokers' own metrics from JMX, read through a Jolokia agent on each broker — requests per API
 * and version, request time and errors, thread-pool idleness, under-replicated and offline
 * partitions, the KRaft quorum as each node sees it — as an OpenTelemetry MetricProducer
 * (`metricProducers: [collector]`). Each collection reads every agent once (one bulk request
 * each, shared by readers collecting together) and exports exactly what it read: counters
 * are Kafka's own totals, and what a broker does not have is not exported. A broker that
 * cannot be read exports `kafka.broker.jmx.up` 0 and nothing else; one whose agent refuses or
 * fails some queries (an access policy) also reads `kafka.broker.jmx.up` 0 but still exports
 * what the other queries read (the Connect collector's `kafka.connect.jmx.up` does the same).
 *
 * Never throws into the application after construction; invalid options throw a TypeError.
 */
export class KafkaBrokerJmxCollector implements MetricProducer {
  private readonly agents: Array<{ client: JolokiaClient; broker?: number | string }>;
  private readonly snapshots: StoppableSnapshots<BrokerJmxSnapshot>;
  private readonly renderer: SnapshotMetrics<BrokerJmxSnapshot>;
  /** Each endpoint's health at the last read, to log changes only. */
  private readonly healthy = new Map<string, boolean>();

  constructor(private readonly options: KafkaBrokerJmxCollectorOptions) {
    validate(options);
    const snapshotTimeoutMs = options.snapshotTimeoutMs ?? DEFAULT_SNAPSHOT_TIMEOUT_MS;
    this.agents = options.endpoints.map((endpoint) => {
      const { url, broker } = typeof endpoint === 'string' ? { url: endpoint } : endpoint;
      const client = new JolokiaClient({
        url,
        username: options.username,
        password: options.password,
        tls: options.tls,
        timeoutMs: options.timeoutMs ?? Math.floor(snapshotTimeoutMs / 2),
        keepAlive: options.keepProcessAlive !== false,
      });
      return { client, broker: nodeIdOrName(broker) };
    });
    const endpoints = this.agents.map(({ client }) => client.endpoint);
    if (new Set(endpoints).size !== endpoints.length) {
      throw new TypeError('KafkaBrokerJmxCollector: an endpoint is listed twice');
    }
    this.renderer = new SnapshotMetrics(BROKER_JMX_METRIC_FAMILIES, {
      perPartition: true,
      maxSeries: options.maxSeries ?? DEFAULT_MAX_SERIES,
    });
    this.snapshots = new StoppableSnapshots((signal) => this.takeSnapshot(signal), {
      snapshotTimeoutMs: options.snapshotTimeoutMs ?? DEFAULT_SNAPSHOT_TIMEOUT_MS,
      minSnapshotIntervalMs: options.minSnapshotIntervalMs ?? 5_000,
    });
  }

  /** Starts collecting: from now on each collection of a reader reads the agents. Idempotent. */
  start(): this {
    this.snapshots.start();
    return this;
  }

  /**
   * Stops collecting (readers then get nothing from it) and closes the connections. A read
   * under way is cut short and dropped: not logged (its closed connections are no outage) and
   * never served after a later start(), which begins with a fresh read.
   */
  stop(): Promise<void> {
    this.snapshots.stop();
    for (const { client } of this.agents) client.close();
    return Promise.resolve();
  }

  /** MetricProducer: the metrics of the current cycle's read. Never rejects. */
  async collect(): Promise<CollectionResult> {
    const snapshot = await this.snapshots.forCollection();
    if (snapshot === undefined) return collection([]);
    const { metrics } = this.renderer.render(snapshot);
    const scope = { name: PACKAGE_NAME, version: PACKAGE_VERSION };
    return collection([{ scope, metrics }]);
  }

  /** The read of the current cycle (the one the export reads), e.g. for a health endpoint. */
  snapshot(): Promise<BrokerJmxSnapshot> {
    return this.snapshots.current();
  }

  private async takeSnapshot(signal: AbortSignal): Promise<BrokerJmxSnapshot> {
    const generation = this.snapshots.generation;
    const takenAt = Date.now();
    const endpoints = await Promise.all(
      this.agents.map(({ client, broker }) =>
        readBrokerEndpoint(client, broker, signal).catch((error: unknown) => {
          // A bug of ours must cost one endpoint's reading, never the reader's collection.
          try {
            diag.error('kafka-otel: broker JMX reading failed', error);
          } catch {
            // The application's diag logger failing costs this line only.
          }
          return unreadable(client.endpoint, error);
        }),
      ),
    );
    const snapshot: BrokerJmxSnapshot = {
      takenAt,
      durationSeconds: (Date.now() - takenAt) / 1000,
      endpoints,
    };
    deepFreeze(snapshot);
    // stop() closed the connections under it: not an outage to log; no reader gets it.
    if (this.snapshots.stoppedSince(generation)) return snapshot;
    for (const reading of endpoints) this.logHealthChange(reading);
    if (this.options.keepProcessAlive === false) {
      for (const { client } of this.agents) client.close();
    }
    return snapshot;
  }

  /** One line when an endpoint becomes unreadable, one when it recovers. */
  private logHealthChange(reading: BrokerEndpointReading): void {
    const before = this.healthy.get(reading.endpoint);
    if (before === reading.up) return;
    this.healthy.set(reading.endpoint, reading.up);
    if (!reading.up) {
      const cause = reading.error ? ` (${reading.error.errorType}: ${reading.error.message})` : '';
      this.log(
        'warn',
        `broker JMX read of ${reading.endpoint} failed${cause}; kafka.broker.jmx.up=0, retrying every collection`,
      );
    } else if (before !== undefined) {
      this.log('info', `broker JMX read of ${reading.endpoint} succeeds again`);
    }
  }

  /** One line to the `warn` option's sink, or to the diag logger. Never throws. */
  private log(level: 'warn' | 'info', message: string): void {
    const sink = this.options.warn;
    try {
      if (sink) sink(message);
      else diag[level](`kafka-otel: ${message}`);
    } catch {
      // The application's sink or diag logger failing must not cost a read.
    }
  }
}

function unreadable(endpoint: string, error: unknown): BrokerEndpointReading {
  const message = error instanceof Error ? error.message : String(error);
  return {
    endpoint,
    up: false,
    error: { errorType: 'internal', message },
    skipped: 0,
    requests: [],
    requestTimes: [],
    requestErrors: [],
  };
}

function collection(
  scopeMetrics: CollectionResult['resourceMetrics']['scopeMetrics'],
): CollectionResult {
  return { resourceMetrics: { resource: NO_RESOURCE, scopeMetrics }, errors: [] };
}

/** A configured identity: a node id as a number (as the cluster collector's), else the text. */
function nodeIdOrName(broker: number | string | undefined): number | string | undefined {
  if (typeof broker === 'string' && /^\d{1,10}$/.test(broker)) return Number(broker);
  return broker;
}

function validate(options: KafkaBrokerJmxCollectorOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      'KafkaBrokerJmxCollector needs options: { endpoints: ["http://host:port/jolokia/", ...] }',
    );
  }
  const { endpoints } = options;
  if (!Array.isArray(endpoints) || endpoints.length === 0) {
    throw new TypeError(
      'KafkaBrokerJmxCollector: endpoints must be a non-empty array of Jolokia URLs',
    );
  }
  for (const endpoint of endpoints as unknown[]) {
    const url = typeof endpoint === 'string' ? endpoint : (endpoint as BrokerJmxEndpoint)?.url;
    if (typeof url !== 'string') {
      throw new TypeError('KafkaBrokerJmxCollector: each endpoint is a URL or { url, broker }');
    }
    const broker =
      typeof endpoint === 'object' ? (endpoint as BrokerJmxEndpoint).broker : undefined;
    if (
      broker !== undefined &&
      typeof broker !== 'number' &&
      (typeof broker !== 'string' || broker === '')
    ) {
      throw new TypeError('KafkaBrokerJmxCollector: an endpoint broker is a node id or a name');
    }
  }
  for (const key of ['snapshotTimeoutMs', 'timeoutMs', 'maxSeries'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
      throw new TypeError(`KafkaBrokerJmxCollector: ${key} must be a positive number`);
    }
  }
  const interval = options.minSnapshotIntervalMs;
  if (interval !== undefined && (!Number.isFinite(interval) || interval < 0)) {
    throw new TypeError('KafkaBrokerJmxCollector: minSnapshotIntervalMs must be a number >= 0');
  }
}
