import { diag } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { CollectionResult, MetricProducer } from '@opentelemetry/sdk-metrics';
import type { ConnectionOptions } from 'node:tls';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../version';
import { deepFreeze } from '../deep-freeze';
import { SnapshotMetrics } from '../export/snapshot-metrics';
import { HttpJsonClient, HttpJsonError, type HttpEndpointOptions } from '../http/http-json-client';
import type { MBeanQueryFailure } from '../jmx/jolokia-client';
import { nameFilter, type NameFilter, type NameFilterSpec } from '../name-filter';
import { SelfMetrics } from '../collector-self-metrics';
import { StoppableSnapshots } from '../stoppable-snapshots';
import { ConnectJmxReader } from './connect-jmx-reader';
import { CONNECT_METRIC_FAMILIES } from './connect-metric-families';
import { ConnectReplyError, parseConnectors, type SkippedConnector } from './connect-rest-reply';
import { CONNECT_SELF_METRICS } from './connect-self-metrics';
import type {
  ConnectJmxReading,
  ConnectScrapeError,
  ConnectScrapePhase,
  ConnectSnapshot,
  ConnectorStatus,
} from './connect-snapshot';
import { failureLine, recordFailureSpan } from './failure-report';
import { RestartTracker } from './restart-tracker';

/** Configuration of a {@link KafkaConnectCollector}. */
export interface KafkaConnectCollectorOptions {
  /** The Connect REST API, `http://host:8083` or `https://...`. Any worker of the cluster serves. */
  url: string;
  /** HTTP Basic authentication of the REST API; both or neither. */
  username?: string;
  password?: string;
  /** TLS for an `https://` URL: `true` (system CAs) or Node's options (ca, cert, key, ...). */
  tls?: boolean | ConnectionOptions;
  /**
   * A worker's Jolokia agent (`http://host:8778/jolokia/`), for per-task throughput, errors and
   * dead-letter-queue metrics from JMX. Optional: without it only the REST metrics are exported.
   * One worker's agent reports that worker's tasks only.
   */
  jolokiaUrl?: string;
  jolokiaUsername?: string;
  jolokiaPassword?: string;
  jolokiaTls?: boolean | ConnectionOptions;
  /** Time for one HTTP exchange in ms (default: half the snapshot deadline, 4000). */
  requestTimeoutMs?: number;
  /** Deadline of one snapshot in ms (default 8000); keep it below the metric reader's timeout. */
  snapshotTimeoutMs?: number;
  /** A snapshot younger than this (ms) is reused by readers that collect soon after (default 5000). */
  minSnapshotIntervalMs?: number;
  /** Connectors to report: a regex (whole-name match) or a list. Default: all. */
  connectors?: NameFilterSpec;
  /** False inside an application: no keep-alive connection holds the process open. Default true. */
  keepProcessAlive?: boolean;
  /**
   * Where the collector's few lines go: one when the REST API (or the Jolokia agent) becomes
   * unreachable (or the agent starts refusing queries) and one when it recovers, one per
   * connector or task newly FAILED (the head of its trace), one when malformed connector
   * entries appear. Default: the OpenTelemetry diag logger.
   */
  warn?: (message: string) => void;
}

/**
 * Kafka Connect's connectors and tasks as an OpenTelemetry MetricProducer: every collection of
 * a reader it is given to exports one snapshot of the REST API (one
 * `GET /connectors?expand=status&expand=info`), plus, with `jolokiaUrl`, one bulk JMX read of
 * the worker's per-task metrics. Readers collecting together share a snapshot. What the
 * snapshot lacks is not exported: a deleted connector's series disappear from the next export.
 *
 * The REST API being down never throws: `kafka.connect.up` goes to 0 with no connector series
 * (down never reads healthy), one warning is logged, and the next collection tries again.
 * A connector or task newly FAILED gets one warning line and a `kafka.connect.task.failed`
 * (or `.connector.failed`) span whose `exception` event carries the trace. Those lines and
 * spans run the application's code (the `warn` sink, the diag logger, the global tracer's span
 * processors); whatever that code throws costs the line or span, never the snapshot.
 */
export class KafkaConnectCollector implements MetricProducer {
  private readonly rest: HttpJsonClient;
  private readonly jmx: ConnectJmxReader | undefined;
  private readonly include: NameFilter;
  private readonly snapshots: StoppableSnapshots<ConnectSnapshot>;
  private readonly renderer = new SnapshotMetrics(CONNECT_METRIC_FAMILIES, {
    perPartition: true,
    maxSeries: Number.MAX_SAFE_INTEGER,
  });
  private readonly selfMetrics = new SelfMetrics(CONNECT_SELF_METRICS);
  private readonly restarts = new RestartTracker();
  /** Sink connectors by consumer group, as of the current snapshot (empty while REST is down). */
  private sinkGroups = new Map<string, string>();
  private readonly healthy: Partial<Record<ConnectScrapePhase, boolean>> = {};
  /** Skipped connector entries of the previous snapshot, to log only new ones. */
  private skippedNames = new Set<string>();
  /** Code of the application's that threw while reporting; logged once. */
  private reportingFailed = false;

