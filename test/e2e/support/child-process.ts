import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { LineBuffer } from '../../support/line-buffer';

/** A process a test started: its output kept for failure messages, and a bounded stop. */
export interface TestProcess {
  name: string;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output: () => string;
  /** The lines it wrote to stdout that have ended so far (a line still being written is not one). */
  stdoutLines: () => readonly string[];
  /** Exit code or signal once it has ended; undefined while it runs. */
  exited: () => string | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  stop: (graceMs?: number) => Promise<void>;
}

/**
 * The variables a test runner may carry that would reconfigure the child's telemetry behind
 * the test's back (an OTEL_* of the developer's shell, say): the child gets only what the test
 * sets.
 */
function baseEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith('OTEL_') && !key.startsWith('KAFKA_OTEL_') && key !== 'NODE_OPTIONS',
    ),
  );
}

export function startProcess(
  name: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
  options: { stdin?: 'pipe' } = {},
): TestProcess {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...baseEnv(), ...env },
    // Piped for a process the test drives by commands on its stdin (the live demo).
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const lines: string[] = [];
  const stdoutLines = new LineBuffer();
  let exit: string | undefined;
  // Decoded by the stream, so a character whose bytes span two chunks is not garbled.
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    lines.push(...stdoutLines.push(chunk));
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.on('error', (error) => (output += `\n[spawn error] ${error.message}\n`));
  child.on('exit', (code, signal) => (exit = signal ? `signal ${signal}` : `exit code ${code}`));
  return {
    name,
    child,
    output: () => output,
    stdoutLines: () => lines,
    exited: () => exit,
    stop: async (graceMs = 5_000) => {
      if (exit !== undefined || child.exitCode !== null || child.signalCode !== null) return;
      const gone = once(child, 'exit');
      child.kill('SIGTERM');
      const stopped = await Promise.race([gone.then(() => true), sleep(graceMs).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await gone;
      }
    },
  };
}

/** Stops every process (in parallel), for afterAll: one that hangs is killed, never left. */
export async function stopAll(processes: TestProcess[]): Promise<void> {
  await Promise.all(processes.map((p) => p.stop()));
}
