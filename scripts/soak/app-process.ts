/**
 * The soak's application process: started under `kafka-otel/register` with its telemetry
 * configured by environment variables only, its output in a log file, and a Node IPC channel on
 * which the driver asks for figures. It runs in its own process group, so Ctrl+C reaches only
 * the driver, which then stops it; if the driver dies, the closed channel stops it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppMessage, AppStats, DriverMessage } from './app/stats-protocol';
import { InterruptedError, SoakError } from './errors';

export interface AppLaunch {
  appDir: string;
  entry: string;
  brokers: string[];
  /** Where the Prometheus exporter listens (127.0.0.1). */
  prometheusPort: number;
  /** Base URL of the OTLP receiver the app exports spans (and any logs) to. */
  otlpEndpoint: string;
  /** The app stops itself at this time (epoch ms) if nobody tells it to before. */
  deadlineAt: number;
  logFile: string;
}

const READY_TIMEOUT_MS = 180_000;
const STATS_TIMEOUT_MS = 10_000;
/** The app winds its loops down (up to 45 s) and disconnects its clients before it exits. */
const STOP_GRACE_MS = 90_000;

/**
 * The app's environment: the driver's, less the variables of the developer's shell that would
 * change its telemetry behind the soak's back, plus the configuration a user would set.
 */
function appEnv(launch: AppLaunch): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !key.startsWith('OTEL_') && !key.startsWith('KAFKA_OTEL_') && key !== 'NODE_OPTIONS',
    ),
  );
  return {
    ...inherited,
    OTEL_SERVICE_NAME: 'kafka-otel-soak',
    OTEL_METRICS_EXPORTER: 'prometheus',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(launch.prometheusPort),
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_ENDPOINT: launch.otlpEndpoint,
    KAFKA_OTEL_COLLECT_BROKERS: launch.brokers.join(','),
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    SOAK_BROKERS: launch.brokers.join(','),
    SOAK_DEADLINE_AT: String(launch.deadlineAt),
  };
}

export class AppProcess {
  private readonly child: ChildProcess;
  private readonly logFd: number;
  private nextId = 1;
  private readonly pending = new Map<number, (stats: AppStats) => void>();
  private failure: string | undefined;
  private exit: string | undefined;
  private stopped = false;
  private readonly exited: Promise<unknown>;

  constructor(private readonly launch: AppLaunch) {
    this.logFd = fs.openSync(launch.logFile, 'a');
    this.child = spawn(process.execPath, ['--require', 'kafka-otel/register', launch.entry], {
      cwd: launch.appDir,
      env: appEnv(launch),
      stdio: ['ignore', this.logFd, this.logFd, 'ipc'],
      detached: true,
    });
    this.exited = once(this.child, 'exit').then(([code, signal]) => {
      this.exit = signal ? `killed by ${String(signal)}` : `exit code ${String(code)}`;
    });
    this.child.on('message', (message: AppMessage) => {
      if (message.type === 'stats') {
        this.pending.get(message.id)?.(message.stats);
        this.pending.delete(message.id);
      } else if (message.type === 'failed') {
        this.failure = message.message;
      }
    });
    this.child.on('error', (error) => (this.failure ??= error.message));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How the process ended, or undefined while it runs. */
  get ended(): string | undefined {
    return this.exit;
  }

  /** The end of the app's log, for error messages. */
  logTail(lines = 30): string {
    const text = fs.readFileSync(this.launch.logFile, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  }

  /** Resolves when the app has connected, created its topics and joined its groups. */
  async ready(signal: AbortSignal): Promise<void> {
    const ready = new Promise<void>((resolve) => {
      const onMessage = (message: AppMessage) => {
        if (message.type !== 'ready') return;
        this.child.off('message', onMessage);
        resolve();
      };
      this.child.on('message', onMessage);
    });
    if (signal.aborted) throw new InterruptedError();
    const aborted = once(signal, 'abort').then(() => 'aborted' as const);
    const outcome = await Promise.race([
      ready.then(() => 'ready' as const),
      this.exited.then(() => 'exited' as const),
      sleep(READY_TIMEOUT_MS, 'timeout' as const, { ref: false }),
      aborted,
    ]);
    if (outcome === 'ready') return;
    if (outcome === 'aborted') throw new InterruptedError();
    const why =
      outcome === 'exited'
        ? `ended (${this.exit}${this.failure ? `: ${this.failure}` : ''})`
        : `was not ready after ${READY_TIMEOUT_MS / 1000} s`;
    throw new SoakError(
      `The soak app ${why}. The end of its log (${this.launch.logFile}):\n${this.logTail()}`,
    );
  }

  /** The app's figures now, or undefined when it does not answer within 10 s. */
  async stats(): Promise<AppStats | undefined> {
    if (this.exit !== undefined || !this.child.connected) return undefined;
    const id = this.nextId++;
    const answer = new Promise<AppStats>((resolve) => this.pending.set(id, resolve));
    this.child.send({ type: 'stats', id } satisfies DriverMessage);
    // Unreferenced, as every timeout here: a lost race must not keep the driver from exiting.
    const timeout = sleep(STATS_TIMEOUT_MS, undefined, { ref: false });
    const result = await Promise.race([answer, timeout]);
    this.pending.delete(id);
    return result;
  }

  /**
   * Asks the app to stop, and kills it when it has not ended within the grace period; resolves
   * once it is gone.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.exit === undefined) {
      if (this.child.connected) this.child.send({ type: 'stop' } satisfies DriverMessage);
      else this.child.kill('SIGTERM');
      const gone = await Promise.race([
        this.exited.then(() => true),
        sleep(STOP_GRACE_MS, false, { ref: false }),
      ]);
      if (!gone) {
        this.child.kill('SIGKILL');
        await this.exited;
      }
    }
    fs.closeSync(this.logFd);
  }
}
