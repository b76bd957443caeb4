import net from 'node:net';
import { LocalKafkaError } from './errors';

/** Everything listens on loopback only: a test cluster must never be reachable from the network. */
export const HOST = '127.0.0.1';
export const DEFAULT_BASE_PORT = 19092;
/** A secure cluster's SASL_SSL listeners sit this far above the brokers (19092 / 19102). */
export const SASL_SSL_PORT_OFFSET = 10;
/** A secure cluster's mTLS (SSL, client certificate required) listeners (19092 / 19112). */
export const MTLS_PORT_OFFSET = 20;
/**
 * With --jmx, node N's Jolokia agent answers on BASE + 60 + N - 1 (19092 / 19152): above the
 * Connect worker's ports (BASE+50, BASE+51), below the controllers.
 */
export const JOLOKIA_PORT_OFFSET = 60;
/** The cluster's Connect worker: REST API on BASE + 50, its Jolokia agent on BASE + 51. */
export const CONNECT_REST_PORT_OFFSET = 50;
export const CONNECT_JOLOKIA_PORT_OFFSET = 51;
/** Controllers sit this far above the brokers so both ranges stay readable (19092 / 19192). */
export const CONTROLLER_PORT_OFFSET = 100;
export const MAX_NODES = 3;

export interface NodePorts {
  nodeId: number;
  brokerPort: number;
  controllerPort: number;
  /** SASL_SSL client listener; bound only by secure clusters. */
  saslSslPort: number;
  /** SSL listener requiring a client certificate; bound only by secure clusters. */
  mtlsPort: number;
  /** Jolokia agent (HTTP); bound only by clusters started with --jmx. */
  jolokiaPort: number;
}

/**
 * Node N (1-based) listens on BASE + N - 1 for clients and BASE + 100 + N - 1 for the quorum;
 * a secure cluster adds SASL_SSL on BASE + 10 + N - 1 and mTLS on BASE + 20 + N - 1.
 */
export function nodePorts(basePort: number, nodeId: number): NodePorts {
  return {
    nodeId,
    brokerPort: basePort + nodeId - 1,
    controllerPort: basePort + CONTROLLER_PORT_OFFSET + nodeId - 1,
    saslSslPort: basePort + SASL_SSL_PORT_OFFSET + nodeId - 1,
    mtlsPort: basePort + MTLS_PORT_OFFSET + nodeId - 1,
    jolokiaPort: basePort + JOLOKIA_PORT_OFFSET + nodeId - 1,
  };
}

export function clusterPorts(basePort: number, nodeCount: number): NodePorts[] {
  return Array.from({ length: nodeCount }, (_, i) => nodePorts(basePort, i + 1));
}

export function brokerAddress(basePort: number, nodeId: number): string {
  return `${HOST}:${nodePorts(basePort, nodeId).brokerPort}`;
}

/** What a port is for, in messages about it. */
export type ListenerRole = 'broker' | 'controller' | 'SASL_SSL' | 'mTLS' | 'Jolokia';

/** Which optional listeners a cluster's nodes bind besides broker and controller. */
export interface ListenerOptions {
  /** SASL_SSL and mTLS listeners (a --secure cluster). */
  secure?: boolean;
  /** A Jolokia agent per node (a --jmx cluster). */
  jmx?: boolean;
}

/** The ports one node binds, with their roles: the optional ones only when the cluster has them. */
export function boundPorts(
  node: NodePorts,
  secure: boolean,
  jmx = false,
): Array<[ListenerRole, number]> {
  const ports: Array<[ListenerRole, number]> = [['broker', node.brokerPort]];
  if (secure) ports.push(['SASL_SSL', node.saslSslPort], ['mTLS', node.mtlsPort]);
  if (jmx) ports.push(['Jolokia', node.jolokiaPort]);
  ports.push(['controller', node.controllerPort]);
  return ports;
}

/**
 * Returns an error text when BASE leaves no room for the port ranges. The controllers' range is
 * the highest whether or not the cluster is secure (the secured listeners sit between brokers and
 * controllers, and three nodes never make two ranges overlap), so one check fits both kinds.
 */
export function basePortProblem(basePort: number): string | undefined {
  const highest = basePort + CONTROLLER_PORT_OFFSET + MAX_NODES - 1;
  if (!Number.isInteger(basePort) || basePort < 1024 || highest > 65535) {
    return (
      `--port must be an integer from 1024 to ${65535 - CONTROLLER_PORT_OFFSET - MAX_NODES + 1} ` +
      `(the controllers use BASE+100..BASE+102; a --secure cluster also BASE+10.. and BASE+20..).`
    );
  }
  return undefined;
}

/**
 * True when nothing listens on HOST:port. Binding is the only reliable test: connecting would
 * miss sockets that are bound but not accepting, and lsof/ss are not everywhere.
 */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: HOST, port, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

export interface PortCheckOptions extends ListenerOptions {
  /** May name another local cluster that owns a port, for a more precise hint. */
  ownerOf?: (port: number) => string | undefined;
}

/**
 * Fails before any JVM starts when a port is taken, naming the port, node and role, because
 * Kafka's own BindException would only show up deep in a log file.
 */
export async function assertPortsFree(
  nodes: NodePorts[],
  options: PortCheckOptions = {},
): Promise<void> {
  const secure = options.secure ?? false;
  for (const node of nodes) {
    for (const [role, port] of boundPorts(node, secure, options.jmx)) {
      if (await isPortFree(port)) continue;
      const owner = options.ownerOf?.(port);
      const layout =
        'node N uses BASE+N-1' +
        (secure ? ', BASE+10+N-1 (SASL_SSL), BASE+20+N-1 (mTLS)' : '') +
        (options.jmx ? ', BASE+60+N-1 (Jolokia)' : '') +
        ' and BASE+100+N-1';
      throw new LocalKafkaError(
        [
          `Port ${port} (node ${node.nodeId}, ${role} listener) is already in use on ${HOST}.`,
          owner
            ? `It belongs to ${owner},`
            : `Find the process with \`ss -ltnp 'sport = :${port}'\` or \`lsof -iTCP:${port} -sTCP:LISTEN\` and stop it,`,
          `or pick other ports with --port BASE (${layout}; default ${DEFAULT_BASE_PORT}).`,
        ].join('\n'),
      );
    }
  }
}
