/**
 * What a test does to a real Connect worker through its REST API: create, pause, resume and
 * delete connectors. Each call checks the status Connect documents for it, so a test fails at
 * the step that went wrong rather than later at an assertion on metrics.
 */
import net from 'node:net';

export class ConnectAdmin {
  constructor(private readonly url: string) {}

  /** Creates or reconfigures a connector (PUT /connectors/<name>/config). */
  async put(name: string, config: Record<string, string>): Promise<void> {
    await this.call('PUT', `/connectors/${encodeURIComponent(name)}/config`, [200, 201], config);
  }

  async pause(name: string): Promise<void> {
    await this.call('PUT', `/connectors/${encodeURIComponent(name)}/pause`, [202]);
  }

  async resume(name: string): Promise<void> {
    await this.call('PUT', `/connectors/${encodeURIComponent(name)}/resume`, [202]);
  }

  /** Deletes a connector; one already gone is fine (cleanup after a failed test). */
  async delete(name: string): Promise<void> {
    await this.call('DELETE', `/connectors/${encodeURIComponent(name)}`, [204, 404]);
  }

  private async call(
    method: string,
    path: string,
    expected: number[],
    body?: unknown,
  ): Promise<void> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!expected.includes(response.status)) {
      throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
    }
  }
}

/**
 * A loopback TCP relay to the worker's REST port that can be shut: for the collector, exactly
 * a worker whose port stopped answering (connection refused), without stopping the worker the
 * shared `test` cluster's other suites use.
 */
export async function startTcpRelay(target: URL): Promise<{ url: string; shut(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    shut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
