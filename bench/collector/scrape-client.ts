/**
 * One timed `GET /metrics` on loopback: wall time to the last byte, size and series count. Each
 * request opens its own connection: a kept-alive one, reused just as the server's keep-alive
 * timeout closes it, fails the request ("other side closed"), and a retry would take another
 * snapshot.
 */
import http from 'node:http';
import { BenchError, InterruptedError } from '../errors';
import { countSeries } from './exposition';

export interface Scrape {
  /** From sending the request to having read the whole body. */
  wallMs: number;
  bytes: number;
  series: number;
  text: string;
  /** When the body was read (Date.now()). */
  endedAt: number;
}

function get(url: string, timeoutMs: number, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, signal, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        if (response.statusCode !== 200) {
          reject(new Error(`answered ${response.statusCode}`));
        } else {
          resolve(Buffer.concat(chunks));
        }
      });
    });
    request.on('timeout', () => request.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
    request.on('error', reject);
  });
}

export async function scrape(url: string, timeoutMs: number, signal: AbortSignal): Promise<Scrape> {
  const started = process.hrtime.bigint();
  let body: Buffer;
  try {
    body = await get(url, timeoutMs, signal);
  } catch (error) {
    if (signal.aborted) throw new InterruptedError();
    throw new BenchError(`GET ${url} failed: ${(error as Error).message}`);
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const text = body.toString('utf8');
  return { wallMs, bytes: body.length, series: countSeries(text), text, endedAt: Date.now() };
}
