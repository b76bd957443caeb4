import type { KafkaClusterCollectorOptions } from '../collectors/kafka-cluster-collector';
import type { EnvReader } from './env-reader';
import { buildKafkaSecurity } from './kafka-security';
import { parseBrokerList } from './broker-address';
import { InvalidValue, parseBoolean, parseRegex } from './value-parsers';

const PREFIX = 'KAFKA_OTEL_COLLECT_';

/**
 * Options of the in-process cluster collector from KAFKA_OTEL_COLLECT_* variables, or undefined
 * when KAFKA_OTEL_COLLECT_BROKERS is unset or the connection settings are unusable (with one
 * warning saying why: a collector against the wrong cluster or without credentials would only
 * report `up` 0). A bad topic or group pattern falls back to "all", with a warning.
 */
export function readCollectorSettings(
  reader: EnvReader,
): Omit<KafkaClusterCollectorOptions, 'meterProvider'> | undefined {
  if (reader.string(`${PREFIX}BROKERS`) === undefined) return undefined;
  const notStarted = 'the cluster collector is not started';
  const brokers = reader.parsed(`${PREFIX}BROKERS`, parseBrokerList, undefined, notStarted);
  if (brokers === undefined) return undefined;
  const filter = (what: string) =>
    reader.parsed(
      `${PREFIX}${what.toUpperCase()}`,
      parseRegex,
      undefined,
      `collecting all ${what}`,
    );
  const flag = (name: string, fallback: boolean) =>
    reader.parsed(`${PREFIX}${name}`, parseBoolean, fallback);
  let security;
  try {
    security = buildKafkaSecurity(
      {
        saslMechanism: reader.string(`${PREFIX}SASL_MECHANISM`),
        saslUsername: reader.string(`${PREFIX}SASL_USERNAME`),
        saslPassword: reader.string(`${PREFIX}SASL_PASSWORD`),
        tls: flag('TLS', false),
        tlsCaFile: reader.string(`${PREFIX}TLS_CA`),
      },
      {
        saslMechanism: `${PREFIX}SASL_MECHANISM`,
        saslUsername: `${PREFIX}SASL_USERNAME`,
        saslPassword: `${PREFIX}SASL_PASSWORD`,
      },
    );
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    reader.complain(`${PREFIX}SASL`, `${error.message}; ${notStarted}`);
    return undefined;
  }
  return {
    brokers,
    clientId: reader.string(`${PREFIX}CLIENT_ID`),
    ...security,
    topics: filter('topics'),
    groups: filter('groups'),
    includeInternalTopics: flag('INCLUDE_INTERNAL_TOPICS', false),
    perPartitionMetrics: flag('PARTITION_METRICS', true),
  };
}
