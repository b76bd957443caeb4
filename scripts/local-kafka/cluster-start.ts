import { newClusterId } from './cluster-id';
import { requireClusterSecurity, type SecuredClusterSettings } from './cluster-security';
import {
  allNodes,
  checkNodeId,
  DEFAULT_CLUSTER,
  nodeInfo,
  readState,
  requireState,
  validateClusterName,
  type ClusterState,
  type CommonOptions,
  type NodeInfo,
} from './cluster-state';
import { wipeCluster } from './cluster-stop';
import { LocalKafkaError, UsageError } from './errors';
import { withFileLock } from './file-lock';
import { resolveKafkaVersion } from './kafka-versions';
import { waitForJolokia } from './jolokia-agent';
import { launchNodes, nodeJolokiaUrls } from './node-launch';
import { clusterDir, clusterLockPath } from './paths';
import { basePortProblem, DEFAULT_BASE_PORT } from './ports';
import { waitForBrokers } from './readiness';

export const DEFAULT_START_TIMEOUT_MS = 120_000;

export interface StartClusterOptions extends CommonOptions {
  /** 1 or 3 combined broker+controller nodes (default 1, or what the existing cluster has). */
  nodes?: number;
  /** 4.x or 3.9.x release or alias (default 4.4.0, or what the existing cluster has). */
  kafkaVersion?: string;
  /** Broker port of node 1; node N uses BASE+N-1 and BASE+100+N-1 (default 19092). */
  basePort?: number;
  /**
   * Create the cluster with SASL_SSL (BASE+10+N-1) and mTLS (BASE+20+N-1) listeners besides
   * PLAINTEXT (default false, or what the existing cluster was created with).
   */
  secure?: boolean;
  /**
   * Attach a Jolokia agent to every node, on BASE+60+N-1 (default false, or what the cluster was
   * last started with; kept in its state so node restarts keep it).
   */
  jmx?: boolean;
  /** Stop the cluster if running and delete its data before starting. */
  fresh?: boolean;
  /** How long to wait for the nodes to answer after they are launched (default 120 s). */
  timeoutMs?: number;
  /** Aborting stops the wait and kills the nodes this call started. */
  signal?: AbortSignal;
}

