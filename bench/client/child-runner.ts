/**
 * Runs one benchmark run in a fresh Node process and returns its result, or throws with the
 * child's own explanation. The child never outlives the call: it is killed on timeout and on
 * abort, and it ends itself when the bench's pipe to it closes.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { BenchError, InterruptedError } from '../errors';
import { benchChildEnv } from '../child-env';
import { REPO_ROOT } from '../paths';
import { parseResultLine, type RunResult, type RunSpec } from './run-contract';

/** Beyond the child's own deadline and backstop, how long the bench waits before killing it. */
const KILL_GRACE_MS = 15_000;

/** Output kept for error messages; the end of a long log is where the reason is. */
const OUTPUT_TAIL_CHARS = 8_000;

export interface ChildRunOptions {
  /** The compiled child (see child-program.ts). */
  childEntry: string;
  signal: AbortSignal;
  /** Extra Node flags for the child (e.g. --cpu-prof). */
  nodeFlags: string[];
}

function tail(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > OUTPUT_TAIL_CHARS
    ? `...${trimmed.slice(-OUTPUT_TAIL_CHARS)}`
    : trimmed || '(no output)';
}

/** Spawns the child for `spec` and resolves with the result line it printed. */
export async function runChild(spec: RunSpec, options: ChildRunOptions): Promise<RunResult> {
  if (options.signal.aborted) throw new InterruptedError();
  const child = spawn(
    process.execPath,
    ['--expose-gc', ...options.nodeFlags, options.childEntry, JSON.stringify(spec)],
    {
      cwd: REPO_ROOT,
      env: { ...benchChildEnv(), KAFKAJS_NO_PARTITIONER_WARNING: '1' },
      // stdin stays open as the child's lifeline (see child/main.ts).
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group: Ctrl+C reaches only the bench, which then kills the child and
      // reports the interruption, rather than a child failure.
      detached: true,
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // A child that died early closes the pipe; writing to it must not crash the bench.
  child.stdin.on('error', () => undefined);

  let killedFor: 'timeout' | 'abort' | undefined;
  const kill = (reason: 'timeout' | 'abort'): void => {
    killedFor ??= reason;
    child.kill('SIGKILL');
  };
  const timer = setTimeout(() => kill('timeout'), spec.timeoutMs + KILL_GRACE_MS);
  const onAbort = (): void => kill('abort');
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    const what = `${spec.variant} ${spec.scenario}`;
    if (killedFor === 'abort') throw new InterruptedError();
    if (killedFor === 'timeout') {
      throw new BenchError(
        `The ${what} run did not end ${(spec.timeoutMs + KILL_GRACE_MS) / 1000} s after it started and was killed. Its output:\n${tail(stdout + stderr)}`,
      );
    }
    const result = code === 0 ? parseResultLine(stdout) : undefined;
    if (!result) {
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      throw new BenchError(
        `The ${what} run ${how} without a result: no figures are reported for a broken run.\n${tail(stderr || stdout)}`,
      );
    }
    return result;
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