  constructor(private readonly options: KafkaConnectCollectorOptions) {
    validate(options);
    const snapshotTimeoutMs = options.snapshotTimeoutMs ?? DEFAULT_SNAPSHOT_TIMEOUT_MS;
    const timeoutMs = options.requestTimeoutMs ?? Math.floor(snapshotTimeoutMs / 2);
    const keepAlive = options.keepProcessAlive !== false;
    this.include = nameFilter('KafkaConnectCollector: connectors', options.connectors);
    this.rest = endpoint('url', {
      url: options.url,
      username: options.username,
      password: options.password,
      tls: options.tls,
      timeoutMs,
      keepAlive,
    });
    if (options.jolokiaUrl !== undefined) {
      const jolokia: HttpEndpointOptions = {
        url: options.jolokiaUrl,
        username: options.jolokiaUsername,
        password: options.jolokiaPassword,
        tls: options.jolokiaTls,
        timeoutMs,
        keepAlive,
      };
      endpoint('jolokiaUrl', jolokia).close(); // validates like the REST endpoint
      this.jmx = new ConnectJmxReader(jolokia, this.include);
    }
    this.snapshots = new StoppableSnapshots((signal) => this.takeSnapshot(signal), {
      snapshotTimeoutMs: options.snapshotTimeoutMs ?? DEFAULT_SNAPSHOT_TIMEOUT_MS,
      minSnapshotIntervalMs: options.minSnapshotIntervalMs ?? 5_000,
    });
  }

  /** Starts collecting: readers given this collector get its metrics from now on. Idempotent. */
  start(): this {
    this.snapshots.start();
    return this;
  }

  /**
   * Stops collecting (readers then get nothing from it) and closes the connections. A snapshot
   * under way is cut short and dropped: not logged (its closed connections are no outage),
   * not counted, and never served after a later start(), which begins with a fresh one.
   */
  stop(): Promise<void> {
    this.snapshots.stop();
    this.rest.close();
    this.jmx?.close();
    return Promise.resolve();
  }

  /** MetricProducer: the current cycle's snapshot as metrics. Never rejects. */
  async collect(): Promise<CollectionResult> {
    const snapshot = await this.snapshots.forCollection();
    if (snapshot === undefined) return collection([]);
    const { metrics } = this.renderer.render(snapshot);
    return collection([
      {
        scope: { name: PACKAGE_NAME, version: PACKAGE_VERSION },
        metrics: [...metrics, ...this.selfMetrics.metrics()],
      },
    ]);
  }

  /** The snapshot of the current cycle (the one the export reads). */
  snapshot(): Promise<ConnectSnapshot> {
    return this.snapshots.current();
  }

  /**
   * The sink connector consuming as `groupId` (`connect-<name>`, or its
   * `consumer.override.group.id`), as of the latest snapshot; undefined for any other group,
   * and for every group while the REST API does not answer: what the current snapshot does not
   * show is not exported, so a sink's lag series stop with the outage and return with Connect.
   * For labelling a sink's consumer lag with its connector.
   */
  connectorOfGroup(groupId: string): string | undefined {
    return this.sinkGroups.get(groupId);
  }

