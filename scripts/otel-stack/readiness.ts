import { setTimeout as sleep } from 'node:timers/promises';
import { readFrom, tailLines } from '../local-kafka/log-file';
import { isAlive } from '../local-kafka/process-control';
import { OtelStackError, throwIfAborted } from './errors';
import type { ServiceProcess } from './service-process';

export interface HttpProbe {
  url: string;
  /** Whether the answer means "ready" (default: any 2xx). */
  accept?: (status: number, body: string) => boolean;
}

async function probeOnce(probe: HttpProbe): Promise<string | undefined> {
  try {
    const response = await fetch(probe.url, { signal: AbortSignal.timeout(2_000) });
    const body = await response.text();
    const ok = probe.accept ? probe.accept(response.status, body) : response.ok;
    return ok ? undefined : `HTTP ${response.status} ${body.slice(0, 200).trim()}`;
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
    return cause ?? (error as Error).message;
  }
}

function failure(service: ServiceProcess, reason: string): OtelStackError {
  const log = readFrom(service.logPath, service.logOffset);
  const bind = /address already in use|bind:/i.test(log)
    ? '\nIt could not bind one of its ports: another process took it; start again (a free block is searched) or pick --port.'
    : '';
  return new OtelStackError(
    `${service.name} (pid ${service.pid}) ${reason}.${bind}\nLast lines of ${service.logPath}:\n${tailLines(service.logPath, 30)}`,
  );
}

/**
 * Polls the service's health/API endpoints until all of them answer as ready. Fails at once
 * when the process exits (bad config, taken port) instead of waiting out the deadline.
 */
export async function waitUntilReady(
  service: ServiceProcess,
  probes: HttpProbe[],
  deadline: number,
  signal?: AbortSignal,
): Promise<void> {
  for (;;) {
    throwIfAborted(signal);
    const problems = (await Promise.all(probes.map(probeOnce)))
      .map((problem, i) => (problem ? `${probes[i]?.url}: ${problem}` : undefined))
      .filter((p): p is string => p !== undefined);
    if (problems.length === 0) return;
    if (!isAlive(service.pid)) throw failure(service, 'exited during startup');
    if (Date.now() >= deadline) {
      throw failure(service, `was not ready in time (${problems.join('; ')})`);
    }
    await sleep(200);
  }
}
