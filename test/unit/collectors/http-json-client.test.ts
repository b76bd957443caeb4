import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpJsonClient, HttpJsonError } from '../../../src/collectors/http/http-json-client';

type Handler = (request: http.IncomingMessage, body: string, response: http.ServerResponse) => void;

const servers: http.Server[] = [];
const clients: HttpJsonClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

/** A loopback server answering with `handler`; resolves with its base URL. */
async function serve(handler: Handler): Promise<string> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handler(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(options: ConstructorParameters<typeof HttpJsonClient>[0]): HttpJsonClient {
  const made = new HttpJsonClient(options);
  clients.push(made);
  return made;
}

function json(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function failure(promise: Promise<unknown>): Promise<HttpJsonError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HttpJsonError);
  return error as HttpJsonError;
}

describe('HttpJsonClient', () => {
  it('resolves paths under the base path and sends Basic credentials and JSON bodies', async () => {
    const seen: Array<{ method?: string; url?: string; auth?: string; body: string }> = [];
    const url = await serve((request, body, response) => {
      seen.push({
        method: request.method,
        url: request.url,
        auth: request.headers.authorization,
        body,
      });
      json(response, 200, { ok: true });
    });
    const api = client({ url: `${url}/base`, username: 'ops', password: 's3cret' });
    expect(await api.getOk('/connectors?expand=status')).toEqual({ ok: true });
    expect(await api.postOk('read', [{ type: 'read' }])).toEqual({ ok: true });
    expect(seen).toEqual([
      {
        method: 'GET',
        url: '/base/connectors?expand=status',
        auth: `Basic ${Buffer.from('ops:s3cret').toString('base64')}`,
        body: '',
      },
      {
        method: 'POST',
        url: '/base/read',
        auth: `Basic ${Buffer.from('ops:s3cret').toString('base64')}`,
        body: '[{"type":"read"}]',
      },
    ]);
  });

  it('takes credentials from the URL and never names them', async () => {
    let auth: string | undefined;
    const url = await serve((request, _body, response) => {
      auth = request.headers.authorization;
      json(response, 401, { error_code: 401, message: 'Unauthorized' });
    });
    const withUser = url.replace('http://', 'http://admin:hunter2@');
    const api = client({ url: withUser });
    const error = await failure(api.getOk('/'));
    expect(auth).toBe(`Basic ${Buffer.from('admin:hunter2').toString('base64')}`);
    expect(error.reason).toBe('unauthorized');
    expect(error.status).toBe(401);
    expect(error.message).toBe(`${url}: HTTP 401 (check the username and password): Unauthorized`);
    expect(error.message).not.toContain('hunter2');
    expect(api.endpoint).not.toContain('admin');
  });

  it('rejects a username without a password, and a URL that is not http(s)', () => {
    expect(() => new HttpJsonClient({ url: 'http://127.0.0.1:1', username: 'u' })).toThrow(
      'a username needs a password',
    );
    expect(() => new HttpJsonClient({ url: 'ftp://127.0.0.1:1' })).toThrow(TypeError);
    expect(() => new HttpJsonClient({ url: 'not a url user:pw@x' })).toThrow(TypeError);
    // A password holding `/` parses as host `admin`, port 12 and a path: refused, never quoted.
    for (const url of ['http://admin:12/secret@connect:8083', 'http://admin:s3cr/et@[bad']) {
      expect(() => new HttpJsonClient({ url })).toThrow(TypeError);
      try {
        new HttpJsonClient({ url });
      } catch (error) {
        expect((error as Error).message).not.toMatch(/secret|s3cr/);
      }
    }
    expect(() => new HttpJsonClient({ url: 'http://127.0.0.1:1', timeoutMs: 0 })).toThrow(
      'timeoutMs',
    );
  });

  it('answers any status with its parsed body, and an error status as an HttpJsonError', async () => {
    const url = await serve((_request, _body, response) =>
      json(response, 404, { error_code: 404, message: 'Connector gone not found' }),
    );
    const api = client({ url });
    expect(await api.get('/connectors/gone')).toEqual({
      status: 404,
      body: { error_code: 404, message: 'Connector gone not found' },
    });
    const error = await failure(api.getOk('/connectors/gone'));
    expect([error.reason, error.status, error.message]).toEqual([
      'status',
      404,
      `${url}: HTTP 404: Connector gone not found`,
    ]);
  });

  it('turns an HTML error page into one short line', async () => {
    const page = `<html><body><h1>Bad gateway</h1>${'x'.repeat(2000)}</body></html>`;
    const url = await serve((_request, _body, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end(page);
    });
    const error = await failure(client({ url }).getOk('/'));
    expect(error.reason).toBe('status');
    expect(error.message.startsWith(`${url}: HTTP 502: Bad gateway x`)).toBe(true);
    expect(error.message.length).toBeLessThan(url.length + 330);
  });

  it('calls a 2xx body that is not JSON malformed', async () => {
    const url = await serve((_request, _body, response) => {
      response.writeHead(200);
      response.end('{"half": ');
    });
    const error = await failure(client({ url }).getOk('/'));
    expect([error.reason, error.message]).toEqual([
      'malformed_reply',
      `${url}: the reply is not JSON`,
    ]);
  });

  it('stops reading a reply past maxReplyBytes', async () => {
    const url = await serve((_request, _body, response) => {
      response.writeHead(200);
      response.write(`[${'1,'.repeat(4096)}`);
      setTimeout(() => response.end('1]'), 50);
    });
    const error = await failure(client({ url, maxReplyBytes: 1024 }).getOk('/'));
    expect(error.reason).toBe('too_large');
    expect(error.message).toBe(`${url}: reply larger than 1024 bytes (maxReplyBytes)`);
  });

  it('gives up on a server that never answers, at the timeout', async () => {
    const url = await serve(() => undefined);
    const error = await failure(client({ url, timeoutMs: 100 }).getOk('/'));
    expect([error.reason, error.message]).toEqual([
      'timeout',
      `${url}: no complete reply within 100 ms`,
    ]);
  });

  it('stops waiting when the signal fires, and before sending when it already has', async () => {
    const url = await serve(() => undefined);
    const api = client({ url, timeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = failure(api.getOk('/', controller.signal));
    setTimeout(() => controller.abort(), 20);
    expect((await pending).reason).toBe('aborted');
    expect((await failure(api.getOk('/', controller.signal))).reason).toBe('aborted');
  });

  it('says a closed port was refused', async () => {
    const url = await serve(() => undefined);
    const closed = servers.pop()!;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(client({ url }).getOk('/'));
    expect([error.reason, error.message]).toEqual([
      'connection_refused',
      `${url}: connection refused`,
    ]);
  });
});
