/**
 * The settings of the cluster collector: the one table behind `register` (its in-process
 * collector), `kafka-otel collect`, its `--help` and the settings list of docs/cli.md.
 *
 * Spelling: every variable is `KAFKA_OTEL_COLLECT_<NAME>`, like the command it configures and
 * apart from the instrumentation's `KAFKA_OTEL_*` switches that an application's environment
 * also holds. The CLI's first spelling, `KAFKA_OTEL_<NAME>`, stays readable as an alias; when
 * both are set the canonical one wins, and a flag wins over both.
 */
import { parseBrokerList } from './broker-address';
import { CONNECT_JMX_SETTINGS } from './connect-jmx-settings';
import { OTLP_PROTOCOLS, type OtlpProtocol } from './otlp-endpoint';
import type { Setting } from './setting';
import {
  InvalidValue,
  parseBoolean,
  parseChoice,
  parseDuration,
  parseDurationOrZero,
  parseHttpUrl,
  parsePort,
  parseNonNegativeInteger,
  parsePositiveInteger,
  parseRegex,
} from './value-parsers';

const text = (value: string) => value;

export const BROKERS: Setting<string[]> = {
  name: 'brokers',
  env: 'KAFKA_OTEL_COLLECT_BROKERS',
  aliases: ['KAFKA_OTEL_BROKERS'],
  flag: 'brokers',
  arg: 'HOST:PORT[,HOST:PORT]',
  parse: parseBrokerList,
  defaultText: '',
  help: 'Seed brokers of the cluster (required; an IPv6 address in brackets, as in `[::1]:9092`).',
  register: true,
};

export const PROMETHEUS_PORT: Setting<number> = {
  name: 'prometheusPort',
  env: 'KAFKA_OTEL_COLLECT_PROMETHEUS_PORT',
  aliases: ['KAFKA_OTEL_PROMETHEUS_PORT'],
  flag: 'prometheus-port',
  arg: 'PORT',
  parse: (value) => parsePort(value, { allowZero: true }),
  // Prometheus's registered port for OpenTelemetry exporters.
  default: 9464,
  defaultText: '9464',
  help: 'Serve `/metrics` for Prometheus on this port; `0` picks a free port (printed on stderr).',
  register: false,
};

export const PROMETHEUS_HOST: Setting<string> = {
  name: 'prometheusHost',
  env: 'KAFKA_OTEL_COLLECT_PROMETHEUS_HOST',
  aliases: ['KAFKA_OTEL_PROMETHEUS_HOST'],
  flag: 'prometheus-host',
  arg: 'HOST',
  parse: text,
  defaultText: 'all interfaces',
  help: 'Interface of the Prometheus endpoint.',
  register: false,
};

export const OTLP_ENDPOINT: Setting<URL> = {
  name: 'otlpEndpoint',
  env: 'KAFKA_OTEL_COLLECT_OTLP_ENDPOINT',
  aliases: ['KAFKA_OTEL_OTLP_ENDPOINT'],
  flag: 'otlp-endpoint',
  arg: 'URL',
  parse: parseHttpUrl,
  defaultText: '',
  help: 'Push OTLP to this URL instead of serving Prometheus (e.g. `http://collector:4318`); a URL without a path gets `/v1/metrics` over HTTP.',
  register: false,
};

export const OTLP_PROTOCOL: Setting<OtlpProtocol> = {
  name: 'otlpProtocol',
  env: 'KAFKA_OTEL_COLLECT_OTLP_PROTOCOL',
  aliases: ['KAFKA_OTEL_OTLP_PROTOCOL'],
  flag: 'otlp-protocol',
  arg: 'PROTOCOL',
  parse: (value) => parseChoice(value, OTLP_PROTOCOLS),
  default: 'http/protobuf',
  defaultText: 'http/protobuf',
  help: '`http/protobuf`, `http/json` or `grpc`.',
  register: false,
};

const MIN_INTERVAL_MS = 1_000;

