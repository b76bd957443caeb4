import { HOST, clusterPorts, nodePorts, type NodePorts } from './ports';
import type { LoggingSetup } from './kafka-versions';

/** Listener names of a secure cluster's client listeners (Kafka upper-cases them anyway). */
export const SASL_SSL_LISTENER = 'SASL_SSL';
export const MTLS_LISTENER = 'MTLS';

/** SASL mechanisms a secure cluster's SASL_SSL listener accepts. */
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'] as const;

/** What a broker of a secure cluster needs besides its ports. */
export interface ListenerSecurity {
  /** PEM: the broker's PKCS#8 key followed by its certificate chain. */
  keystoreFile: string;
  /** PEM: the CA whose certificates the brokers present and the mTLS listener accepts. */
  truststoreFile: string;
  /** Users the PLAIN mechanism knows (PLAIN's users live in the listener's JAAS config). */
  plainUsers: Array<{ username: string; password: string }>;
}

export interface NodeConfigInput {
  nodeId: number;
  nodeCount: number;
  basePort: number;
  dataDir: string;
  /** Present for a secure cluster: adds the SASL_SSL and mTLS listeners. */
  security?: ListenerSecurity;
}

/**
 * server.properties of one combined broker+controller node. Returned as ordered pairs so tests
 * can look keys up and the file keeps a stable, diff-friendly order.
 */
export function serverProperties(input: NodeConfigInput): Array<[string, string]> {
  const { nodeId, nodeCount, basePort, dataDir, security } = input;
  const ports = nodePorts(basePort, nodeId);
  const secured = security ? securedListeners(ports) : undefined;
  const voters = clusterPorts(basePort, nodeCount)
    .map((n) => `${n.nodeId}@${HOST}:${n.controllerPort}`)
    .join(',');
  // Internal topics must not ask for more replicas than there are brokers, and with three nodes
  // min.insync.replicas=2 lets one node go down (the failover tests) without refusing writes.
  const replication = nodeCount >= 3 ? 3 : 1;
  const minIsr = nodeCount >= 3 ? 2 : 1;
  return [
    ['node.id', String(nodeId)],
    ['process.roles', 'broker,controller'],
    // Static voters work on 3.9 and 4.x alike (dynamic quorums need 3.9+ formatting flags).
    ['controller.quorum.voters', voters],
    ['controller.listener.names', 'CONTROLLER'],
    [
      'listeners',
      `PLAINTEXT://${HOST}:${ports.brokerPort},CONTROLLER://${HOST}:${ports.controllerPort}${secured?.listeners ?? ''}`,
    ],
    // Every client listener is advertised: Metadata names the brokers on the listener it was
    // asked on, so a client that bootstrapped over SASL_SSL stays on SASL_SSL.
    ['advertised.listeners', `PLAINTEXT://${HOST}:${ports.brokerPort}${secured?.listeners ?? ''}`],
    [
      'listener.security.protocol.map',
      `PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${secured?.protocols ?? ''}`,
    ],
    // Brokers and controllers keep talking PLAINTEXT: only the client side is under test.
    ['inter.broker.listener.name', 'PLAINTEXT'],
    ['log.dirs', dataDir],
    ['num.partitions', '1'],
    // Auto-created topics get the cluster's full replication so acks=all meets min.insync.replicas.
    ['default.replication.factor', String(replication)],
    ['min.insync.replicas', String(minIsr)],
    ['offsets.topic.replication.factor', String(replication)],
    ['transaction.state.log.replication.factor', String(replication)],
    ['transaction.state.log.min.isr', String(minIsr)],
    ['auto.create.topics.enable', 'true'],
    // Tests join consumer groups constantly; the default 3 s delay only slows them down.
    ['group.initial.rebalance.delay.ms', '0'],
    ...(security ? securityProperties(security) : []),
  ];
}

