import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalKafkaError } from './errors';

/**
 * The command line of a process as separate arguments, or undefined when it is gone.
 * Linux: /proc/<pid>/cmdline (NUL-separated). Elsewhere (macOS): `ps`, joined by spaces.
 */
function commandLine(pid: number): string[] | undefined {
  if (fs.existsSync('/proc/self/cmdline')) {
    try {
      const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return raw === '' ? undefined : raw.split('\0').filter((a) => a !== '');
    } catch {
      return undefined;
    }
  }
  try {
    const out = execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    return out.trim() === '' ? undefined : [out.trim()];
  } catch {
    return undefined;
  }
}

/**
 * True while the process exists and is not a zombie. A JVM we spawned ourselves (vitest global
 * setup) stays a zombie until Node reaps it, and a zombie has finished its work.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the parenthesised command name, which may itself hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return !fs.existsSync('/proc/self/stat');
  }
}

/**
 * True when `pid` is the JVM of this node: its command line names the node's own properties file,
 * an absolute path unique to cluster and node. Checked before every signal so that a pid file
 * left behind after a reboot can never make us kill an unrelated process that got the same pid.
 */
export function isNodeProcess(pid: number, propertiesPath: string): boolean {
  if (!isAlive(pid)) return false;
  const args = commandLine(pid);
  if (!args) return false;
  return args.length === 1
    ? (args[0] ?? '').includes(propertiesPath)
    : args.includes(propertiesPath);
}

/** The pid recorded in a pid file, if it still belongs to the node's JVM. */
export function runningNodePid(pidPath: string, propertiesPath: string): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidPath, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return isNodeProcess(pid, propertiesPath) ? pid : undefined;
}

export interface SpawnJvmOptions {
  java: string;
  jvmArgs: string[];
  mainClass: string;
  args: string[];
  cwd: string;
  logPath: string;
}

/**
 * Starts a JVM that outlives the launcher: its own process group (so Ctrl+C in the terminal does
 * not reach it), stdout/stderr appended to the node's log, and unref'd so Node can exit.
 */
export function spawnDetachedJvm(options: SpawnJvmOptions): number {
  const fd = fs.openSync(options.logPath, 'a');
  try {
    const child = spawn(options.java, [...options.jvmArgs, options.mainClass, ...options.args], {
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    // Without a listener a failed exec would crash the launcher instead of being reported.
    child.on('error', () => undefined);
    if (child.pid === undefined) {
      throw new LocalKafkaError(`Could not start ${options.java} (see ${options.logPath}).`);
    }
    child.unref();
    return child.pid;
  } finally {
    fs.closeSync(fd);
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

/** Sends a signal, ignoring a process that exited in between (the race is harmless). */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export type StopOutcome = 'stopped' | 'killed' | 'not-running';

/**
 * SIGTERM (Kafka's shutdown hook does a controlled shutdown and flushes logs), then SIGKILL if
 * it is not gone within `graceMs`. The identity is re-checked before each signal.
 */
export async function stopNodeProcess(
  pid: number,
  propertiesPath: string,
  graceMs: number,
): Promise<StopOutcome> {
  if (!isNodeProcess(pid, propertiesPath)) return 'not-running';
  signal(pid, 'SIGTERM');
  if (graceMs > 0 && (await waitForExit(pid, graceMs))) return 'stopped';
  if (!isNodeProcess(pid, propertiesPath)) return 'stopped';
  signal(pid, 'SIGKILL');
  if (!(await waitForExit(pid, 10_000))) {
    throw new LocalKafkaError(`Process ${pid} (${propertiesPath}) survived SIGKILL.`);
  }
  return 'killed';
}
