/**
 * A loopback HTTP server standing in for a Connect worker's REST API (and, on another instance,
 * a Jolokia agent): each request is answered by the current `reply` function (at once, or when
 * the promise it returns settles), and every request's method, path and Authorization header is
 * recorded when it arrives.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeReply {
  status?: number;
  /** Sent as JSON unless it is a string (then sent as is). */
  body: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  body: string;
}

export class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  /** Answers a request; replace it between collections to change what the "worker" says. */
  reply: (request: RecordedRequest) => FakeReply | Promise<FakeReply> = () => ({
    status: 404,
    body: {},
  });
  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        authorization: request.headers.authorization,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(recorded);
      void Promise.resolve(this.reply(recorded)).then(({ status = 200, body }) => {
        if (response.destroyed) return; // the client went away while the reply was held
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(typeof body === 'string' ? body : JSON.stringify(body));
      });
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A task as the status API reports it. */
export interface FakeTask {
  id: number;
  state: string;
  worker?: string;
  trace?: string;
}

/** A connector as `GET /connectors?expand=status&expand=info` reports it. */
export interface FakeConnector {
  name: string;
  type: 'source' | 'sink';
  state?: string;
  worker?: string;
  trace?: string;
  tasks: FakeTask[];
  config?: Record<string, string>;
}

export const WORKER = '127.0.0.1:8083';

/** The expanded connectors reply, in the shape Connect 4.x sends it. */
export function connectorsReply(connectors: FakeConnector[]): Record<string, unknown> {
  const reply: Record<string, unknown> = {};
  for (const c of connectors) {
    reply[c.name] = {
      status: {
        name: c.name,
        connector: {
          state: c.state ?? 'RUNNING',
          worker_id: c.worker ?? WORKER,
          ...(c.trace ? { trace: c.trace } : {}),
        },
        tasks: c.tasks.map((t) => ({
          id: t.id,
          state: t.state,
          worker_id: t.worker ?? WORKER,
          ...(t.trace ? { trace: t.trace } : {}),
        })),
        type: c.type,
      },
      info: {
        name: c.name,
        config: { 'connector.class': 'x', name: c.name, ...c.config },
        tasks: c.tasks.map((t) => ({ connector: c.name, task: t.id })),
        type: c.type,
      },
    };
  }
  return reply;
}

/** A worker answering `GET /` and the expanded connectors list with `connectors()`. */
export function connectWorker(connectors: () => unknown): (request: RecordedRequest) => FakeReply {
  return (request) => {
    if (request.path === '/') {
      return { body: { version: '4.3.1', commit: 'abc', kafka_cluster_id: 'cluster-1' } };
    }
    if (request.path === '/connectors?expand=status&expand=info') return { body: connectors() };
    return { status: 404, body: { error_code: 404, message: 'not found' } };
  };
}
