/**
 * The flags of `kafka-otel collect`, each with its environment variable: one table drives the
 * parser, the --help text and the README, so they cannot drift apart.
 */

/** One flag: `value` flags take an argument (`--flag v` or `--flag=v`), `switch` flags do not. */
export interface CollectFlag {
  /** Without the leading dashes. */
  readonly name: string;
  readonly kind: 'value' | 'switch';
  /** Placeholder of the argument in --help. */
  readonly arg?: string;
  /** The variable that supplies the value when the flag is absent (flags win). */
  readonly env: string;
  /** For switches: the value the switch sets (`--no-partition-metrics` sets false). */
  readonly sets?: boolean;
  readonly help: string;
}

/** Every flag of `kafka-otel collect` except --help. */
export const COLLECT_FLAGS: readonly CollectFlag[] = [
  {
    name: 'brokers',
    kind: 'value',
    arg: 'HOST:PORT[,HOST:PORT]',
    env: 'KAFKA_OTEL_BROKERS',
    help: 'Seed brokers of the cluster (required).',
  },
  {
    name: 'prometheus-port',
    kind: 'value',
    arg: 'PORT',
    env: 'KAFKA_OTEL_PROMETHEUS_PORT',
    help: 'Serve /metrics for Prometheus on this port (default 9464; 0 picks a free port).',
  },
  {
    name: 'prometheus-host',
    kind: 'value',
    arg: 'HOST',
    env: 'KAFKA_OTEL_PROMETHEUS_HOST',
    help: 'Interface of the Prometheus endpoint (default: all interfaces).',
  },
  {
    name: 'otlp-endpoint',
    kind: 'value',
    arg: 'URL',
    env: 'KAFKA_OTEL_OTLP_ENDPOINT',
    help: 'Push OTLP to this URL instead of serving Prometheus (e.g. http://collector:4318).',
  },
  {
    name: 'otlp-protocol',
    kind: 'value',
    arg: 'PROTOCOL',
    env: 'KAFKA_OTEL_OTLP_PROTOCOL',
    help: 'http/protobuf (default), http/json or grpc.',
  },
  {
    name: 'interval',
    kind: 'value',
    arg: 'DURATION',
    env: 'KAFKA_OTEL_INTERVAL',
    help: 'Collection interval: OTLP push period, or at most one snapshot per interval however often Prometheus scrapes (default 15s).',
  },
  {
    name: 'topics',
    kind: 'value',
    arg: 'REGEX',
    env: 'KAFKA_OTEL_TOPICS',
    help: 'Only topics whose whole name matches (default: all).',
  },
  {
    name: 'groups',
    kind: 'value',
    arg: 'REGEX',
    env: 'KAFKA_OTEL_GROUPS',
    help: 'Only consumer groups whose whole name matches (default: all).',
  },
  {
    name: 'include-internal-topics',
    kind: 'switch',
    env: 'KAFKA_OTEL_INCLUDE_INTERNAL_TOPICS',
    sets: true,
    help: 'Also report __consumer_offsets and __transaction_state.',
  },
  {
    name: 'no-partition-metrics',
    kind: 'switch',
    env: 'KAFKA_OTEL_PARTITION_METRICS',
    sets: false,
    help: 'Drop per-partition series; keep topic, broker and group aggregates (variable: false).',
  },
  {
    name: 'client-id',
    kind: 'value',
    arg: 'ID',
    env: 'KAFKA_OTEL_CLIENT_ID',
    help: 'Kafka client id of the exporter (default kafka-otel-collector).',
  },
  {
    name: 'sasl-mechanism',
    kind: 'value',
    arg: 'MECHANISM',
    env: 'KAFKA_OTEL_SASL_MECHANISM',
    help: 'plain, scram-sha-256 or scram-sha-512.',
  },
  {
    name: 'sasl-username',
    kind: 'value',
    arg: 'USER',
    env: 'KAFKA_OTEL_SASL_USERNAME',
    help: 'SASL username.',
  },
  {
    name: 'sasl-password-env',
    kind: 'value',
    arg: 'VAR',
    env: 'KAFKA_OTEL_SASL_PASSWORD_ENV',
    help: 'Name of the variable holding the SASL password (default KAFKA_OTEL_SASL_PASSWORD); never on the command line.',
  },
  {
    name: 'tls',
    kind: 'switch',
    env: 'KAFKA_OTEL_TLS',
    sets: true,
    help: 'Connect with TLS.',
  },
  {
    name: 'tls-ca',
    kind: 'value',
    arg: 'FILE',
    env: 'KAFKA_OTEL_TLS_CA',
    help: 'PEM file of the CA that signed the broker certificates (implies --tls).',
  },
];

/** Flags by name. */
export const FLAGS_BY_NAME: ReadonlyMap<string, CollectFlag> = new Map(
  COLLECT_FLAGS.map((flag) => [flag.name, flag]),
);
