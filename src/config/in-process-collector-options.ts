import type { KafkaClusterCollectorOptions } from '../collectors/kafka-cluster-collector';
import {
  BROKERS,
  CLIENT_ID,
  GROUPS,
  INCLUDE_INTERNAL_TOPICS,
  MAX_SERIES,
  TIME_LAG_READS,
  LAG_STATUS_WINDOW,
  MIN_SNAPSHOT_INTERVAL,
  PARTITION_METRICS,
  SASL_MECHANISM,
  SASL_OAUTHBEARER_PROVIDER,
  SASL_PASSWORD,
  SASL_USERNAME,
  TLS,
  TLS_CA,
  TLS_CERT,
  TLS_KEY,
  TLS_KEY_PASSWORD,
  TOPICS,
} from './collector-settings';
import {
  BROKER_JMX_URLS,
  CONNECT_JOLOKIA_URL,
  CONNECT_PASSWORD,
  CONNECT_TLS_CA,
  CONNECT_URL,
  CONNECT_USERNAME,
  JOLOKIA_PASSWORD,
  JOLOKIA_TLS_CA,
  JOLOKIA_USERNAME,
} from './connect-jmx-settings';
import {
  buildConnectJmxEndpoints,
  type BrokerJmxEndpoints,
  type ConnectEndpoints,
} from './connect-jmx-options';
import type { EnvReader } from './env-reader';
import { buildKafkaSecurity } from './kafka-security';
import { settingVariables, type Setting } from './setting';
import { InvalidValue } from './value-parsers';

/** True when the variables ask for an in-process collector (its brokers are set). */
export function collectorRequested(reader: EnvReader): boolean {
  return reader.firstSet(settingVariables(BROKERS)) !== undefined;
}

/**
 * Options of the in-process cluster collector from the variables of the settings table that
 * `register` reads (KAFKA_OTEL_COLLECT_*, or their KAFKA_OTEL_* aliases), or undefined when no
 * brokers are set or the connection settings are unusable (with one warning saying why: a
 * collector against the wrong cluster or without credentials would only report `up` 0). A bad
 * topic or group pattern falls back to "all", any other bad value to its default, with a warning.
 *
 * Reads the TLS files and loads the OAUTHBEARER token provider module here, synchronously (see
 * oauthbearer-provider.ts): a missing file or a provider that does not load is one warning and
 * no collector, decided as `register` starts (after the instrumentations, before the
 * application's own code).
 */
export function readCollectorSettings(reader: EnvReader): KafkaClusterCollectorOptions | undefined {
  /** The variable that supplies a setting: the canonical one unless only an alias is set. */
  const variable = (setting: Setting) => reader.firstSet(settingVariables(setting)) ?? setting.env;
  const read = <T>(setting: Setting<T>, fallbackText?: string) =>
    reader.parsed(variable(setting), setting.parse, setting.default, fallbackText);
  if (reader.firstSet(settingVariables(BROKERS)) === undefined) return undefined;
  const notStarted = 'the cluster collector is not started';
  const brokers = read(BROKERS, notStarted);
  if (brokers === undefined) return undefined;
  let security;
  try {
    security = buildKafkaSecurity(
      {
        saslMechanism: read(SASL_MECHANISM),
        saslUsername: read(SASL_USERNAME),
        saslPassword: read(SASL_PASSWORD),
        saslOauthbearerProvider: read(SASL_OAUTHBEARER_PROVIDER),
        tls: read(TLS),
        tlsCaFile: read(TLS_CA),
        tlsCertFile: read(TLS_CERT),
        tlsKeyFile: read(TLS_KEY),
        tlsKeyPassword: read(TLS_KEY_PASSWORD),
      },
      {
        saslMechanism: variable(SASL_MECHANISM),
        saslUsername: variable(SASL_USERNAME),
        saslPassword: variable(SASL_PASSWORD),
        saslOauthbearerProvider: variable(SASL_OAUTHBEARER_PROVIDER),
        tlsCaFile: variable(TLS_CA),
        tlsCertFile: variable(TLS_CERT),
        tlsKeyFile: variable(TLS_KEY),
        tlsKeyPassword: variable(TLS_KEY_PASSWORD),
      },
    );
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    reader.complain(`${SASL_MECHANISM.env}:security`, `${error.message}; ${notStarted}`);
    return undefined;
  }
  return {
    brokers,
    clientId: read(CLIENT_ID),
    ...security,
    topics: read(TOPICS, 'collecting all topics'),
    groups: read(GROUPS, 'collecting all groups'),
    includeInternalTopics: read(INCLUDE_INTERNAL_TOPICS),
    perPartitionMetrics: read(PARTITION_METRICS),
    minSnapshotIntervalMs: read(MIN_SNAPSHOT_INTERVAL, "using the collector's default"),
    maxSeries: read(MAX_SERIES, "using the collector's default"),
    timeLagReadLimit: read(TIME_LAG_READS, "using the collector's default"),
    lagStatusWindow: read(LAG_STATUS_WINDOW, "using the collector's default"),
  };
}

/**
 * The Kafka Connect and broker JMX endpoints `register` collects next to its cluster collector
 * (KAFKA_OTEL_COLLECT_CONNECT_URL, KAFKA_OTEL_COLLECT_BROKER_JMX_URLS), read only when the
 * cluster collector itself is started. Unusable settings leave that source out, with one
 * warning; the cluster collector runs anyway.
 */
export function readConnectJmxSettings(reader: EnvReader): {
  connect?: ConnectEndpoints;
  brokerJmx?: BrokerJmxEndpoints;
} {
  const read = <T>(setting: Setting<T>, fallbackText: string) =>
    reader.parsed(setting.env, setting.parse, setting.default, fallbackText);
  const notStarted = 'that source is not collected';
  try {
    return buildConnectJmxEndpoints(
      {
        connectUrl: read(CONNECT_URL, 'Kafka Connect is not collected'),
        connectUsername: read(CONNECT_USERNAME, notStarted),
        connectPassword: read(CONNECT_PASSWORD, notStarted),
        connectTlsCaFile: read(CONNECT_TLS_CA, notStarted),
        connectJolokiaUrl: read(CONNECT_JOLOKIA_URL, "the worker's JMX is not collected"),
        brokerJmxUrls: read(BROKER_JMX_URLS, "the brokers' JMX is not collected"),
        jolokiaUsername: read(JOLOKIA_USERNAME, notStarted),
        jolokiaPassword: read(JOLOKIA_PASSWORD, notStarted),
        jolokiaTlsCaFile: read(JOLOKIA_TLS_CA, notStarted),
      },
      {
        connectUsername: CONNECT_USERNAME.env,
        connectPassword: CONNECT_PASSWORD.env,
        connectTlsCaFile: CONNECT_TLS_CA.env,
        jolokiaUsername: JOLOKIA_USERNAME.env,
        jolokiaPassword: JOLOKIA_PASSWORD.env,
        jolokiaTlsCaFile: JOLOKIA_TLS_CA.env,
      },
    );
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    reader.complain(
      `${CONNECT_URL.env}:endpoints`,
      `${error.message}; Kafka Connect and broker JMX are not collected`,
    );
    return {};
  }
}
