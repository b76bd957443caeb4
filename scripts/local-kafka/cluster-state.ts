import fs from 'node:fs';
import path from 'node:path';
import { LocalKafkaError, UsageError } from './errors';
import { loggingSetupFor } from './kafka-versions';
import { CLUSTERS_ROOT, clusterDir, nodePaths, type NodePaths } from './paths';
import { boundPorts, brokerAddress, nodePorts, type NodePorts } from './ports';
import { runningNodePid } from './process-control';

export const DEFAULT_CLUSTER = 'local';

export type Log = (line: string) => void;

/** Options every API call takes. */
export interface CommonOptions {
  /** Cluster name: data lives in .local/kafka/<cluster>/ (default `local`). */
  cluster?: string;
  /** Progress messages (the CLI prints them on stderr); silent by default. */
  log?: Log;
  /** Environment used to find java and mvn and the cache dir (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The name becomes a folder name: no separators, no dot-dot, nothing a shell would mangle. */
export function validateClusterName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name) || name.includes('..')) {
    throw new UsageError(
      `Invalid cluster name '${name}': use letters, digits, '.', '_' or '-' (up to 64, starting with a letter or digit).`,
    );
  }
  return name;
}

/**
 * What a cluster was created with, saved in `.local/kafka/<cluster>/state.json` once its storage
 * is formatted. Later starts reuse it: the data only fits this node count and Kafka version, and
 * a secure cluster's SCRAM users and certificates were made for it.
 */
export interface ClusterState {
  cluster: string;
  kafkaVersion: string;
  clusterId: string;
  nodeCount: number;
  basePort: number;
  /** SASL_SSL and mTLS listeners besides PLAINTEXT (absent in files written before it existed). */
  secure: boolean;
  /**
   * A Jolokia agent on every node (--jmx), kept here so that restarts (`start --node N`, a plain
   * `start` of a stopped cluster) attach it again (absent in files written before it existed).
   */
  jmx: boolean;
  createdAt: string;
}

const STATE_FILE = 'state.json';

export function statePath(cluster: string): string {
  return path.join(clusterDir(cluster), STATE_FILE);
}

export function readState(cluster: string): ClusterState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(statePath(cluster), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as Omit<ClusterState, 'secure' | 'jmx'> & {
      secure?: boolean;
      jmx?: boolean;
    };
    return { ...state, secure: state.secure ?? false, jmx: state.jmx ?? false };
  } catch {
    throw new LocalKafkaError(
      `${statePath(cluster)} is not valid JSON; recreate the cluster with --fresh.`,
    );
  }
}

/** The state of an existing cluster; exit code 3 (like `status`) when there is none. */
export function requireState(cluster: string): ClusterState {
  const state = readState(cluster);
  if (state) return state;
  const known = knownClusters();
  throw new LocalKafkaError(
    `No local Kafka cluster named '${cluster}' (${known.length ? `known: ${known.join(', ')}` : 'none created yet'}). ` +
      `Create it with \`npm run kafka -- start --cluster ${cluster}\`.`,
    3,
  );
}

export function checkNodeId(state: ClusterState, node: number): void {
  if (!Number.isInteger(node) || node < 1 || node > state.nodeCount) {
    throw new UsageError(
      `Cluster '${state.cluster}' has ${state.nodeCount} node(s); --node must be 1..${state.nodeCount}.`,
    );
  }
}

export function writeState(state: ClusterState): void {
  fs.writeFileSync(statePath(state.cluster), `${JSON.stringify(state, null, 2)}\n`);
}

/** Names of clusters that have a state file (for port-owner hints). */
export function knownClusters(): string[] {
  try {
    return fs
      .readdirSync(CLUSTERS_ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(statePath(e.name)))
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** One node of a cluster: its ports, files and, when its JVM runs, the pid. */
export interface NodeInfo extends NodePorts, NodePaths {
  address: string;
  pid: number | undefined;
}

export function nodeInfo(state: ClusterState, nodeId: number): NodeInfo {
  const files = nodePaths(
    state.cluster,
    nodeId,
    loggingSetupFor(state.kafkaVersion).configFileName,
  );
  return {
    ...nodePorts(state.basePort, nodeId),
    ...files,
    address: brokerAddress(state.basePort, nodeId),
    pid: runningNodePid(files.pidPath, files.propertiesPath),
  };
}

export function allNodes(state: ClusterState): NodeInfo[] {
  return Array.from({ length: state.nodeCount }, (_, i) => nodeInfo(state, i + 1));
}

/** Which node of which local cluster listens on `port`, with how to stop it; for port errors. */
export function localClusterOwningPort(port: number): string | undefined {
  for (const cluster of knownClusters()) {
    const state = readState(cluster);
    if (!state) continue;
    const owner = allNodes(state).find(
      (n) =>
        n.pid !== undefined && boundPorts(n, state.secure, state.jmx).some(([, p]) => p === port),
    );
    if (owner) {
      return `node ${owner.nodeId} of the local Kafka cluster '${cluster}' (pid ${owner.pid}); stop it with \`npm run kafka -- stop --cluster ${cluster}\``;
    }
  }
  return undefined;
}