export const INTERVAL: Setting<number> = {
  name: 'interval',
  env: 'KAFKA_OTEL_COLLECT_INTERVAL',
  aliases: ['KAFKA_OTEL_INTERVAL'],
  flag: 'interval',
  arg: 'DURATION',
  parse: (value) => {
    const ms = parseDuration(value);
    if (ms < MIN_INTERVAL_MS) throw new InvalidValue('must be at least 1s');
    return ms;
  },
  // kafka_exporter's and KMinion's usual scrape period.
  default: 15_000,
  defaultText: '15s',
  help: 'Collection interval, at least `1s`: the OTLP push period, or at most one snapshot per interval however often Prometheus scrapes.',
  register: false,
};

export const MIN_SNAPSHOT_INTERVAL: Setting<number> = {
  name: 'minSnapshotIntervalMs',
  env: 'KAFKA_OTEL_COLLECT_MIN_SNAPSHOT_INTERVAL',
  aliases: [],
  flag: 'min-snapshot-interval',
  arg: 'DURATION',
  parse: parseDurationOrZero,
  defaultText: 'the interval (Prometheus), half of it (OTLP); 5s in `register`',
  help: 'Collections within this time of a finished snapshot reuse it; `0` never reuses one (collections at the same moment still share the snapshot being taken).',
  register: true,
};

export const TOPICS: Setting<RegExp> = {
  name: 'topics',
  env: 'KAFKA_OTEL_COLLECT_TOPICS',
  aliases: ['KAFKA_OTEL_TOPICS'],
  flag: 'topics',
  arg: 'REGEX',
  parse: parseRegex,
  defaultText: 'all but internal ones (names starting with `__`)',
  help: 'Only topics whose whole name matches.',
  register: true,
};

export const GROUPS: Setting<RegExp> = {
  name: 'groups',
  env: 'KAFKA_OTEL_COLLECT_GROUPS',
  aliases: ['KAFKA_OTEL_GROUPS'],
  flag: 'groups',
  arg: 'REGEX',
  parse: parseRegex,
  defaultText: 'all',
  help: 'Only consumer groups whose whole name matches.',
  register: true,
};

export const INCLUDE_INTERNAL_TOPICS: Setting<boolean> = {
  name: 'includeInternalTopics',
  env: 'KAFKA_OTEL_COLLECT_INCLUDE_INTERNAL_TOPICS',
  aliases: ['KAFKA_OTEL_INCLUDE_INTERNAL_TOPICS'],
  flag: 'include-internal-topics',
  sets: true,
  parse: parseBoolean,
  default: false,
  defaultText: 'false',
  help: 'Also report internal topics: `__consumer_offsets`, `__transaction_state` and every topic whose name starts with `__`.',
  register: true,
};

export const PARTITION_METRICS: Setting<boolean> = {
  name: 'perPartitionMetrics',
  env: 'KAFKA_OTEL_COLLECT_PARTITION_METRICS',
  aliases: ['KAFKA_OTEL_PARTITION_METRICS'],
  flag: 'no-partition-metrics',
  sets: false,
  parse: parseBoolean,
  default: true,
  defaultText: 'true',
  help: 'Per-partition series; the flag (or the variable at `false`) drops them, keeping topic, broker and group aggregates.',
  register: true,
};

export const MAX_SERIES: Setting<number> = {
  name: 'maxSeries',
  env: 'KAFKA_OTEL_COLLECT_MAX_SERIES',
  aliases: [],
  flag: 'max-series',
  arg: 'N',
  parse: parsePositiveInteger,
  // The collector applies it: options without maxSeries get the same limit.
  defaultText: '500000',
  help: 'Most series one snapshot exports; past it the rest are dropped, counted in `kafka.collector.series.dropped` and warned about once.',
  register: true,
};

export const TIME_LAG_READS: Setting<number> = {
  name: 'timeLagReadLimit',
  env: 'KAFKA_OTEL_COLLECT_TIME_LAG_READS',
  aliases: [],
  flag: 'time-lag-reads',
  arg: 'N',
  parse: parseNonNegativeInteger,
  // The collector applies it: options without timeLagReadLimit get the same limit.
  defaultText: '50000',
  help: 'Most committed offsets whose message time one snapshot reads from the brokers for time lag (offsets read before are not read again); past it time lag is interpolated. 0: always interpolate.',
  register: true,
};

