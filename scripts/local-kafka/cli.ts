/**
 * `npm run kafka -- <start|stop|status|connect ...> [options]`: a real local Kafka for tests and demos.
 * Progress goes to stderr; stdout carries only results (the KAFKA_BROKERS line, the status
 * table) so scripts can capture it.
 */
import { runInterruptibleCli } from '../interruptible-cli';
import { parseArgs, USAGE, type Command } from './args';
import {
  clusterStatus,
  connectStatus,
  DEFAULT_CLUSTER,
  startConnect,
  stopConnect,
  startCluster,
  startNode,
  stopCluster,
  type SecuredClusterSettings,
  type ConnectStartResult,
  type StartResult,
} from './index';
import { InterruptedError, LocalKafkaError } from './errors';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/**
 * The non-secret client settings of a secure cluster, one VAR=value line each, after
 * KAFKA_BROKERS. Usernames and passwords stay in the KAFKA_CLIENT_SETTINGS file: stdout ends up
 * in CI logs and terminals' scrollback.
 */
function printSecurity(security: SecuredClusterSettings | undefined): void {
  if (!security) return;
  const lines = [
    `KAFKA_SASL_SSL_BROKERS=${security.saslSslBrokers.join(',')}`,
    `KAFKA_MTLS_BROKERS=${security.mtlsBrokers.join(',')}`,
    `KAFKA_TLS_CA_FILE=${security.caFile}`,
    `KAFKA_TLS_CERT_FILE=${security.clientCertFile}`,
    `KAFKA_TLS_KEY_FILE=${security.clientKeyFile}`,
    `KAFKA_CLIENT_SETTINGS=${security.settingsFile}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Where the JMX collectors read each node's MBeans, on a cluster started with --jmx. */
function printJolokia(urls: string[] | undefined): void {
  if (urls) process.stdout.write(`KAFKA_JOLOKIA_URLS=${urls.join(',')}\n`);
}

function printStarted(result: StartResult): void {
  const seconds = (result.elapsedMs / 1000).toFixed(1);
  log(
    result.alreadyRunning
      ? `Kafka ${result.kafkaVersion} cluster '${result.cluster}' is already running.`
      : `Kafka ${result.kafkaVersion} cluster '${result.cluster}' is up (node(s) ${result.startedNodes.join(', ')} started in ${seconds} s). ` +
          `Stop it with: npm run kafka -- stop${result.cluster === DEFAULT_CLUSTER ? '' : ` --cluster ${result.cluster}`}`,
  );
  process.stdout.write(`KAFKA_BROKERS=${result.brokers.join(',')}\n`);
  printSecurity(result.security);
  printJolokia(result.jolokiaUrls);
}

/**
 * Where the worker's REST API and Jolokia agent answer, after `connect start` and `connect
 * status`; for a secure worker, the file holding its credentials (never the password itself).
 */
function printConnectUrls(urls: {
  url: string;
  jolokiaUrl: string;
  credentialsFile?: string;
}): void {
  const lines = [`KAFKA_CONNECT_URL=${urls.url}`, `KAFKA_CONNECT_JOLOKIA_URL=${urls.jolokiaUrl}`];
  if (urls.credentialsFile) lines.push(`KAFKA_CONNECT_CREDENTIALS=${urls.credentialsFile}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function printConnectStarted(result: ConnectStartResult): void {
  const stop = `npm run kafka -- connect stop${result.cluster === DEFAULT_CLUSTER ? '' : ` --cluster ${result.cluster}`}`;
  log(
    result.alreadyRunning
      ? `Kafka Connect ${result.connectVersion} worker of '${result.cluster}' is already running (pid ${result.pid}).`
      : `Kafka Connect ${result.connectVersion} worker of '${result.cluster}' is up (pid ${result.pid}, ${(result.elapsedMs / 1000).toFixed(1)} s). Stop it with: ${stop}`,
  );
  printConnectUrls({ ...result, credentialsFile: result.credentials?.credentialsFile });
}

async function runConnectStatus(cluster: string): Promise<number> {
  const status = await connectStatus({ cluster });
  const state = status.running
    ? `up, pid ${status.pid ?? '-'}${status.restAnswers ? '' : ', REST not answering yet'}`
    : 'down';
  process.stdout.write(
    `Connect worker of '${status.cluster}': ${state}${status.running && status.secure ? ', secure (https, Basic auth)' : ''}, Kafka Connect ${status.connectVersion ?? '(never started)'}, log ${status.logPath}\n`,
  );
  if (!status.running) return 3;
  printConnectUrls(status);
  return status.restAnswers ? 0 : 3;
}

async function run(command: Command, signal: AbortSignal): Promise<number> {
  switch (command.kind) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'start':
      printStarted(await startCluster({ ...command, log, signal }));
      return 0;
    case 'start-node':
      printStarted(await startNode({ ...command, log, signal }));
      return 0;
    case 'stop': {
      const cluster = command.cluster ?? DEFAULT_CLUSTER;
      const started = Date.now();
      const outcomes = await stopCluster({ cluster, node: command.node, log });
      for (const { nodeId, outcome } of outcomes) {
        log(`node ${nodeId}: ${outcome === 'not-running' ? 'was not running' : outcome}`);
      }
      log(`Cluster '${cluster}' stop done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      return 0;
    }
    case 'connect-start':
      printConnectStarted(await startConnect({ ...command, log, signal }));
      return 0;
    case 'connect-stop': {
      const cluster = command.cluster ?? DEFAULT_CLUSTER;
      const outcome = await stopConnect({ cluster, log });
      log(
        `Connect worker of '${cluster}': ${outcome === 'not-running' ? 'was not running' : outcome}`,
      );
      return 0;
    }
    case 'connect-status':
      return runConnectStatus(command.cluster ?? DEFAULT_CLUSTER);
    case 'status': {
      const cluster = command.cluster ?? DEFAULT_CLUSTER;
      const status = clusterStatus({ cluster });
      if (!status) {
        log(
          `No local Kafka cluster named '${cluster}'. Create it with: npm run kafka -- start --cluster ${cluster}`,
        );
        return 3;
      }
      const lines = [
        `Cluster '${status.cluster}': Kafka ${status.kafkaVersion}${status.secure ? ', secure' : ''}${status.jmx ? ', jmx' : ''}, cluster id ${status.clusterId}, ${status.nodes.length} node(s), files in ${status.dir}`,
        ...status.nodes.map(
          (n) =>
            `  node ${n.nodeId}  ${n.up ? 'up  ' : 'down'}  pid ${String(n.pid ?? '-').padEnd(7)}  broker ${n.address}  controller 127.0.0.1:${n.controllerPort}` +
            (n.saslSslAddress
              ? `  sasl_ssl ${n.saslSslAddress}  mtls ${n.mtlsAddress ?? ''}`
              : '') +
            (n.jolokiaUrl ? `  jolokia ${n.jolokiaUrl}` : ''),
        ),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      if (status.brokers.length > 0) {
        process.stdout.write(`KAFKA_BROKERS=${status.brokers.join(',')}\n`);
        printSecurity(status.security);
        printJolokia(status.jolokiaUrls);
      }
      if (status.secure && !status.security) {
        log(
          `The client settings of '${status.cluster}' (security/client-settings.json) are missing or unreadable; recreate the cluster with --fresh.`,
        );
      }
      return status.brokers.length === status.nodes.length ? 0 : 3;
    }
  }
}

void runInterruptibleCli(
  (signal) => run(parseArgs(process.argv.slice(2)), signal),
  (error) =>
    error instanceof LocalKafkaError
      ? {
          message: error.message,
          exitCode: error.exitCode,
          interrupted: error instanceof InterruptedError,
        }
      : undefined,
  log,
);
