/** One timed `GET /metrics` on loopback: wall time to the last byte, size and series count. */
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

export async function scrape(url: string, timeoutMs: number, signal: AbortSignal): Promise<Scrape> {
  const started = process.hrtime.bigint();
  let response: Response;
  let body: Buffer;
  try {
    response = await fetch(url, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    if (signal.aborted) throw new InterruptedError();
    throw new BenchError(`GET ${url} failed: ${(error as Error).message}`);
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (!response.ok) throw new BenchError(`GET ${url} answered ${response.status}.`);
  const text = body.toString('utf8');
  return { wallMs, bytes: body.length, series: countSeries(text), text, endedAt: Date.now() };
}