/** A window of at least two snapshots: a status compares the first and the last. */
function parseLagStatusWindow(text: string): number {
  const n = parsePositiveInteger(text);
  if (n >= 2) return n;
  throw new InvalidValue('expected a whole number of snapshots, 2 or more');
}

export const LAG_STATUS_WINDOW: Setting<number> = {
  name: 'lagStatusWindow',
  env: 'KAFKA_OTEL_COLLECT_LAG_STATUS_WINDOW',
  aliases: [],
  flag: 'lag-status-window',
  arg: 'N',
  parse: parseLagStatusWindow,
  // The collector applies it: options without lagStatusWindow get the same window.
  defaultText: '10',
  help: 'Snapshots the consumer-group lag status (`kafka.consumer_group.status`) looks at: smaller moves to STALL or STOP sooner, larger rides out slow consumers.',
  register: true,
};

export const CLIENT_ID: Setting<string> = {
  name: 'clientId',
  env: 'KAFKA_OTEL_COLLECT_CLIENT_ID',
  aliases: ['KAFKA_OTEL_CLIENT_ID'],
  flag: 'client-id',
  arg: 'ID',
  parse: text,
  defaultText: 'kafka-otel-collector',
  help: "Kafka client id of the collector's connections.",
  register: true,
};

export const SASL_MECHANISM: Setting<string> = {
  name: 'saslMechanism',
  env: 'KAFKA_OTEL_COLLECT_SASL_MECHANISM',
  aliases: ['KAFKA_OTEL_SASL_MECHANISM'],
  flag: 'sasl-mechanism',
  arg: 'MECHANISM',
  // Checked together with the credentials it needs (buildKafkaSecurity), whose messages say
  // which one is missing or does not belong.
  parse: text,
  defaultText: 'none',
  help: '`plain`, `scram-sha-256` or `scram-sha-512`, which need a username and a password; or `oauthbearer`, which needs a token provider.',
  register: true,
};

export const SASL_USERNAME: Setting<string> = {
  name: 'saslUsername',
  env: 'KAFKA_OTEL_COLLECT_SASL_USERNAME',
  aliases: ['KAFKA_OTEL_SASL_USERNAME'],
  flag: 'sasl-username',
  arg: 'USER',
  parse: text,
  defaultText: '',
  help: 'SASL username.',
  register: true,
};

export const SASL_PASSWORD: Setting<string> = {
  name: 'saslPassword',
  env: 'KAFKA_OTEL_COLLECT_SASL_PASSWORD',
  aliases: ['KAFKA_OTEL_SASL_PASSWORD'],
  // No flag: a password on the command line is visible to every user of the machine.
  parse: text,
  defaultText: '',
  help: 'SASL password; never a flag (`--sasl-password-env` names another variable).',
  register: true,
};

export const SASL_PASSWORD_ENV: Setting<string> = {
  name: 'saslPasswordEnv',
  env: 'KAFKA_OTEL_COLLECT_SASL_PASSWORD_ENV',
  aliases: ['KAFKA_OTEL_SASL_PASSWORD_ENV'],
  flag: 'sasl-password-env',
  arg: 'VAR',
  parse: text,
  defaultText: '',
  help: 'Name of the variable holding the SASL password, instead of `KAFKA_OTEL_COLLECT_SASL_PASSWORD`.',
  register: false,
};

export const SASL_OAUTHBEARER_PROVIDER: Setting<string> = {
  name: 'saslOauthbearerProvider',
  env: 'KAFKA_OTEL_COLLECT_SASL_OAUTHBEARER_PROVIDER',
  aliases: ['KAFKA_OTEL_SASL_OAUTHBEARER_PROVIDER'],
  flag: 'sasl-oauthbearer-provider',
  arg: 'MODULE',
  // Loaded by buildKafkaSecurity, once the mechanism is known to be oauthbearer.
  parse: text,
  defaultText: '',
  help: 'For `oauthbearer`: path of a JavaScript module (CommonJS, or ESM on Node.js 20.19+/22.12+) whose default or `oauthBearerProvider` export is an async function resolving to an object whose `value` is the token; called at every authentication (so it caches the token), loaded once at startup.',
  register: true,
};

