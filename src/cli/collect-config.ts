import type { KafkaClusterCollectorOptions } from '../collectors/kafka-cluster-collector';
import type { Environment } from '../config/env-reader';
import { buildKafkaSecurity } from '../config/kafka-security';
import { OTLP_PROTOCOLS, signalUrl, type OtlpProtocol } from '../config/otlp-endpoint';
import { parseBrokerList } from '../config/broker-address';
import {
  parseChoice,
  parseDuration,
  parseHttpUrl,
  parsePort,
  parseRegex,
} from '../config/value-parsers';
import { CollectArgs, convert } from './collect-args';
import { UsageError } from './usage-error';

/** Where `kafka-otel collect` sends its metrics. */
export type CollectOutput =
  | { kind: 'prometheus'; host: string | undefined; port: number }
  | { kind: 'otlp'; url: string; protocol: OtlpProtocol };

/** A validated `kafka-otel collect` configuration. */
export interface CollectConfig {
  collector: Omit<KafkaClusterCollectorOptions, 'meterProvider'>;
  output: CollectOutput;
  intervalMs: number;
}

/** Default collection interval: kafka_exporter's and KMinion's usual scrape period. */
export const DEFAULT_INTERVAL_MS = 15_000;
/** Prometheus's registered port for OpenTelemetry exporters. */
export const DEFAULT_PROMETHEUS_PORT = 9464;
const MIN_INTERVAL_MS = 1_000;
const DEFAULT_PASSWORD_VARIABLE = 'KAFKA_OTEL_SASL_PASSWORD';

/**
 * Reads `kafka-otel collect`'s flags and variables into a configuration, or 'help'. Throws
 * {@link UsageError} naming the flag or variable and what was expected.
 */
export function parseCollectConfig(
  argv: readonly string[],
  env: Environment,
): CollectConfig | 'help' {
  const args = CollectArgs.parse(argv, env);
  if (args.help) return 'help';
  const brokersGiven = args.text('brokers');
  if (brokersGiven === undefined) {
    throw new UsageError('missing --brokers (or KAFKA_OTEL_BROKERS): HOST:PORT[,HOST:PORT]');
  }
  const interval = args.text('interval');
  const intervalMs = interval ? convert(interval, parseInterval) : DEFAULT_INTERVAL_MS;
  const output = readOutput(args);
  const regex = (name: string) => {
    const given = args.text(name);
    return given ? convert(given, parseRegex) : undefined;
  };
  return {
    collector: {
      brokers: convert(brokersGiven, parseBrokerList),
      clientId: args.text('client-id')?.value,
      ...readSecurity(args),
      topics: regex('topics'),
      groups: regex('groups'),
      includeInternalTopics: args.switch('include-internal-topics')?.value ?? false,
      perPartitionMetrics: args.switch('no-partition-metrics')?.value ?? true,
      ...snapshotTiming(output, intervalMs),
    },
    output,
    intervalMs,
  };
}

function parseInterval(text: string): number {
  const ms = parseDuration(text);
  if (ms < MIN_INTERVAL_MS) throw new Error('must be at least 1s');
  return ms;
}

/**
 * Prometheus or OTLP. Flags decide over variables: `--otlp-endpoint` alone selects OTLP even
 * when KAFKA_OTEL_PROMETHEUS_PORT is set. Both given the same way is a mistake, not a choice.
 */
function readOutput(args: CollectArgs): CollectOutput {
  let port = args.text('prometheus-port');
  let endpoint = args.text('otlp-endpoint');
  if (port && endpoint && port.fromFlag !== endpoint.fromFlag) {
    if (port.fromFlag) endpoint = undefined;
    else port = undefined;
  }
  if (port && endpoint) {
    throw new UsageError(
      `${port.source} and ${endpoint.source} exclude each other: serve Prometheus or push OTLP`,
    );
  }
  const host = args.text('prometheus-host');
  const protocol = args.text('otlp-protocol');
  if (endpoint) {
    if (host?.fromFlag)
      throw new UsageError('--prometheus-host needs Prometheus, not --otlp-endpoint');
    const chosen = protocol
      ? convert(protocol, (t) => parseChoice(t, OTLP_PROTOCOLS))
      : 'http/protobuf';
    return { kind: 'otlp', protocol: chosen, url: convert(endpoint, (t) => otlpUrl(t, chosen)) };
  }
  if (protocol?.fromFlag) throw new UsageError('--otlp-protocol needs --otlp-endpoint');
  return {
    kind: 'prometheus',
    host: host?.value,
    port: port ? convert(port, (t) => parsePort(t, { allowZero: true })) : DEFAULT_PROMETHEUS_PORT,
  };
}

/**
 * An endpoint without a path gets `/v1/metrics` over HTTP, as OTEL_EXPORTER_OTLP_ENDPOINT does;
 * one with a path is used as given (a proxy or a non-standard receiver path).
 */
function otlpUrl(text: string, protocol: OtlpProtocol): string {
  const url = parseHttpUrl(text);
  if (protocol === 'grpc' || url.pathname !== '/') return url.href;
  return signalUrl(url.href, 'metrics');
}

function readSecurity(args: CollectArgs) {
  const passwordVariable = args.text('sasl-password-env')?.value ?? DEFAULT_PASSWORD_VARIABLE;
  const mechanism = args.text('sasl-mechanism');
  try {
    return buildKafkaSecurity(
      {
        saslMechanism: mechanism?.value,
        saslUsername: args.text('sasl-username')?.value,
        // Read only for a mechanism: a password left in the environment is not a mistake.
        saslPassword: mechanism ? args.variable(passwordVariable) : undefined,
        tls: args.switch('tls')?.value,
        tlsCaFile: args.text('tls-ca')?.value,
      },
      {
        saslMechanism: mechanism?.source ?? '--sasl-mechanism',
        saslUsername: args.text('sasl-username')?.source ?? '--sasl-username',
        saslPassword: `a password in ${passwordVariable} (see --sasl-password-env)`,
      },
    );
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Snapshot timing from the interval. OTLP: each push takes a fresh snapshot, finished before
 * the export times out. Prometheus: scrapes within one interval share a snapshot, so a
 * Prometheus scraping every few seconds (or several of them) costs the cluster one round per
 * interval.
 */
function snapshotTiming(output: CollectOutput, intervalMs: number) {
  const snapshotTimeoutMs = Math.min(10_000, Math.floor(intervalMs * 0.8));
  return output.kind === 'otlp'
    ? { snapshotTimeoutMs, minSnapshotIntervalMs: Math.floor(intervalMs / 2) }
    : { snapshotTimeoutMs: 10_000, minSnapshotIntervalMs: intervalMs };
}