export interface StartNodeOptions extends CommonOptions {
  node: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface StartResult {
  cluster: string;
  kafkaVersion: string;
  clusterId: string;
  /** host:port of every running broker, in node order: what KAFKA_BROKERS holds. */
  brokers: string[];
  /** Node ids this call launched; empty when everything was already running. */
  startedNodes: number[];
  alreadyRunning: boolean;
  dir: string;
  elapsedMs: number;
  /** How clients reach a secure cluster's SASL_SSL and mTLS listeners (with the passwords). */
  security?: SecuredClusterSettings;
  /** Jolokia base URL of every running node (node order), on a cluster started with --jmx. */
  jolokiaUrls?: string[];
}

function result(
  state: ClusterState,
  running: NodeInfo[],
  startedNodes: number[],
  startedAt: number,
  security: SecuredClusterSettings | undefined,
): StartResult {
  const jolokiaUrls = nodeJolokiaUrls(state, running);
  return {
    cluster: state.cluster,
    kafkaVersion: state.kafkaVersion,
    clusterId: state.clusterId,
    brokers: running.map((n) => n.address),
    startedNodes,
    alreadyRunning: startedNodes.length === 0,
    dir: clusterDir(state.cluster),
    elapsedMs: Date.now() - startedAt,
    ...(security ? { security } : {}),
    ...(jolokiaUrls ? { jolokiaUrls } : {}),
  };
}

/** A running cluster still has to answer before we call it up (it may be wedged). */
async function confirmRunning(
  state: ClusterState,
  timeoutMs: number,
  startedAt: number,
  signal?: AbortSignal,
): Promise<StartResult> {
  const running = allNodes(state).filter((n) => n.pid !== undefined);
  await waitForBrokers(
    running.map((n) => n.address),
    running.map((n) => n.nodeId),
    Date.now() + timeoutMs,
    timeoutMs / 1000,
    signal,
  );
  const jolokiaUrls = nodeJolokiaUrls(state, running);
  if (jolokiaUrls) {
    await waitForJolokia(jolokiaUrls, Date.now() + timeoutMs, timeoutMs / 1000, { signal });
  }
  const security = state.secure ? requireClusterSecurity(state) : undefined;
  return result(state, running, [], startedAt, security);
}

/** What a start asks for that existing data must match (undefined: whatever the cluster has). */
export interface RequestedShape {
  nodes?: number;
  kafkaVersion?: string;
  secure?: boolean;
}

/**
 * Formatted data only fits the node count and Kafka version that wrote it, and only a cluster
 * created secure has the SCRAM users and certificates the secured listeners need.
 */
export function checkCompatible(
  state: ClusterState,
  { nodes, kafkaVersion, secure }: RequestedShape,
): void {
  const mismatch: string[] = [];
  if (nodes !== undefined && nodes !== state.nodeCount) {
    mismatch.push(`was created with ${state.nodeCount} node(s), not ${nodes}`);
  }
  if (kafkaVersion !== undefined && kafkaVersion !== state.kafkaVersion) {
    mismatch.push(`holds Kafka ${state.kafkaVersion} data, not ${kafkaVersion}`);
  }
  if (secure !== undefined && secure !== state.secure) {
    mismatch.push(
      state.secure
        ? 'was created --secure (SASL_SSL and mTLS listeners), not as a plain cluster'
        : 'was created without --secure (no SASL_SSL or mTLS listeners, users or certificates)',
    );
  }
  if (mismatch.length > 0) {
    throw new LocalKafkaError(
      `Cluster '${state.cluster}' ${mismatch.join(' and ')}. Add --fresh to delete its data and recreate it, ` +
        'or use another --cluster name.',
    );
  }
}

/**
 * Starts a cluster, creating and formatting it on first use, and resolves once every broker
 * answers `describeCluster`. Idempotent: a running cluster is only checked and reported, and
 * nodes that are down are started again.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<StartResult> {
  const startedAt = Date.now();
  const cluster = validateClusterName(options.cluster ?? DEFAULT_CLUSTER);
  const common = {
    timeoutMs: options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS,
    signal: options.signal,
    log: options.log ?? (() => undefined),
    env: options.env ?? process.env,
  };
  if (options.nodes !== undefined && options.nodes !== 1 && options.nodes !== 3) {
    throw new UsageError(`--nodes must be 1 or 3, got ${options.nodes}.`);
  }
  const portProblem =
    options.basePort === undefined ? undefined : basePortProblem(options.basePort);
  if (portProblem) throw new UsageError(portProblem);
  const kafkaVersion =
    options.kafkaVersion === undefined ? undefined : resolveKafkaVersion(options.kafkaVersion);

  return withFileLock(clusterLockPath(cluster), `cluster '${cluster}'`, async () => {
    if (options.fresh) await wipeCluster(cluster, common.log);
    let state = readState(cluster);
    if (!state) {
      state = {
        cluster,
        kafkaVersion: kafkaVersion ?? resolveKafkaVersion(undefined),
        clusterId: newClusterId(),
        nodeCount: options.nodes ?? 1,
        basePort: options.basePort ?? DEFAULT_BASE_PORT,
        secure: options.secure ?? false,
        jmx: options.jmx ?? false,
        createdAt: new Date().toISOString(),
      };
      const nodeIds = Array.from({ length: state.nodeCount }, (_, i) => i + 1);
      const { running, security } = await launchNodes({ ...common, state, nodeIds, isNew: true });
      return result(state, running, nodeIds, startedAt, security);
    }
    checkCompatible(state, { nodes: options.nodes, kafkaVersion, secure: options.secure });
    const down = allNodes(state).filter((n) => n.pid === undefined);
    if (options.basePort !== undefined && options.basePort !== state.basePort) {
      if (down.length < state.nodeCount) {
        throw new LocalKafkaError(
          `Cluster '${cluster}' is running on base port ${state.basePort}; stop it first to move it to ${options.basePort}, or drop --port.`,
        );
      }
      state = { ...state, basePort: options.basePort };
    }
    if (options.jmx !== undefined && options.jmx !== state.jmx) {
      // An agent can only be attached (or left off) when a JVM starts.
      if (down.length < state.nodeCount) {
        throw new LocalKafkaError(
          `Cluster '${cluster}' is running ${state.jmx ? 'with' : 'without'} Jolokia agents; stop it first to ${options.jmx ? 'add them with --jmx' : 'start it without them'}.`,
        );
      }
      state = { ...state, jmx: options.jmx };
    }
    if (down.length === 0) {
      return confirmRunning(state, common.timeoutMs, startedAt, common.signal);
    }
    const nodeIds = down.map((n) => n.nodeId);
    const { running, security } = await launchNodes({ ...common, state, nodeIds, isNew: false });
    return result(state, running, nodeIds, startedAt, security);
  });
}

/** Starts one node of an existing cluster again (after `stop --node N` or a crash). */
export async function startNode(options: StartNodeOptions): Promise<StartResult> {
  const startedAt = Date.now();
  const cluster = validateClusterName(options.cluster ?? DEFAULT_CLUSTER);
  const timeoutMs = options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  return withFileLock(clusterLockPath(cluster), `cluster '${cluster}'`, async () => {
    const state = requireState(cluster);
    checkNodeId(state, options.node);
    if (nodeInfo(state, options.node).pid !== undefined) {
      return confirmRunning(state, timeoutMs, startedAt, options.signal);
    }
    const { running, security } = await launchNodes({
      state,
      nodeIds: [options.node],
      isNew: false,
      timeoutMs,
      signal: options.signal,
      log: options.log ?? (() => undefined),
      env: options.env ?? process.env,
    });
    return result(state, running, [options.node], startedAt, security);
  });
}
