import { constants } from 'node:os';
import { diag } from '@opentelemetry/api';
import type { RunningTelemetry } from '../sdk/start-sdk';

/** How long exit handling waits for the last export before letting the process go. */
export const FLUSH_TIMEOUT_MS = 5_000;

/** The process events `register` handles; injectable so tests can use an emitter. */
export type ExitProcess = Pick<
  NodeJS.Process,
  'on' | 'off' | 'listenerCount' | 'kill' | 'exit' | 'pid'
>;

/**
 * Exports buffered telemetry when the process ends, without changing how it ends:
 *
 * - SIGTERM / SIGINT with no handler of the application: flush and stop the SDK (at most
 *   {@link FLUSH_TIMEOUT_MS}), then re-raise the signal with Node's default action, so the
 *   process dies of that signal exactly as it would have (a shell sees 128 + signal number).
 *   A second signal during the flush ends the process at once, as Ctrl+C twice does.
 * - SIGTERM / SIGINT with a handler of the application: only flush; the application's own
 *   handler decides whether and when to exit.
 * - Normal end (`beforeExit`, the event loop ran empty): flush and stop the SDK, which lets
 *   the loop empty again and the process exit with its own exit code.
 *
 * `process.exit()` cannot be waited for (its `exit` event is synchronous); an application that
 * calls it should flush first, or let the loop end.
 */
export function flushOnExit(
  telemetry: RunningTelemetry,
  proc: ExitProcess = process,
  timeoutMs = FLUSH_TIMEOUT_MS,
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (proc.listenerCount(signal) > 1) {
      void withTimeout(telemetry.forceFlush(), timeoutMs);
      return;
    }
    if (stopping) return reraise(signal);
    stopping = true;
    void withTimeout(telemetry.shutdown(), timeoutMs).then(() => reraise(signal));
  };
  const reraise = (signal: NodeJS.Signals) => {
    proc.off('SIGTERM', onSignal);
    proc.off('SIGINT', onSignal);
    try {
      proc.kill(proc.pid, signal);
    } catch {
      proc.exit(128 + (constants.signals[signal] ?? 0));
    }
  };
  proc.on('SIGTERM', onSignal);
  proc.on('SIGINT', onSignal);
  proc.on('beforeExit', () => {
    if (stopping) return;
    stopping = true;
    void withTimeout(telemetry.shutdown(), timeoutMs);
  });
}

/** Settles when `work` does or after `ms`, whichever is first; never rejects. */
function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  const settled = work.catch((error: unknown) =>
    diag.error('kafka-otel: flushing telemetry on exit failed', error),
  );
  return Promise.race([settled, deadline]).finally(() => clearTimeout(timer));
}
