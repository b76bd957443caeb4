/**
 * The service side of the IPC channel: reports to the orchestrator, commands from it, and the
 * shutdown paths. A service ends in order (clients disconnected, telemetry flushed by
 * `register` when the event loop empties) on `shutdown`, on SIGTERM, or when the orchestrator
 * is gone (the channel closes); SIGINT is ignored because the orchestrator, which got it too
 * when Ctrl-C reached the whole terminal, decides the order of the shutdown.
 */
import type { ServiceCommand, ServiceReport } from './ipc-messages';

export function report(message: ServiceReport): void {
  if (process.connected) process.send?.(message);
}

/**
 * Calls `onCommand` for each command, one at a time in the order they came (`stop` then
 * `resume` must not overlap), and `shutdown` once, whichever way the end comes.
 */
export function serveCommands(
  onCommand: (command: ServiceCommand) => void | Promise<void>,
  shutdown: () => Promise<void>,
): void {
  let ending: Promise<void> | undefined;
  const end = (): void => {
    ending ??= shutdown().finally(() => process.disconnect?.());
  };
  let queue = Promise.resolve();
  process.on('message', (message: ServiceCommand) => {
    if (message.type === 'shutdown') end();
    else queue = queue.then(() => onCommand(message));
  });
  process.on('disconnect', end);
  process.on('SIGTERM', end);
  process.on('SIGINT', () => undefined);
}
