import http from 'node:http';
import https from 'node:https';
import type { ConnectionOptions } from 'node:tls';

/** Why an HTTP exchange gave no usable JSON, in the words the collectors' warnings use. */
export type HttpFailureReason =
  | 'connection_refused'
  | 'connection'
  | 'tls'
  | 'timeout'
  | 'aborted'
  | 'unauthorized'
  | 'status'
  | 'too_large'
  | 'malformed_reply';

/**
 * A failed exchange. The message names the endpoint without its credentials (a URL's user and
 * password are never kept) and, for an error status, the server's own short explanation.
 */
export class HttpJsonError extends Error {
  constructor(
    readonly endpoint: string,
    readonly reason: HttpFailureReason,
    /** What went wrong, without the endpoint: for a line that names the endpoint itself. */
    readonly detail: string,
    readonly status?: number,
  ) {
    super(`${endpoint}: ${detail}`);
    this.name = 'HttpJsonError';
  }
}

/** Where and how to reach an HTTP endpoint serving JSON (Kafka Connect's REST API, Jolokia). */
export interface HttpEndpointOptions {
  /** Base URL, `http://` or `https://`; paths are resolved against it. */
  url: string;
  /** HTTP Basic authentication; both or neither. */
  username?: string;
  password?: string;
  /** TLS for `https://`: `true` (system CAs) or Node's options (ca, cert, key, passphrase). */
  tls?: boolean | ConnectionOptions;
  /** Time for one whole exchange in ms, connect to last byte (default 4000). */
  timeoutMs?: number;
  /** Largest reply body accepted in bytes (default 32 MiB): a hostile server cannot exhaust memory. */
  maxReplyBytes?: number;
  /**
   * False inside an application: idle connections never hold the event loop (they are unref'd
   * between exchanges anyway; this also skips keep-alive so none stays open). Default true.
   */
  keepAlive?: boolean;
}

/** A reply whose body parsed as JSON (or was empty), whatever its status. */
export interface JsonReply {
  status: number;
  /** The parsed body; undefined for an empty one. */
  body: unknown;
}

const DEFAULT_TIMEOUT_MS = 4_000;
const DEFAULT_MAX_REPLY_BYTES = 32 * 1024 * 1024;
/** The most of a server's error explanation kept in a message: enough to act on, never a page. */
const MAX_DETAIL_CHARS = 300;

/**
 * The JSON-over-HTTP client of the Connect and JMX collectors: one keep-alive agent per
 * endpoint, Basic authentication, TLS, and every failure (refused, TLS, timeout, an error
 * status, an oversized or malformed body) turned into an {@link HttpJsonError} naming the
 * endpoint — never its credentials. Redirects are not followed: a collector pointed at a login
 * page should say so, not read it.
 */
export class HttpJsonClient {
  /** The endpoint as messages name it: scheme, host, port and path, no user or password. */
  readonly endpoint: string;
  private readonly base: URL;
  private readonly authorization: string | undefined;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  private readonly maxReplyBytes: number;

  constructor(private readonly options: HttpEndpointOptions) {
    const base = parseBaseUrl(options.url);
    const username = options.username ?? decodeURIComponent(base.username);
    const password = options.password ?? decodeURIComponent(base.password);
    base.username = '';
    base.password = '';
    this.base = base;
    this.endpoint = `${base.origin}${base.pathname === '/' ? '' : base.pathname}`;
    if (!username !== !password) {
      throw new TypeError(
        `${this.endpoint}: a username needs a password and a password a username`,
      );
    }
    this.authorization = username
      ? `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`
      : undefined;
    this.timeoutMs = positive(options.timeoutMs, 'timeoutMs') ?? DEFAULT_TIMEOUT_MS;
    this.maxReplyBytes =
      positive(options.maxReplyBytes, 'maxReplyBytes') ?? DEFAULT_MAX_REPLY_BYTES;
    const keepAlive = options.keepAlive !== false;
    const tls = typeof options.tls === 'object' ? options.tls : {};
    this.agent =
      base.protocol === 'https:'
        ? new https.Agent({ keepAlive, maxSockets: 4, ...tls })
        : new http.Agent({ keepAlive, maxSockets: 4 });
  }

  /** GET `path` (relative to the base URL). */
  get(path: string, signal?: AbortSignal): Promise<JsonReply> {
    return this.exchange('GET', path, undefined, signal);
  }

  /** POST `body` as JSON to `path`. */
  post(path: string, body: unknown, signal?: AbortSignal): Promise<JsonReply> {
    return this.exchange('POST', path, JSON.stringify(body), signal);
  }

  /** GET that accepts only a 2xx reply: another status becomes an HttpJsonError. */
  async getOk(path: string, signal?: AbortSignal): Promise<unknown> {
    return okBody(this.endpoint, await this.get(path, signal));
  }

