/**
 * `npm run kafka -- <start|stop|status> [options]`: a real local Kafka for tests and demos.
 * Progress goes to stderr; stdout carries only results (the KAFKA_BROKERS line, the status
 * table) so scripts can capture it.
 */
import { runInterruptibleCli } from '../interruptible-cli';
import { parseArgs, USAGE, type Command } from './args';
import {
  clusterStatus,
  DEFAULT_CLUSTER,
  startCluster,
  startNode,
  stopCluster,
  type StartResult,
} from './index';
import { InterruptedError, LocalKafkaError } from './errors';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function printStarted(result: StartResult): void {
  const seconds = (result.elapsedMs / 1000).toFixed(1);
  log(
    result.alreadyRunning
      ? `Kafka ${result.kafkaVersion} cluster '${result.cluster}' is already running.`
      : `Kafka ${result.kafkaVersion} cluster '${result.cluster}' is up (node(s) ${result.startedNodes.join(', ')} started in ${seconds} s). ` +
          `Stop it with: npm run kafka -- stop${result.cluster === DEFAULT_CLUSTER ? '' : ` --cluster ${result.cluster}`}`,
  );
  process.stdout.write(`KAFKA_BROKERS=${result.brokers.join(',')}\n`);
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
        `Cluster '${status.cluster}': Kafka ${status.kafkaVersion}, cluster id ${status.clusterId}, ${status.nodes.length} node(s), files in ${status.dir}`,
        ...status.nodes.map(
          (n) =>
            `  node ${n.nodeId}  ${n.up ? 'up  ' : 'down'}  pid ${String(n.pid ?? '-').padEnd(7)}  broker ${n.address}  controller 127.0.0.1:${n.controllerPort}`,
        ),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      if (status.brokers.length > 0)
        process.stdout.write(`KAFKA_BROKERS=${status.brokers.join(',')}\n`);
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
