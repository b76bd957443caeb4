import { spawn, type ChildProcess } from 'node:child_process';
import { LineBuffer } from '../../../support/line-buffer';
import { waitFor } from '../../../support/wait-for';
import { REPO_ROOT } from '../../../support/built-package';

/** How a spawned process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A child process run from the repository root (so `kafka-otel/register` resolves to the
 * built package by its own name), with its output collected: stdout JSON lines as events
 * (each once its line has ended), stdout and stderr as text.
 */
export class SpawnedProcess {
  readonly child: ChildProcess;
  readonly events: Record<string, unknown>[] = [];
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;

  constructor(args: string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Events are parsed from whole lines only: a chunk may end in the middle of one.
    const stdoutLines = new LineBuffer();
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      for (const line of stdoutLines.push(chunk)) {
        if (line.startsWith('{')) this.events.push(JSON.parse(line) as Record<string, unknown>);
      }
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  /** Events named `name` so far. */
  eventsNamed(name: string): Record<string, unknown>[] {
    return this.events.filter((e) => e.event === name);
  }

  /** Waits for the first event named `name`; fails early with the output if the process ends. */
  async waitForEvent(name: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    return waitFor(
      () => {
        const found = this.eventsNamed(name)[0];
        if (found) return found;
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
          throw new Error(`process ended before '${name}': ${this.stdout}\n${this.stderr}`);
        }
        return undefined;
      },
      { timeoutMs, description: `event '${name}'` },
    );
  }

  /**
   * How the process ended, if it does within `boundMs`; 'still running' otherwise (for a
   * process that must end by itself: the bound is generous, not a measure of speed).
   */
  async exitWithin(boundMs: number): Promise<Exit | 'still running'> {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<'still running'>((resolve) => {
      timer = setTimeout(() => resolve('still running'), boundMs);
    });
    return Promise.race([this.exited, bound]).finally(() => clearTimeout(timer));
  }

  /** Sends a signal and waits for the process to end. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000): Promise<Exit> {
    this.child.kill(signal);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`no exit ${timeoutMs} ms after ${signal}`)),
        timeoutMs,
      ).unref(),
    );
    return Promise.race([this.exited, timeout]);
  }

  /** Kills the process if still running (test cleanup). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
