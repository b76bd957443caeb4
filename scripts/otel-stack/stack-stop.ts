import { stackLockPath } from './paths';
import { withFileLock } from '../local-kafka/file-lock';
import { readStackState, validateStackName, writeStackState, DEFAULT_STACK } from './stack-state';
import {
  stopService,
  type ServiceName,
  type ServiceProcess,
  type StopOutcome,
} from './service-process';

export interface StopStackOptions {
  name?: string;
  /** SIGTERM grace before SIGKILL (default 10 s). */
  graceMs?: number;
  log?: (line: string) => void;
}

export type StopReport = Array<{ service: ServiceName; pid: number; outcome: StopOutcome }>;

/** Stops services in parallel; each is checked to still be the recorded process first. */
export async function stopServices(
  services: ServiceProcess[],
  graceMs = 10_000,
): Promise<StopReport> {
  return Promise.all(
    services.map(async (s) => ({
      service: s.name,
      pid: s.pid,
      outcome: await stopService(s, graceMs),
    })),
  );
}

/**
 * Stops every service of a stack. The state file stays (without pids) so the next start
 * reuses the same ports when they are free: the URLs a user noted keep working.
 */
export async function stopStack(options: StopStackOptions = {}): Promise<StopReport> {
  const name = validateStackName(options.name ?? DEFAULT_STACK);
  return withFileLock(stackLockPath(name), `otel stack '${name}'`, async () => {
    const state = readStackState(name);
    if (!state) return [];
    // Jaeger last: the Collector flushes its last traces to it on the way down.
    const { jaeger, ...front } = state.services;
    const report = await stopServices(Object.values(front), options.graceMs);
    if (jaeger) report.push(...(await stopServices([jaeger], options.graceMs)));
    for (const line of report) {
      if (line.outcome === 'killed')
        options.log?.(`${line.service} ignored SIGTERM and was killed.`);
    }
    writeStackState({ ...state, services: {} });
    return report;
  });
}
