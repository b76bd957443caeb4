import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileSize } from '../local-kafka/log-file';
import { isAlive } from '../local-kafka/process-control';
import { OtelStackError } from './errors';

export type ServiceName = 'collector' | 'jaeger' | 'prometheus';

/** How to start one service of the stack. */
export interface ServiceSpec {
  name: ServiceName;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logPath: string;
}

/** A started service, as recorded in the stack's state file. */
export interface ServiceProcess {
  name: ServiceName;
  pid: number;
  /** The exact command line: checked before any signal, so a reused pid is never killed. */
  argv: string[];
  logPath: string;
  /** Where this run's output starts in the (appended) log. */
  logOffset: number;
}

/**
 * Starts a service that outlives the launcher (so `npm run otel-stack -- start` can return):
 * its own process group, so Ctrl+C in the terminal does not reach it, output appended to its
 * log, unref'd so Node can exit.
 */
export function spawnService(spec: ServiceSpec): ServiceProcess {
  const logOffset = fileSize(spec.logPath);
  const fd = fs.openSync(spec.logPath, 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    // Without a listener a failed exec would crash the launcher instead of being reported.
    child.on('error', () => undefined);
    if (child.pid === undefined) {
      throw new OtelStackError(
        `Could not start ${spec.name} (${spec.command}); see ${spec.logPath}.`,
      );
    }
    child.unref();
    return {
      name: spec.name,
      pid: child.pid,
      argv: [spec.command, ...spec.args],
      logPath: spec.logPath,
      logOffset,
    };
  } finally {
    fs.closeSync(fd);
  }
}

function commandLine(pid: number): string[] | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw === '' ? undefined : raw.split('\0').filter((arg) => arg !== '');
  } catch {
    return undefined;
  }
}

/** True while `pid` is alive and still runs exactly the recorded command line. */
export function isServiceRunning(service: Pick<ServiceProcess, 'pid' | 'argv'>): boolean {
  if (!isAlive(service.pid)) return false;
  const args = commandLine(service.pid);
  // Without /proc (macOS) only liveness can be checked.
  if (args === undefined) return !fs.existsSync('/proc/self/cmdline');
  return args.length === service.argv.length && args.every((arg, i) => arg === service.argv[i]);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

export type StopOutcome = 'stopped' | 'killed' | 'not-running';

/**
 * SIGTERM (all three flush and close their listeners in well under a second), then SIGKILL
 * after `graceMs`. The identity is re-checked before each signal.
 */
export async function stopService(service: ServiceProcess, graceMs = 10_000): Promise<StopOutcome> {
  if (!isServiceRunning(service)) return 'not-running';
  signal(service.pid, 'SIGTERM');
  if (await waitForExit(service.pid, graceMs)) return 'stopped';
  if (!isServiceRunning(service)) return 'stopped';
  signal(service.pid, 'SIGKILL');
  if (!(await waitForExit(service.pid, 10_000))) {
    throw new OtelStackError(`${service.name} (pid ${service.pid}) survived SIGKILL.`);
  }
  return 'killed';
}