  /** POST that accepts only a 2xx reply. */
  async postOk(path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    return okBody(this.endpoint, await this.post(path, body, signal));
  }

  /** Closes the idle connections. */
  close(): void {
    this.agent.destroy();
  }

  private exchange(
    method: 'GET' | 'POST',
    path: string,
    payload: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<JsonReply> {
    const target = new URL(path.replace(/^\//, ''), withTrailingSlash(this.base));
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (this.authorization) headers.authorization = this.authorization;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    const send = target.protocol === 'https:' ? https.request : http.request;
    return new Promise<JsonReply>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new HttpJsonError(this.endpoint, 'aborted', 'stopped waiting: the deadline passed'));
        return;
      }
      let settled = false;
      const finish = (error: HttpJsonError | undefined, reply?: JsonReply): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) {
          request.destroy();
          reject(error);
        } else resolve(reply as JsonReply);
      };
      const request = send(target, { method, headers, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxReplyBytes) {
            finish(
              new HttpJsonError(
                this.endpoint,
                'too_large',
                `reply larger than ${this.maxReplyBytes} bytes (maxReplyBytes)`,
                response.statusCode,
              ),
            );
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', (error) => finish(this.failure(error)));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          const parsed = parseJson(text);
          if (parsed.ok) return finish(undefined, { status, body: parsed.value });
          if (status >= 200 && status < 300) {
            return finish(
              new HttpJsonError(this.endpoint, 'malformed_reply', 'the reply is not JSON', status),
            );
          }
          finish(statusError(this.endpoint, status, text));
        });
      });
      const timer = setTimeout(
        () =>
          finish(
            new HttpJsonError(
              this.endpoint,
              'timeout',
              `no complete reply within ${this.timeoutMs} ms`,
            ),
          ),
        this.timeoutMs,
      );
      // The timer must not keep an application alive on its own; the request does while it runs.
      timer.unref();
      const onAbort = (): void =>
        finish(new HttpJsonError(this.endpoint, 'aborted', 'stopped waiting: the deadline passed'));
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error) => finish(this.failure(error)));
      request.end(payload);
    });
  }

  private failure(error: Error): HttpJsonError {
    const code = (error as { code?: unknown }).code;
    if (code === 'ECONNREFUSED') {
      return new HttpJsonError(this.endpoint, 'connection_refused', 'connection refused');
    }
    if (typeof code === 'string' && TLS_CODE.test(code)) {
      return new HttpJsonError(this.endpoint, 'tls', `TLS failed: ${error.message}`);
    }
    return new HttpJsonError(this.endpoint, 'connection', error.message);
  }
}

/** Node's codes for a failed TLS handshake (OpenSSL verification results and alerts). */
const TLS_CODE =
  /^(ERR_SSL_|ERR_TLS_|ERR_OSSL_|CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|HOSTNAME_MISMATCH|EPROTO)/;

/**
 * The base URL. Neither message quotes it: it may hold credentials, and a password with a `/`
 * in it parses as a host and a path (`http://user:12/secret@host`), which is refused too.
 */
function parseBaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('the URL does not parse: expected http(s)://host:port[/path]');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`${parsed.protocol}// is not supported (http:// or https://)`);
  }
  if (`${parsed.pathname}${parsed.search}${parsed.hash}`.includes('@')) {
    throw new TypeError(
      'an @ after the host: give the username and password as options, not in the URL',
    );
  }
  return parsed;
}

function withTrailingSlash(base: URL): URL {
  const copy = new URL(base.href);
  if (!copy.pathname.endsWith('/')) copy.pathname += '/';
  return copy;
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0)
    throw new TypeError(`${name} must be a positive number`);
  return value;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function okBody(endpoint: string, reply: JsonReply): unknown {
  if (reply.status >= 200 && reply.status < 300) return reply.body;
  const message = (reply.body as { message?: unknown } | undefined)?.message;
  throw statusError(endpoint, reply.status, typeof message === 'string' ? message : '');
}

function statusError(endpoint: string, status: number, explanation: string): HttpJsonError {
  const reason: HttpFailureReason = status === 401 || status === 403 ? 'unauthorized' : 'status';
  const detail = oneLine(explanation);
  return new HttpJsonError(
    endpoint,
    reason,
    `HTTP ${status}${reason === 'unauthorized' ? ' (check the username and password)' : ''}${detail ? `: ${detail}` : ''}`,
    status,
  );
}

/** A server's explanation as one short line: HTML and stack traces do not belong in a warning. */
function oneLine(text: string): string {
  const line = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > MAX_DETAIL_CHARS ? `${line.slice(0, MAX_DETAIL_CHARS)}…` : line;
}
