import {
  allNodes,
  DEFAULT_CLUSTER,
  readState,
  validateClusterName,
  type CommonOptions,
} from './cluster-state';
import { clusterDir } from './paths';

export interface NodeStatus {
  nodeId: number;
  /** True while the node's own JVM runs (pid file checked against the process command line). */
  up: boolean;
  pid: number | undefined;
  address: string;
  brokerPort: number;
  controllerPort: number;
  logPath: string;
}

export interface ClusterStatus {
  cluster: string;
  kafkaVersion: string;
  clusterId: string;
  basePort: number;
  dir: string;
  nodes: NodeStatus[];
  /** Addresses of the nodes that are up. */
  brokers: string[];
}

/** The state of a cluster and each node, or undefined when no such cluster was created. */
export function clusterStatus(options: CommonOptions = {}): ClusterStatus | undefined {
  const state = readState(validateClusterName(options.cluster ?? DEFAULT_CLUSTER));
  if (!state) return undefined;
  const nodes = allNodes(state).map((n) => ({
    nodeId: n.nodeId,
    up: n.pid !== undefined,
    pid: n.pid,
    address: n.address,
    brokerPort: n.brokerPort,
    controllerPort: n.controllerPort,
    logPath: n.logPath,
  }));
  return {
    cluster: state.cluster,
    kafkaVersion: state.kafkaVersion,
    clusterId: state.clusterId,
    basePort: state.basePort,
    dir: clusterDir(state.cluster),
    nodes,
    brokers: nodes.filter((n) => n.up).map((n) => n.address),
  };
}
