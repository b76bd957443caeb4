import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { tailLines } from '../local-kafka/log-file';
import { InterruptedError, OtelStackError } from './errors';

export interface RunLoggedOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** stdout and stderr are appended here; the tail goes into the error when the command fails. */
  logPath: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Named in errors, e.g. "Collector build". */
  what: string;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Runs a build step to completion with its output in a log file (go prints thousands of
 * download lines). The command gets its own process group so an abort or a timeout kills the
 * compilers it started too, not only the go front end.
 */
export function runLogged(
  command: string,
  args: string[],
  options: RunLoggedOptions,
): Promise<void> {
  fs.appendFileSync(options.logPath, `\n$ ${command} ${args.join(' ')}\n`);
  const fd = fs.openSync(options.logPath, 'a');
  return new Promise<void>((resolve, reject) => {
    let stopped: 'abort' | 'timeout' | undefined;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    fs.closeSync(fd);
    const stop = (why: 'abort' | 'timeout'): void => {
      if (stopped || child.pid === undefined) return;
      stopped = why;
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => child.pid !== undefined && killGroup(child.pid, 'SIGKILL'), 5_000).unref();
    };
    const onAbort = (): void => stop('abort');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => stop('timeout'), options.timeoutMs);
    const finish = (error?: Error): void => {
      options.signal?.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    child.once('error', (error) =>
      finish(new OtelStackError(`${options.what}: could not run ${command} (${error.message}).`)),
    );
    child.once('exit', (code, signal) => {
      if (stopped === 'abort') return finish(new InterruptedError(`${options.what} interrupted.`));
      if (code === 0) return finish();
      const why =
        stopped === 'timeout'
          ? `did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)} s`
          : `failed (${signal ? `signal ${signal}` : `exit code ${code}`})`;
      finish(
        new OtelStackError(
          `${options.what} ${why}: ${command} ${args.join(' ')}\n` +
            `Last lines of ${options.logPath}:\n${tailLines(options.logPath, 30)}`,
        ),
      );
    });
  });
}
