import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { InterruptedError, LocalKafkaError } from './errors';
import { readFrom, tailLines } from './log-file';
import { isAlive } from './process-control';

/** Printed by KafkaRaftServer (3.9 and 4.x) once broker and controller are both up. */
export const STARTED_LOG_LINE = 'Kafka Server started';

export interface StartingNode {
  nodeId: number;
  pid: number;
  logPath: string;
  /** Byte offset where this run's output starts; the log is appended across restarts. */
  logOffset: number;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError();
}

function nodeFailure(node: StartingNode, reason: string): LocalKafkaError {
  const log = readFrom(node.logPath, node.logOffset);
  // A port taken between our check and the JVM's bind (another process was quicker).
  const bind = /BindException|Address already in use/.test(log)
    ? '\nIt could not bind one of its ports: another process took it; try --port or stop that process.'
    : '';
  return new LocalKafkaError(
    `Kafka node ${node.nodeId} (pid ${node.pid}) ${reason}.${bind}\n` +
      `Last lines of ${node.logPath}:\n${tailLines(node.logPath, 40)}`,
  );
}

/**
 * Polls the node's log until KafkaRaftServer reports it started. Fails at once when the JVM
 * exits (bad config, taken port) instead of waiting out the deadline.
 */
export async function waitForStartedLine(
  node: StartingNode,
  deadline: number,
  timeoutSeconds: number,
  signal?: AbortSignal,
): Promise<void> {
  for (;;) {
    throwIfAborted(signal);
    if (readFrom(node.logPath, node.logOffset).includes(STARTED_LOG_LINE)) return;
    if (!isAlive(node.pid)) throw nodeFailure(node, 'exited during startup');
    if (Date.now() >= deadline) {
      throw nodeFailure(node, `did not start within ${timeoutSeconds} s`);
    }
    await sleep(200);
  }
}

/** One metadata round trip: the broker ids a client sees, or the reason it failed. */
export async function describeBrokerIds(
  brokers: string[],
): Promise<{ ids: number[]; controller: number | null }> {
  const kafka = new Kafka({
    clientId: 'kafka-otel-local-kafka',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    // Retries are ours (the polling loop); KafkaJS's backoff would overshoot the deadline.
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return {
      ids: cluster.brokers.map((b) => b.nodeId).sort((a, b) => a - b),
      controller: cluster.controller,
    };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * The log line says a node is up; this proves the cluster answers a real client and that every
 * broker, asked on its own, lists every expected broker. Asking one broker is not enough: brokers
 * replay the KRaft metadata log asynchronously (a lag of ~0.5 s was seen on 3.9 after a restart),
 * and a client may be served by any of them.
 */
export async function waitForBrokers(
  brokers: string[],
  expectedIds: number[],
  deadline: number,
  timeoutSeconds: number,
  signal?: AbortSignal,
): Promise<void> {
  let last: string;
  for (;;) {
    throwIfAborted(signal);
    const views = await Promise.all(
      brokers.map(async (broker) => {
        try {
          const { ids } = await describeBrokerIds([broker]);
          return expectedIds.every((id) => ids.includes(id))
            ? undefined
            : `${broker} listed brokers [${ids.join(', ')}]`;
        } catch (error) {
          return `${broker} failed: ${(error as Error).message}`;
        }
      }),
    );
    const problems = views.filter((v): v is string => v !== undefined);
    if (problems.length === 0) return;
    last = `expected brokers [${expectedIds.join(', ')}]; ${problems.join('; ')}`;
    if (Date.now() >= deadline) {
      throw new LocalKafkaError(
        `The cluster at ${brokers.join(',')} did not answer describeCluster within ${timeoutSeconds} s (${last}).`,
      );
    }
    await sleep(250);
  }
}