/** The secure cluster's extra listeners, as suffixes of `listeners` and the protocol map. */
function securedListeners(ports: NodePorts): { listeners: string; protocols: string } {
  return {
    listeners:
      `,${SASL_SSL_LISTENER}://${HOST}:${ports.saslSslPort}` +
      `,${MTLS_LISTENER}://${HOST}:${ports.mtlsPort}`,
    protocols: `,${SASL_SSL_LISTENER}:SASL_SSL,${MTLS_LISTENER}:SSL`,
  };
}

/**
 * TLS and SASL settings of the secured listeners. Key and trust stores are PEM files (Kafka 2.7+),
 * so no JKS and no store passwords; the key is unencrypted PKCS#8, hence no ssl.key.password.
 * SCRAM users are not here: they live in the cluster metadata, added when the storage is
 * formatted. OAUTHBEARER has no server callback handler configured, so Kafka uses its unsecured
 * JWT validator (alg "none" tokens; see unsecured-jwt.ts).
 */
function securityProperties(security: ListenerSecurity): Array<[string, string]> {
  const sasl = `listener.name.${SASL_SSL_LISTENER.toLowerCase()}`;
  const plainUsers = security.plainUsers.map((u) => `user_${u.username}="${u.password}"`).join(' ');
  return [
    // Shared by both TLS listeners: one broker certificate, one trusted CA.
    ['ssl.keystore.type', 'PEM'],
    ['ssl.keystore.location', security.keystoreFile],
    ['ssl.truststore.type', 'PEM'],
    ['ssl.truststore.location', security.truststoreFile],
    // Only the mTLS listener asks for a client certificate; SASL_SSL authenticates with SASL.
    [`listener.name.${MTLS_LISTENER.toLowerCase()}.ssl.client.auth`, 'required'],
    [`${sasl}.sasl.enabled.mechanisms`, SASL_MECHANISMS.join(',')],
    [
      `${sasl}.plain.sasl.jaas.config`,
      `org.apache.kafka.common.security.plain.PlainLoginModule required ${plainUsers};`,
    ],
    [
      `${sasl}.scram-sha-256.sasl.jaas.config`,
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    ],
    [
      `${sasl}.scram-sha-512.sasl.jaas.config`,
      'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    ],
    [
      `${sasl}.oauthbearer.sasl.jaas.config`,
      'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;',
    ],
  ];
}

export function renderProperties(pairs: Array<[string, string]>, header: string): string {
  return `# ${header}\n${pairs.map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}

/**
 * Logging config: INFO to stdout, which the launcher redirects into the node's log file, so one
 * file holds everything and readiness can watch it for `Kafka Server started`.
 * 4.x gets the log4j2 properties format (needs no YAML/JSON jars); 3.9 gets log4j 1 properties.
 */
export function renderLogConfig(kind: LoggingSetup['kind']): string {
  const pattern = '[%d] %p %m (%c)%n';
  if (kind === 'reload4j') {
    return [
      '# log4j 1 (reload4j) config written by scripts/local-kafka for Kafka 3.9.',
      'log4j.rootLogger=INFO, stdout',
      'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
      `log4j.appender.stdout.layout.ConversionPattern=${pattern}`,
      // The request logger writes every request at DEBUG/TRACE; keep it quiet as Kafka's own config does.
      'log4j.logger.kafka.request.logger=WARN',
      '',
    ].join('\n');
  }
  return [
    '# log4j2 properties config written by scripts/local-kafka for Kafka 4.x.',
    'status = warn',
    // log4j2's own shutdown hook would stop logging before Kafka's hook logs the shutdown.
    'shutdownHook = disable',
    'appender.stdout.type = Console',
    'appender.stdout.name = STDOUT',
    'appender.stdout.layout.type = PatternLayout',
    `appender.stdout.layout.pattern = ${pattern}`,
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.stdout.ref = STDOUT',
    'logger.request.name = kafka.request.logger',
    'logger.request.level = WARN',
    '',
  ].join('\n');
}
