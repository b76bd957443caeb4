import {
  DEFAULT_SNAPSHOT_TIMEOUT_MS,
  type KafkaClusterCollectorOptions,
} from '../collectors/kafka-cluster-collector';
import {
  BROKERS,
  CLIENT_ID,
  GROUPS,
  INCLUDE_INTERNAL_TOPICS,
  INTERVAL,
  MAX_SERIES,
  TIME_LAG_READS,
  LAG_STATUS_WINDOW,
  MIN_SNAPSHOT_INTERVAL,
  OTLP_ENDPOINT,
  OTLP_PROTOCOL,
  PARTITION_METRICS,
  PROMETHEUS_HOST,
  PROMETHEUS_PORT,
  TOPICS,
} from '../config/collector-settings';
import type { BrokerJmxEndpoints, ConnectEndpoints } from '../config/connect-jmx-options';
import type { Environment } from '../config/env-reader';
import { signalUrl, type OtlpProtocol } from '../config/otlp-endpoint';
import type { Setting } from '../config/setting';
import { CollectArgs, convert } from './collect-args';
import { readCollectConnectJmx } from './collect-connect-jmx';
import { readCollectSecurity } from './collect-security';
import { UsageError } from './usage-error';

/** Where `kafka-otel collect` sends its metrics. */
export type CollectOutput =
  | { kind: 'prometheus'; host: string | undefined; port: number }
  | { kind: 'otlp'; url: string; protocol: OtlpProtocol };

/** A validated `kafka-otel collect` configuration. */
export interface CollectConfig {
  collector: KafkaClusterCollectorOptions;
  /** The Kafka Connect cluster to collect too (`--connect-url`), with the snapshot timing. */
  connect?: ConnectEndpoints & SnapshotTiming;
  /** The brokers' Jolokia agents to collect too (`--broker-jmx-urls`), with the snapshot timing. */
  brokerJmx?: BrokerJmxEndpoints & SnapshotTiming;
  output: CollectOutput;
  intervalMs: number;
}

/**
 * Reads `kafka-otel collect`'s flags and variables (the settings table's) into a configuration,
 * or 'help'. Throws {@link UsageError} naming the flag or variable and what was expected.
 */
export function parseCollectConfig(
  argv: readonly string[],
  env: Environment,
): CollectConfig | 'help' {
  const args = CollectArgs.parse(argv, env);
  if (args.help) return 'help';
  const brokersGiven = args.text(BROKERS);
  if (brokersGiven === undefined) {
    throw new UsageError(`missing --brokers (or ${BROKERS.env}): HOST:PORT[,HOST:PORT]`);
  }
  const read = <T>(setting: Setting<T>): T | undefined => {
    const given = args.text(setting);
    return given ? convert(given, setting.parse) : setting.default;
  };
  const intervalMs = read(INTERVAL)!;
  const output = readOutput(args);
  const timing = snapshotTiming(output, intervalMs, read(MIN_SNAPSHOT_INTERVAL));
  const { connect, brokerJmx } = readCollectConnectJmx(args);
  return {
    collector: {
      brokers: convert(brokersGiven, BROKERS.parse),
      clientId: read(CLIENT_ID),
      ...readCollectSecurity(args),
      topics: read(TOPICS),
      groups: read(GROUPS),
      includeInternalTopics: args.switch(INCLUDE_INTERNAL_TOPICS)?.value ?? false,
      perPartitionMetrics: args.switch(PARTITION_METRICS)?.value ?? true,
      ...timing,
      maxSeries: read(MAX_SERIES),
      timeLagReadLimit: read(TIME_LAG_READS),
      lagStatusWindow: read(LAG_STATUS_WINDOW),
    },
    // Every source of the exporter shares the cluster's timing: one snapshot each per cycle.
    ...(connect ? { connect: { ...connect, ...timing } } : {}),
    ...(brokerJmx ? { brokerJmx: { ...brokerJmx, ...timing } } : {}),
    output,
    intervalMs,
  };
}

/** When a source's snapshots end and for how long one is shared between readers. */
interface SnapshotTiming {
  snapshotTimeoutMs: number;
  minSnapshotIntervalMs: number;
}

/**
 * Prometheus or OTLP. Flags decide over variables: `--otlp-endpoint` alone selects OTLP even
 * when a Prometheus port variable is set. Both given the same way is a mistake, not a choice.
 */
function readOutput(args: CollectArgs): CollectOutput {
  let port = args.text(PROMETHEUS_PORT);
  let endpoint = args.text(OTLP_ENDPOINT);
  if (port && endpoint && port.fromFlag !== endpoint.fromFlag) {
    if (port.fromFlag) endpoint = undefined;
    else port = undefined;
  }
  if (port && endpoint) {
    throw new UsageError(
      `${port.source} and ${endpoint.source} exclude each other: serve Prometheus or push OTLP`,
    );
  }
  const host = args.text(PROMETHEUS_HOST);
  const protocol = args.text(OTLP_PROTOCOL);
  if (endpoint) {
    if (host?.fromFlag)
      throw new UsageError('--prometheus-host needs Prometheus, not --otlp-endpoint');
    const chosen = protocol ? convert(protocol, OTLP_PROTOCOL.parse) : OTLP_PROTOCOL.default!;
    return {
      kind: 'otlp',
      protocol: chosen,
      url: convert(endpoint, (t) => otlpUrl(OTLP_ENDPOINT.parse(t), chosen)),
    };
  }
  if (protocol?.fromFlag) throw new UsageError('--otlp-protocol needs --otlp-endpoint');
  return {
    kind: 'prometheus',
    host: host?.value,
    port: port ? convert(port, PROMETHEUS_PORT.parse) : PROMETHEUS_PORT.default!,
  };
}

/**
 * An endpoint without a path gets `/v1/metrics` over HTTP, as OTEL_EXPORTER_OTLP_ENDPOINT does;
 * one with a path is used as given (a proxy or a non-standard receiver path).
 */
function otlpUrl(url: URL, protocol: OtlpProtocol): string {
  if (protocol === 'grpc' || url.pathname !== '/') return url.href;
  return signalUrl(url.href, 'metrics');
}

/**
 * Snapshot timing from the interval. OTLP: each push takes a fresh snapshot, finished before
 * the export times out. Prometheus: scrapes within one interval share a snapshot, so a
 * Prometheus scraping every few seconds (or several of them) costs the cluster one round per
 * interval. `--min-snapshot-interval` replaces the derived sharing window (0: never share).
 */
function snapshotTiming(
  output: CollectOutput,
  intervalMs: number,
  minSnapshotIntervalMs?: number,
): SnapshotTiming {
  const snapshotTimeoutMs = Math.min(DEFAULT_SNAPSHOT_TIMEOUT_MS, Math.floor(intervalMs * 0.8));
  const timing =
    output.kind === 'otlp'
      ? { snapshotTimeoutMs, minSnapshotIntervalMs: Math.floor(intervalMs / 2) }
      : { snapshotTimeoutMs: DEFAULT_SNAPSHOT_TIMEOUT_MS, minSnapshotIntervalMs: intervalMs };
  return minSnapshotIntervalMs === undefined ? timing : { ...timing, minSnapshotIntervalMs };
}