  private async takeSnapshot(signal: AbortSignal): Promise<ConnectSnapshot> {
    const generation = this.snapshots.generation;
    const takenAt = Date.now();
    const started = performance.now();
    const errors: ConnectScrapeError[] = [];
    const [rest, jmx] = await Promise.all([
      this.readRest(signal).catch((error: unknown) => {
        errors.push(this.scrapeError('rest', error));
        return undefined;
      }),
      this.jmx?.read(signal).then(
        ({ reading, failures }) => {
          for (const failure of failures) errors.push(queryFailed(failure));
          return reading;
        },
        (error: unknown): ConnectJmxReading => {
          errors.push(this.scrapeError('jmx', error));
          return NO_JMX;
        },
      ),
    ]);
    const durationSeconds = (performance.now() - started) / 1000;
    // stop() closed the connections under it: nothing here is about Connect. Nothing is
    // logged, counted or remembered, and no reader gets it (collect() checks the same).
    if (this.snapshots.stoppedSince(generation))
      return deepFreeze(interrupted(takenAt, durationSeconds));
    let snapshot: ConnectSnapshot;
    if (rest) {
      const { restarts, newFailures } = this.restarts.observe(rest.connectors);
      this.sinkGroups = sinkGroups(rest.connectors);
      for (const failure of newFailures) {
        this.log('warn', failureLine(failure));
        this.report('recording the span of a FAILED connector or task', () =>
          recordFailureSpan(failure),
        );
      }
      this.logSkippedConnectors(rest.skipped);
      snapshot = {
        takenAt,
        durationSeconds,
        up: true,
        connectors: rest.connectors,
        skippedConnectors: rest.skipped,
        restarts,
        ...(jmx ? { jmx } : {}),
        errors,
      };
    } else {
      // What the current snapshot does not show is not exported: no sink lag labelled with a
      // connector while Connect cannot say which sinks exist.
      this.sinkGroups = new Map();
      snapshot = {
        takenAt,
        durationSeconds,
        up: false,
        connectors: [],
        skippedConnectors: [],
        restarts: NO_RESTARTS,
        ...(jmx ? { jmx } : {}),
        errors,
      };
    }
    deepFreeze(snapshot);
    this.selfMetrics.snapshotTaken(snapshot);
    this.logHealthChange('rest', this.rest.endpoint, snapshot);
    if (this.jmx) this.logHealthChange('jmx', this.jmx.endpoint, snapshot);
    return snapshot;
  }

  private async readRest(signal: AbortSignal) {
    const connectors = await this.rest.getOk('/connectors?expand=status&expand=info', signal);
    return parseConnectors(connectors, this.include);
  }

  /**
   * One line when an endpoint starts failing (naming why), one when it answers again. For the
   * Jolokia agent, refusing or failing a query is failing, as `kafka.connect.jmx.up` says.
   */
  private logHealthChange(phase: ConnectScrapePhase, where: string, snapshot: ConnectSnapshot) {
    const failed = snapshot.errors.filter((e) => e.phase === phase);
    const healthy = failed.length === 0;
    const before = this.healthy[phase];
    if (before === healthy) return;
    this.healthy[phase] = healthy;
    const what = phase === 'rest' ? 'REST API' : 'Jolokia agent';
    const metric = phase === 'rest' ? 'kafka.connect.up' : 'kafka.connect.jmx.up';
    const [first] = failed;
    if (first?.errorType === 'query_failed') {
      this.log(
        'warn',
        `Kafka Connect ${what} ${where} refused or failed ${failed.length} JMX ` +
          `${failed.length === 1 ? 'query' : 'queries'} (first: ${first.message}); ${metric}=0, ` +
          'what it answered is still exported',
      );
    } else if (first) {
      this.log(
        'warn',
        `Kafka Connect ${what} ${where} failed (${first.errorType}: ${first.message}); ` +
          `${metric}=0, retrying every collection`,
      );
    } else if (before !== undefined) {
      this.log('info', `Kafka Connect ${what} ${where} answers again`);
    }
  }

  /** One line when malformed connector entries appear (not again while they stay). */
  private logSkippedConnectors(skipped: readonly SkippedConnector[]): void {
    const names = new Set(skipped.map(({ name }) => name));
    const added = skipped.filter(({ name }) => !this.skippedNames.has(name));
    this.skippedNames = names;
    const [first] = added;
    if (!first) return;
    const others = added.length > 1 ? ` and ${added.length - 1} more` : '';
    this.log(
      'warn',
      `Kafka Connect REST API ${this.rest.endpoint}: left out malformed connector entry ` +
        `"${first.name}" (${first.reason})${others}; kafka.connect.skipped_connectors=${skipped.length}`,
    );
  }

  /** A failed request as a scrape error; the message never holds credentials (see HttpJsonClient). */
  private scrapeError(phase: ConnectScrapePhase, error: unknown): ConnectScrapeError {
    if (error instanceof HttpJsonError) {
      return { phase, errorType: error.reason, message: error.detail };
    }
    if (error instanceof ConnectReplyError) {
      return { phase, errorType: 'malformed_reply', message: error.message };
    }
    // A bug of ours costs one snapshot, never the reader's collection.
    this.report('logging an internal error', () =>
      diag.error('kafka-otel: Connect snapshot failed', error),
    );
    return { phase, errorType: 'internal', message: String(error) };
  }

  /** One line to the `warn` option's sink, or to the diag logger. Never throws. */
  private log(level: 'warn' | 'info', message: string): void {
    const sink = this.options.warn;
    this.report(sink ? 'the warn option' : 'the diag logger', () =>
      sink ? sink(message) : diag[level](`kafka-otel: ${message}`),
    );
  }

