import fs from 'node:fs';
import {
  allNodes,
  checkNodeId,
  DEFAULT_CLUSTER,
  readState,
  requireState,
  validateClusterName,
  type CommonOptions,
  type Log,
  type NodeInfo,
} from './cluster-state';
import { stopConnectProcess } from './connect-worker';
import { clusterDir, nodePaths } from './paths';
import { MAX_NODES } from './ports';
import { runningNodePid, stopNodeProcess, type StopOutcome } from './process-control';

/** Kafka's controlled shutdown takes seconds (about 6 s for three nodes); past this, SIGKILL. */
export const DEFAULT_STOP_GRACE_MS = 30_000;

export interface StopOptions extends CommonOptions {
  /** Stop only this node (1-based); default: all nodes. */
  node?: number;
  /** SIGTERM grace period before SIGKILL (default 30 s). */
  graceMs?: number;
}

export type StoppableNode = Pick<NodeInfo, 'nodeId' | 'pid' | 'propertiesPath' | 'pidPath'>;

/**
 * Stops nodes in parallel. Sequential stops would leave the last node without a controller
 * quorum, and its broker would wait minutes for a controlled shutdown nobody can approve.
 */
export async function stopNodes(
  nodes: StoppableNode[],
  graceMs: number,
  log: Log,
): Promise<Array<{ nodeId: number; outcome: StopOutcome }>> {
  return Promise.all(
    nodes.map(async (n) => {
      const outcome =
        n.pid === undefined
          ? 'not-running'
          : await stopNodeProcess(n.pid, n.propertiesPath, graceMs);
      fs.rmSync(n.pidPath, { force: true });
      if (outcome === 'killed') {
        log(`Node ${n.nodeId} ignored SIGTERM for ${graceMs / 1000} s and was killed.`);
      }
      return { nodeId: n.nodeId, outcome };
    }),
  );
}

/**
 * Stops one node or the whole cluster: SIGTERM, then SIGKILL after `graceMs`. Stopping the
 * whole cluster stops its Connect worker first, which would otherwise retry a dead cluster forever.
 */
export async function stopCluster(
  options: StopOptions = {},
): Promise<Array<{ nodeId: number; outcome: StopOutcome }>> {
  const state = requireState(validateClusterName(options.cluster ?? DEFAULT_CLUSTER));
  if (options.node !== undefined) checkNodeId(state, options.node);
  const nodes = allNodes(state).filter(
    (n) => options.node === undefined || n.nodeId === options.node,
  );
  const graceMs = options.graceMs ?? DEFAULT_STOP_GRACE_MS;
  const log = options.log ?? (() => undefined);
  if (options.node === undefined) await stopWorkerOf(state.cluster, graceMs, log);
  return stopNodes(nodes, graceMs, log);
}

async function stopWorkerOf(cluster: string, graceMs: number, log: Log): Promise<void> {
  const outcome = await stopConnectProcess(cluster, graceMs, log);
  if (outcome !== 'not-running') log(`Connect worker: ${outcome}`);
}

/** Stops one node (same as `stopCluster` with `node`). */
export function stopNode(
  options: CommonOptions & { node: number; graceMs?: number },
): Promise<Array<{ nodeId: number; outcome: StopOutcome }>> {
  return stopCluster(options);
}

/** Removes a cluster's folder (`--fresh`) after stopping any JVM still running from it. */
export async function wipeCluster(cluster: string, log: Log): Promise<void> {
  const dir = clusterDir(cluster);
  if (!fs.existsSync(dir)) return;
  const state = readState(cluster);
  // Without a state file (a first start that failed while formatting) look at every possible node.
  const nodes: StoppableNode[] = state
    ? allNodes(state)
    : Array.from({ length: MAX_NODES }, (_, i) => {
        const files = nodePaths(cluster, i + 1, '');
        return {
          ...files,
          nodeId: i + 1,
          pid: runningNodePid(files.pidPath, files.propertiesPath),
        };
      });
  // Its pid file is about to be deleted: after that nothing could find the worker to stop it.
  await stopWorkerOf(cluster, DEFAULT_STOP_GRACE_MS, log);
  const running = nodes.filter((n) => n.pid !== undefined);
  if (running.length > 0) {
    log(`Stopping ${running.length} running node(s) of '${cluster}' before wiping it...`);
    await stopNodes(running, DEFAULT_STOP_GRACE_MS, log);
  }
  log(`Deleting ${dir} (--fresh).`);
  fs.rmSync(dir, { recursive: true, force: true });
}
