/**
 * A crash of one node of a local cluster: SIGKILL straight away. `stopNode` sends SIGTERM first,
 * which starts Kafka's controlled shutdown (leadership moved away, logs flushed) before any
 * SIGKILL; a crash gives the cluster none of that, and the controller only notices when the
 * node's broker session times out.
 *
 * Imports only the launcher's state files and process checks, never its readiness probe, which
 * loads kafkajs: tests of the instrumentation must load kafkajs after enabling it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { clusterStatus } from '../../scripts/local-kafka/cluster-status';
import { isAlive } from '../../scripts/local-kafka/process-control';

/** SIGKILLs the JVM of `node` and returns once it is gone; its pid. */
export async function crashNode(options: { cluster: string; node: number }): Promise<number> {
  const { cluster, node } = options;
  // clusterStatus only reports a pid whose command line names this node's own properties file.
  const pid = clusterStatus({ cluster })?.nodes.find((n) => n.nodeId === node)?.pid;
  if (pid === undefined) throw new Error(`node ${node} of cluster '${cluster}' is not running`);
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 10_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`node ${node} (pid ${pid}) survived SIGKILL`);
    await sleep(50);
  }
  return pid;
}