  /**
   * Runs the application's code on a snapshot's behalf (the `warn` sink, the diag logger, the
   * global tracer's span processors). What it throws costs that line or span, never the
   * snapshot: a throwing span processor would otherwise fail every collection that sees a
   * failed task. The first such error is logged, once, through the diag logger.
   */
  private report(what: string, action: () => void): void {
    try {
      action();
    } catch (error) {
      if (this.reportingFailed) return;
      this.reportingFailed = true;
      try {
        diag.warn(
          `kafka-otel: Kafka Connect collector: ${what} threw (${String(error)}); ignored, ` +
            'the snapshot is unaffected; later errors of the kind are not logged',
        );
      } catch {
        // The diag logger is what throws: nowhere left to say it.
      }
    }
  }
}

/** See `snapshotTimeoutMs`. */
const DEFAULT_SNAPSHOT_TIMEOUT_MS = 8_000;
const NO_RESOURCE = resourceFromAttributes({});
const NO_RESTARTS = Object.freeze({ connectors: new Map(), tasks: new Map() });
const NO_JMX: ConnectJmxReading = Object.freeze({
  up: false,
  sourceTasks: [],
  sinkTasks: [],
  connectorTasks: [],
  taskErrors: [],
  worker: {},
});

/** One query the Jolokia agent refused or failed (counted; the rest of the read is exported). */
function queryFailed({ mbean, status, errorType, message }: MBeanQueryFailure): ConnectScrapeError {
  return {
    phase: 'jmx',
    errorType: 'query_failed',
    message: `${mbean}: ${status === undefined ? '' : `status ${status}, `}${errorType}: ${message}`,
  };
}

/** What an interrupted snapshot is: nothing, never served. */
function interrupted(takenAt: number, durationSeconds: number): ConnectSnapshot {
  return {
    takenAt,
    durationSeconds,
    up: false,
    connectors: [],
    skippedConnectors: [],
    restarts: NO_RESTARTS,
    errors: [],
  };
}

function collection(
  scopeMetrics: CollectionResult['resourceMetrics']['scopeMetrics'],
): CollectionResult {
  return { resourceMetrics: { resource: NO_RESOURCE, scopeMetrics }, errors: [] };
}

function sinkGroups(connectors: readonly ConnectorStatus[]): Map<string, string> {
  const groups = new Map<string, string>();
  for (const { name, consumerGroup } of connectors) {
    if (consumerGroup !== undefined) groups.set(consumerGroup, name);
  }
  return groups;
}

function endpoint(option: string, options: HttpEndpointOptions): HttpJsonClient {
  try {
    return new HttpJsonClient(options);
  } catch (error) {
    // The client's messages name the endpoint without credentials.
    throw new TypeError(`KafkaConnectCollector: ${option}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function validate(options: KafkaConnectCollectorOptions) {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('KafkaConnectCollector needs options: { url: "http://host:8083" }');
  }
  if (typeof options.url !== 'string' || options.url.length === 0) {
    throw new TypeError(
      'KafkaConnectCollector: url must be the Connect REST URL, http(s)://host:port',
    );
  }
  if (options.jolokiaUrl !== undefined && typeof options.jolokiaUrl !== 'string') {
    throw new TypeError('KafkaConnectCollector: jolokiaUrl must be a URL string');
  }
  for (const key of ['username', 'password', 'jolokiaUsername', 'jolokiaPassword'] as const) {
    const value = options[key];
    // Never the value in the message: it may be a secret.
    if (value !== undefined && typeof value !== 'string') {
      throw new TypeError(`KafkaConnectCollector: ${key} must be a string`);
    }
  }
  for (const key of ['tls', 'jolokiaTls'] as const) {
    const value = options[key];
    if (
      value !== undefined &&
      typeof value !== 'boolean' &&
      (typeof value !== 'object' || value === null)
    ) {
      throw new TypeError(`KafkaConnectCollector: ${key} must be true, false or TLS options`);
    }
  }
  for (const key of ['requestTimeoutMs', 'snapshotTimeoutMs'] as const) {
    const value = options[key];
    if (
      value !== undefined &&
      (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    ) {
      throw new TypeError(`KafkaConnectCollector: ${key} must be a positive number`);
    }
  }
  const interval = options.minSnapshotIntervalMs;
  if (
    interval !== undefined &&
    (typeof interval !== 'number' || !Number.isFinite(interval) || interval < 0)
  ) {
    throw new TypeError('KafkaConnectCollector: minSnapshotIntervalMs must be a number >= 0');
  }
  if (options.warn !== undefined && typeof options.warn !== 'function') {
    throw new TypeError('KafkaConnectCollector: warn must be a function');
  }
}
