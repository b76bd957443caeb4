import { CONNECT_JOLOKIA_PORT_OFFSET, CONNECT_REST_PORT_OFFSET, HOST } from './ports';

/** Group of the cluster's Connect worker; its members share connectors, tasks and offsets. */
export const CONNECT_GROUP_ID = 'kafka-otel-connect';

/** Where a distributed worker keeps its state: configs, source offsets, statuses. */
export const CONNECT_INTERNAL_TOPICS = {
  configs: '_connect-configs',
  offsets: '_connect-offsets',
  status: '_connect-status',
} as const;

/** Heap of the worker: the FileStream connectors of the tests need little. */
export const CONNECT_HEAP_MB = 256;

/** REST and Jolokia ports of a cluster's worker: BASE+50 and BASE+51, on loopback. */
export function connectPorts(basePort: number): { restPort: number; jolokiaPort: number } {
  return {
    restPort: basePort + CONNECT_REST_PORT_OFFSET,
    jolokiaPort: basePort + CONNECT_JOLOKIA_PORT_OFFSET,
  };
}

/** The REST base URL (no trailing slash): https for a secure worker. */
export function connectRestUrl(restPort: number, secure = false): string {
  return `${secure ? 'https' : 'http'}://${HOST}:${restPort}`;
}

/** Kafka's JAAS login module for Connect's Basic authentication: users from a properties file. */
export const CONNECT_BASIC_AUTH_EXTENSION =
  'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension';
const PROPERTY_FILE_LOGIN_MODULE =
  'org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule';

/** What makes a worker's REST API secure: TLS with this key store, Basic auth by the extension. */
export interface ConnectRestSecurity {
  /** PKCS#12 key store holding the worker's key and certificate chain. */
  keystoreFile: string;
  keystorePassword: string;
}

export interface ConnectConfigInput {
  /** The cluster's PLAINTEXT listeners: the worker is a client like any other, not under test. */
  brokers: string[];
  nodeCount: number;
  restPort: number;
  /** Present for `connect start --secure`: an https listener requiring Basic authentication. */
  security?: ConnectRestSecurity;
}

/**
 * connect-distributed.properties of the cluster's worker, as ordered pairs (tests look keys up,
 * the file keeps a stable order).
 */
export function connectWorkerProperties(input: ConnectConfigInput): Array<[string, string]> {
  // The internal topics are created by the worker; more replicas than brokers would fail that.
  const replication = String(Math.min(3, input.nodeCount));
  return [
    ['bootstrap.servers', input.brokers.join(',')],
    ['group.id', CONNECT_GROUP_ID],
    // Plain strings: the FileStream connectors move text lines, and tests read them back as is.
    ['key.converter', 'org.apache.kafka.connect.storage.StringConverter'],
    ['value.converter', 'org.apache.kafka.connect.storage.StringConverter'],
    ['config.storage.topic', CONNECT_INTERNAL_TOPICS.configs],
    ['offset.storage.topic', CONNECT_INTERNAL_TOPICS.offsets],
    ['status.storage.topic', CONNECT_INTERNAL_TOPICS.status],
    ['config.storage.replication.factor', replication],
    ['offset.storage.replication.factor', replication],
    ['status.storage.replication.factor', replication],
    // One worker needs no spread; the defaults (25 and 5 partitions) only slow its start.
    ['offset.storage.partitions', '1'],
    ['status.storage.partitions', '1'],
    // Sink commits and source offsets every second, so tests see them quickly (default 60 s).
    ['offset.flush.interval.ms', '1000'],
    // A restarted worker takes its connectors back at once instead of after up to 5 minutes.
    ['scheduled.rebalance.max.delay.ms', '0'],
    // connect-file and the converters declare themselves in ServiceLoader manifests: the default
    // (hybrid_warn) would also scan every class of the classpath by reflection, slowing the start.
    ['plugin.discovery', 'service_load'],
    ['listeners', connectRestUrl(input.restPort, input.security !== undefined)],
    ['rest.advertised.host.name', HOST],
    ['rest.advertised.port', String(input.restPort)],
    ['rest.advertised.listener', input.security ? 'https' : 'http'],
    ...(input.security ? secureRestProperties(input.security) : []),
  ];
}

/**
 * The https listener and Basic authentication. PKCS#12, not PEM like the brokers: Connect hands
 * the key store type to Jetty, which asks Java's KeyStore for it, and Java has no `PEM` key store
 * (a 4.3.1 worker given `PEM` stops with "PEM KeyStore not available").
 */
function secureRestProperties(security: ConnectRestSecurity): Array<[string, string]> {
  return [
    ['listeners.https.ssl.keystore.type', 'PKCS12'],
    ['listeners.https.ssl.keystore.location', security.keystoreFile],
    ['listeners.https.ssl.keystore.password', security.keystorePassword],
    // Clients prove who they are with Basic authentication, not with certificates.
    ['listeners.https.ssl.client.auth', 'none'],
    // Every request then needs `Authorization: Basic`, checked against the JAAS `KafkaConnect`
    // login (connectJaasConfig); only the workers' own signed internal requests are exempt.
    ['rest.extension.classes', CONNECT_BASIC_AUTH_EXTENSION],
  ];
}

/**
 * The JAAS file the worker's JVM gets as `-Djava.security.auth.login.config`: the `KafkaConnect`
 * login the Basic auth extension asks for, checking users against a properties file.
 */
export function connectJaasConfig(usersFile: string): string {
  const quoted = usersFile.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
  return `KafkaConnect {\n  ${PROPERTY_FILE_LOGIN_MODULE} required\n  file="${quoted}";\n};\n`;
}

/** The users file of PropertyFileLoginModule: one `username=password` line per user. */
export function connectUsersFile(users: Array<{ username: string; password: string }>): string {
  return users.map((u) => `${u.username}=${u.password}\n`).join('');
}
