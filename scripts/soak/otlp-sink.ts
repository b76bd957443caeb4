import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the sink received on one OTLP path. */
export interface SinkTotals {
  requests: number;
  bytes: number;
}

/**
 * A loopback OTLP/HTTP receiver that accepts everything and keeps only counts. The app exports
 * its spans here, so the whole span pipeline (batch processor, protobuf encoding, HTTP export)
 * runs as in production, without a console exporter's output or a dead endpoint's retries and
 * warnings. An empty 200 answer is a valid OTLP response for every signal.
 */
export class OtlpSink {
  private readonly totals = new Map<string, SinkTotals>();
  private readonly server: Server = createServer((request, response) => {
    let bytes = 0;
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => {
      const path = (request.url ?? '/').split('?')[0]!;
      const totals = this.totals.get(path) ?? { requests: 0, bytes: 0 };
      totals.requests += 1;
      totals.bytes += bytes;
      this.totals.set(path, totals);
      response.writeHead(200, { 'content-type': 'application/x-protobuf' });
      response.end();
    });
  });

  /** Listens on a free loopback port and returns the base URL (`http://127.0.0.1:PORT`). */
  async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', resolve);
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Totals per path (`/v1/traces`, ...) so far. */
  received(): Record<string, SinkTotals> {
    return Object.fromEntries([...this.totals].map(([path, t]) => [path, { ...t }]));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