export const TLS: Setting<boolean> = {
  name: 'tls',
  env: 'KAFKA_OTEL_COLLECT_TLS',
  aliases: ['KAFKA_OTEL_TLS'],
  flag: 'tls',
  sets: true,
  parse: parseBoolean,
  default: false,
  defaultText: 'false',
  help: 'Connect with TLS.',
  register: true,
};

export const TLS_CA: Setting<string> = {
  name: 'tlsCaFile',
  env: 'KAFKA_OTEL_COLLECT_TLS_CA',
  aliases: ['KAFKA_OTEL_TLS_CA'],
  flag: 'tls-ca',
  arg: 'FILE',
  parse: text,
  defaultText: '',
  help: 'PEM file of the CA that signed the broker certificates (implies TLS).',
  register: true,
};

export const TLS_CERT: Setting<string> = {
  name: 'tlsCertFile',
  env: 'KAFKA_OTEL_COLLECT_TLS_CERT',
  aliases: ['KAFKA_OTEL_TLS_CERT'],
  flag: 'tls-cert',
  arg: 'FILE',
  parse: text,
  defaultText: '',
  help: 'PEM file of the client certificate (or chain) for mutual TLS; needs `--tls-key` (implies TLS).',
  register: true,
};

export const TLS_KEY: Setting<string> = {
  name: 'tlsKeyFile',
  env: 'KAFKA_OTEL_COLLECT_TLS_KEY',
  aliases: ['KAFKA_OTEL_TLS_KEY'],
  flag: 'tls-key',
  arg: 'FILE',
  parse: text,
  defaultText: '',
  help: "PEM file of the client certificate's private key; needs `--tls-cert`, and its passphrase when encrypted.",
  register: true,
};

export const TLS_KEY_PASSWORD: Setting<string> = {
  name: 'tlsKeyPassword',
  env: 'KAFKA_OTEL_COLLECT_TLS_KEY_PASSWORD',
  aliases: ['KAFKA_OTEL_TLS_KEY_PASSWORD'],
  // No flag, as for the SASL password: the command line is visible to every user of the machine.
  parse: text,
  defaultText: '',
  help: 'Passphrase of an encrypted `--tls-key`; never a flag (`--tls-key-password-env` names another variable).',
  register: true,
};

export const TLS_KEY_PASSWORD_ENV: Setting<string> = {
  name: 'tlsKeyPasswordEnv',
  env: 'KAFKA_OTEL_COLLECT_TLS_KEY_PASSWORD_ENV',
  aliases: ['KAFKA_OTEL_TLS_KEY_PASSWORD_ENV'],
  flag: 'tls-key-password-env',
  arg: 'VAR',
  parse: text,
  defaultText: '',
  help: 'Name of the variable holding the key passphrase, instead of `KAFKA_OTEL_COLLECT_TLS_KEY_PASSWORD`.',
  register: false,
};

/** Every setting of the cluster collector, in the order `--help` and the docs list them. */
export const COLLECTOR_SETTINGS: readonly Setting[] = [
  BROKERS,
  PROMETHEUS_PORT,
  PROMETHEUS_HOST,
  OTLP_ENDPOINT,
  OTLP_PROTOCOL,
  INTERVAL,
  MIN_SNAPSHOT_INTERVAL,
  TOPICS,
  GROUPS,
  INCLUDE_INTERNAL_TOPICS,
  PARTITION_METRICS,
  MAX_SERIES,
  TIME_LAG_READS,
  LAG_STATUS_WINDOW,
  CLIENT_ID,
  SASL_MECHANISM,
  SASL_USERNAME,
  SASL_PASSWORD,
  SASL_PASSWORD_ENV,
  SASL_OAUTHBEARER_PROVIDER,
  TLS,
  TLS_CA,
  TLS_CERT,
  TLS_KEY,
  TLS_KEY_PASSWORD,
  TLS_KEY_PASSWORD_ENV,
  ...CONNECT_JMX_SETTINGS,
];
