import net from 'node:net';
import { LocalKafkaError } from './errors';

/** Everything listens on loopback only: a test cluster must never be reachable from the network. */
export const HOST = '127.0.0.1';
export const DEFAULT_BASE_PORT = 19092;
/** Controllers sit this far above the brokers so both ranges stay readable (19092 / 19192). */
export const CONTROLLER_PORT_OFFSET = 100;
export const MAX_NODES = 3;

export interface NodePorts {
  nodeId: number;
  brokerPort: number;
  controllerPort: number;
}

/** Node N (1-based) listens on BASE + N - 1 for clients and BASE + 100 + N - 1 for the quorum. */
export function nodePorts(basePort: number, nodeId: number): NodePorts {
  return {
    nodeId,
    brokerPort: basePort + nodeId - 1,
    controllerPort: basePort + CONTROLLER_PORT_OFFSET + nodeId - 1,
  };
}

export function clusterPorts(basePort: number, nodeCount: number): NodePorts[] {
  return Array.from({ length: nodeCount }, (_, i) => nodePorts(basePort, i + 1));
}

export function brokerAddress(basePort: number, nodeId: number): string {
  return `${HOST}:${nodePorts(basePort, nodeId).brokerPort}`;
}

/** Returns an error text when BASE leaves no room for the broker and controller ranges. */
export function basePortProblem(basePort: number): string | undefined {
  const highest = basePort + CONTROLLER_PORT_OFFSET + MAX_NODES - 1;
  if (!Number.isInteger(basePort) || basePort < 1024 || highest > 65535) {
    return `--port must be an integer from 1024 to ${65535 - CONTROLLER_PORT_OFFSET - MAX_NODES + 1} (the controllers use BASE+100..BASE+102).`;
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

/**
 * Fails before any JVM starts when a port is taken, naming the port, node and role, because
 * Kafka's own BindException would only show up deep in a log file.
 * `ownerOf` may name another local cluster that owns the port, for a more precise hint.
 */
export async function assertPortsFree(
  nodes: NodePorts[],
  ownerOf: (port: number) => string | undefined = () => undefined,
): Promise<void> {
  for (const node of nodes) {
    for (const [role, port] of [
      ['broker', node.brokerPort],
      ['controller', node.controllerPort],
    ] as const) {
      if (await isPortFree(port)) continue;
      const owner = ownerOf(port);
      throw new LocalKafkaError(
        [
          `Port ${port} (node ${node.nodeId}, ${role} listener) is already in use on ${HOST}.`,
          owner
            ? `It belongs to ${owner},`
            : `Find the process with \`ss -ltnp 'sport = :${port}'\` or \`lsof -iTCP:${port} -sTCP:LISTEN\` and stop it,`,
          `or pick other ports with --port BASE (node N uses BASE+N-1 and BASE+100+N-1; default ${DEFAULT_BASE_PORT}).`,
        ].join('\n'),
      );
    }
  }
}
