/**
 * The launcher's own requests to its Connect worker (readiness, version): plain GETs, or for a
 * secure worker GETs that authenticate and trust only the cluster's CA, as a user's client would.
 */
import http from 'node:http';
import https from 'node:https';

/** How to reach a secure worker: Basic credentials and the CA (PEM text) its certificate chains to. */
export interface ConnectRestAccess {
  username: string;
  password: string;
  ca: string;
}

export interface RestAnswer {
  status: number;
  /** The parsed JSON, or the raw text when it is not JSON. */
  body: unknown;
}

/** Replies the launcher reads are a few hundred bytes; anything past this is not Connect. */
const MAX_REPLY_BYTES = 1_000_000;

/** GET `url`; the status and body, or undefined when nothing answered within `timeoutMs`. */
export function getRestJson(
  url: string,
  access?: ConnectRestAccess,
  timeoutMs = 3_000,
): Promise<RestAnswer | undefined> {
  const target = new URL(url);
  const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
  if (access) {
    const token = Buffer.from(`${access.username}:${access.password}`).toString('base64');
    headers.authorization = `Basic ${token}`;
  }
  return new Promise((resolve) => {
    const onReply = (response: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_REPLY_BYTES) request.destroy(new Error('reply too large'));
        else chunks.push(chunk);
      });
      response.on('error', () => resolve(undefined));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        resolve({ status: response.statusCode ?? 0, body });
      });
    };
    const options = { headers, timeout: timeoutMs, agent: false as const };
    const request =
      target.protocol === 'https:'
        ? // Only the cluster's CA: a worker whose certificate it did not sign is not ready.
          https.get(target, { ...options, ca: access?.ca }, onReply)
        : http.get(target, options, onReply);
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}
