import { HOST, clusterPorts, nodePorts } from './ports';
import type { LoggingSetup } from './kafka-versions';

export interface NodeConfigInput {
  nodeId: number;
  nodeCount: number;
  basePort: number;
  dataDir: string;
}

/**
 * server.properties of one combined broker+controller node. Returned as ordered pairs so tests
 * can look keys up and the file keeps a stable, diff-friendly order.
 */
export function serverProperties(input: NodeConfigInput): Array<[string, string]> {
  const { nodeId, nodeCount, basePort, dataDir } = input;
  const ports = nodePorts(basePort, nodeId);
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
      `PLAINTEXT://${HOST}:${ports.brokerPort},CONTROLLER://${HOST}:${ports.controllerPort}`,
    ],
    ['advertised.listeners', `PLAINTEXT://${HOST}:${ports.brokerPort}`],
    ['listener.security.protocol.map', 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT'],
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
