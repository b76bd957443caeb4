/**
 * What the live demo's orchestrator and its two services say to each other over the IPC
 * channel of `child_process.fork`. Plain JSON objects: the channel serializes them.
 */

/** Orchestrator -> service: one of the terminal commands meant for that service. */
export type ServiceCommand =
  | { type: 'slow'; ms: number }
  | { type: 'pause' }
  | { type: 'stop' }
  | { type: 'resume' }
  | { type: 'crash' }
  | { type: 'timeout' }
  | { type: 'shutdown' };

/** What the settlement consumer is doing, for the progress line. */
export type ConsumerState = 'starting' | 'running' | 'paused' | 'stopped' | 'restarting';

/** Service -> orchestrator. */
export type ServiceReport =
  /** The service is up; the payments API says where it listens. */
  | { type: 'ready'; httpPort?: number }
  /** Settlement's counters, sent every second. */
  | {
      type: 'stats';
      settled: number;
      crashes: number;
      timeouts: number;
      slowMs: number;
      state: ConsumerState;
    }
  /** A one-line answer to a command, for the terminal. */
  | { type: 'notice'; text: string };
