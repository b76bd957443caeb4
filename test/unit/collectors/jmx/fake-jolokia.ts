/**
 * A loopback stand-in for a Jolokia agent: answers each bulk POST with the answer a table gives
 * for each query's `mbean`, as the real agent 2.6 shapes them (captured from a Kafka 4.4
 * broker). Records what it was sent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentRequest {
  url?: string;
  authorization?: string;
  contentType?: string;
  body: unknown;
}

export class FakeJolokia {
  readonly sent: SentRequest[] = [];
  private server: http.Server | undefined;
  /** While set, replies wait for it to settle (a read still under way). */
  hold: Promise<void> | undefined;
  /** Replaces the whole reply body, for replies that are not an answer per query. */
  rawReply: ((body: unknown) => { status: number; text: string }) | undefined;

  /** `answers`: the answer object per queried `mbean` (anything, for hostile replies); 404 otherwise. */
  constructor(public answers: Record<string, unknown>) {}

  async start(): Promise<string> {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        this.sent.push({
          url: request.url,
          authorization: request.headers.authorization,
          contentType: request.headers['content-type'],
          body,
        });
        void Promise.resolve(this.hold).then(() => {
          if (response.destroyed) return; // the client went away while the reply was held
          const raw = this.rawReply?.(body);
          const status = raw?.status ?? 200;
          const text =
            raw?.text ??
            JSON.stringify((body as Array<{ mbean: string }>).map((query) => this.answer(query)));
          response.writeHead(status, { 'content-type': 'application/json' });
          response.end(text);
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jolokia/`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private answer(query: { mbean: string }): unknown {
    return Object.hasOwn(this.answers, query.mbean)
      ? this.answers[query.mbean]
      : notFound(query.mbean);
  }
}

/** The real agent's answer to a successful read. */
export function ok(value: unknown): unknown {
  return { request: { type: 'read' }, status: 200, timestamp: 1_796_043_124, value };
}

/** The real agent's answer to a query that matches no MBean. */
export function notFound(mbean: string): unknown {
  return {
    request: { mbean, type: 'read' },
    error_type: 'javax.management.InstanceNotFoundException',
    error: `No MBean with pattern ${mbean} found for READ request`,
    status: 404,
  };
}
