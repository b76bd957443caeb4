/**
 * A measured process of the collector bench (the kafka-otel CLI, the OpenTelemetry Collector):
 * spawned in its own process group with its output in a log file, its memory read from /proc,
 * and never left running: stopped with SIGTERM, then SIGKILL, on stop, on abort and on failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchError, InterruptedError } from '../errors';
import { processCpuSeconds } from '../machine-load';

/** How long a process may take to end after SIGTERM before it is killed. */
const STOP_GRACE_MS = 5_000;
/** The end of a log is where a failure's reason is. */
const LOG_TAIL_CHARS = 4_000;

export interface ProcessMemory {
  /** VmHWM: the peak resident set size over the process's life. */
  peakRssBytes: number;
  /** VmRSS: the resident set size now. */
  rssBytes: number;
}

/** VmHWM and VmRSS of `pid` from /proc; undefined where /proc cannot tell. */
export function readProcessMemory(pid: number): ProcessMemory | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string): number | undefined => {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) * 1024 : undefined;
    };
    const peak = kib('VmHWM');
    const rss = kib('VmRSS');
    return peak === undefined || rss === undefined
      ? undefined
      : { peakRssBytes: peak, rssBytes: rss };
  } catch {
    return undefined;
  }
}

/** A loopback port nobody listens on right now (the OS picks it). */
export async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

export class MeasuredProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private exitDescription: string | undefined;

  private constructor(
    readonly name: string,
    private readonly logPath: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    cwd: string,
    stdoutPath: string | undefined,
  ) {
    const log = fs.openSync(logPath, 'w');
    const out = stdoutPath === undefined ? log : fs.openSync(stdoutPath, 'w');
    try {
      this.child = spawn(command, args, {
        cwd,
        env,
        stdio: ['ignore', out, log],
        // Its own process group: Ctrl+C reaches only the bench, which then stops it.
        detached: true,
      });
    } finally {
      fs.closeSync(log);
      if (out !== log) fs.closeSync(out);
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitDescription = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        resolve();
      });
      this.child.once('error', (error) => {
        this.exitDescription = `could not start: ${error.message}`;
        resolve();
      });
    });
  }

  /** Starts `command` with stderr (and stdout, unless `stdoutPath` is given) in `logPath`. */
  static start(options: {
    name: string;
    command: string;
    args: string[];
    env: NodeJS.ProcessEnv;
    cwd: string;
    logPath: string;
    stdoutPath?: string;
  }): MeasuredProcess {
    const { name, logPath, command, args, env, cwd, stdoutPath } = options;
    return new MeasuredProcess(name, logPath, command, args, env, cwd, stdoutPath);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new BenchError(`${this.name} has no pid.`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitDescription === undefined;
  }

  /** The end of the process's log, for error messages. */
  logTail(): string {
    try {
      const text = fs.readFileSync(this.logPath, 'utf8').trim();
      return text.length > LOG_TAIL_CHARS ? `...${text.slice(-LOG_TAIL_CHARS)}` : text;
    } catch {
      return '(no log)';
    }
  }

  /** Throws with the process's own explanation when it is no longer running. */
  assertRunning(): void {
    if (this.running) return;
    throw new BenchError(
      `${this.name} ${this.exitDescription ?? 'ended'} unexpectedly. Its log (${this.logPath}):\n${this.logTail()}`,
    );
  }

  /** Waits until the process accepts TCP connections on `port`. */
  async waitForPort(port: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (signal.aborted) throw new InterruptedError();
      this.assertRunning();
      if (await accepts(port)) return;
      if (Date.now() > deadline) {
        throw new BenchError(
          `${this.name} did not listen on 127.0.0.1:${port} within ${timeoutMs / 1000} s. Its log:\n${this.logTail()}`,
        );
      }
      await sleep(100);
    }
  }

  memory(): ProcessMemory | undefined {
    return readProcessMemory(this.pid);
  }

  cpuSeconds(): number | undefined {
    return processCpuSeconds(this.pid);
  }

  /** SIGTERM to the process group, SIGKILL after a grace period; resolves once it has ended. */
  async stop(): Promise<void> {
    if (!this.running || this.child.pid === undefined) return;
    const signalGroup = (sig: NodeJS.Signals): void => {
      try {
        process.kill(-this.pid, sig);
      } catch {
        // Already gone.
      }
    };
    signalGroup('SIGTERM');
    const ended = await Promise.race([
      this.exited.then(() => true),
      sleep(STOP_GRACE_MS).then(() => false),
    ]);
    if (!ended) {
      signalGroup('SIGKILL');
      await Promise.race([this.exited, sleep(STOP_GRACE_MS)]);
    }
  }
}
