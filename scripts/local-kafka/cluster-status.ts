import {
  allNodes,
  DEFAULT_CLUSTER,
  readState,
  validateClusterName,
  type CommonOptions,
} from './cluster-state';
import { readClusterSecurity, type SecuredClusterSettings } from './cluster-security';
import { jolokiaUrl } from './jolokia-agent';
import { clusterDir } from './paths';
import { HOST } from './ports';

export interface NodeStatus {
  nodeId: number;
  /** True while the node's own JVM runs (pid file checked against the process command line). */
  up: boolean;
  pid: number | undefined;
  address: string;
  brokerPort: number;
  controllerPort: number;
  /** host:port of the SASL_SSL and mTLS listeners, on a secure cluster only. */
  saslSslAddress?: string;
  mtlsAddress?: string;
  logPath: string;
  /** Jolokia base URL of the node, on a cluster started with --jmx. */
  jolokiaUrl?: string;
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
  /** Created with --secure (SASL_SSL and mTLS listeners besides PLAINTEXT). */
  secure: boolean;
  /**
   * How clients reach the secured listeners (every node, up or not), with the passwords; absent
   * on a plain cluster, or when a secure cluster's client-settings.json is missing or unreadable.
   */
  security?: SecuredClusterSettings;
  /** Started with --jmx: a Jolokia agent on every node. */
  jmx: boolean;
  /** Jolokia base URLs of the nodes that are up (like `brokers`), on a --jmx cluster. */
  jolokiaUrls?: string[];
}

/** The state of a cluster and each node, or undefined when no such cluster was created. */
export function clusterStatus(options: CommonOptions = {}): ClusterStatus | undefined {
  const state = readState(validateClusterName(options.cluster ?? DEFAULT_CLUSTER));
  if (!state) return undefined;
  const infos = allNodes(state);
  const nodes = infos.map((n) => ({
    nodeId: n.nodeId,
    up: n.pid !== undefined,
    pid: n.pid,
    address: n.address,
    brokerPort: n.brokerPort,
    controllerPort: n.controllerPort,
    ...(state.secure
      ? { saslSslAddress: `${HOST}:${n.saslSslPort}`, mtlsAddress: `${HOST}:${n.mtlsPort}` }
      : {}),
    logPath: n.logPath,
    ...(state.jmx ? { jolokiaUrl: jolokiaUrl(n.jolokiaPort) } : {}),
  }));

  const security = state.secure ? readClusterSecurity(state) : undefined;
  return {
    cluster: state.cluster,
    kafkaVersion: state.kafkaVersion,
    clusterId: state.clusterId,
    basePort: state.basePort,
    dir: clusterDir(state.cluster),
    nodes,
    brokers: nodes.filter((n) => n.up).map((n) => n.address),
    secure: state.secure,
    ...(security ? { security } : {}),
    jmx: state.jmx,
    ...(state.jmx
      ? {
          jolokiaUrls: infos
            .filter((n) => n.pid !== undefined)
            .map((n) => jolokiaUrl(n.jolokiaPort)),
        }
      : {}),
  };
}
