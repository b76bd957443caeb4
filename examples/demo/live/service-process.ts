/**
 * One of the demo's services as a child process: forked with the tsx loader this process runs
 * under, configured for `kafka-otel/register` by environment variables only (as in a
 * deployment), its stdout (JSON log lines) and stderr passed to the log sink, its IPC channel
 * carrying commands and reports. Started in its own process group, so Ctrl-C at the terminal
 * reaches only the orchestrator, which stops the services in order.
 */
import { fork, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import type { ServiceCommand, ServiceReport } from './ipc-messages';

export interface ServiceProcess {
  name: string;
  /** Resolves with the service's `ready` report. */
  ready: Promise<Extract<ServiceReport, { type: 'ready' }>>;
  send(command: ServiceCommand): void;
  /** Asks the service to shut down; kills it if it has not exited after `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

export interface ServiceOptions {
  name: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  onReport: (report: ServiceReport) => void;
  /** Each line of the child's stdout and stderr. */
  onOutput: (line: string, stream: 'stdout' | 'stderr') => void;
  /** The child exited while it was expected to run. */
  onUnexpectedExit: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export function startService(options: ServiceOptions): ServiceProcess {
  const child: ChildProcess = fork(options.entry, [], {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      if (!stopping) options.onUnexpectedExit(code, signal);
      resolve();
    });
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    const lines = readline.createInterface({ input: child[stream]! });
    lines.on('line', (line) => options.onOutput(line, stream));
  }
  const ready = new Promise<Extract<ServiceReport, { type: 'ready' }>>((resolve, reject) => {
    child.on('message', (message: ServiceReport) => {
      if (message.type === 'ready') resolve(message);
      options.onReport(message);
    });
    void exited.then(() => reject(new Error(`${options.name} exited before it was ready`)));
  });
  ready.catch(() => undefined);
  return {
    name: options.name,
    ready,
    send(command) {
      if (child.connected) child.send(command);
    },
    async stop(graceMs) {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: 'shutdown' } satisfies ServiceCommand);
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
