import type { TimedSnapshot } from '../snapshot-source';
import type { SkippedConnector } from './connect-rest-reply';

/** Every state Connect reports for a connector or a task (AbstractStatus.State). */
export const CONNECT_STATES = [
  'RUNNING',
  'PAUSED',
  'STOPPED',
  'FAILED',
  'UNASSIGNED',
  'RESTARTING',
] as const;
/**
 * A state as reported: one of {@link CONNECT_STATES}, or a state a later Connect version adds
 * (kept as given, so it is exported under its own name instead of failing the snapshot).
 */
export type ConnectState = (typeof CONNECT_STATES)[number] | (string & {});

/** `source` or `sink`, or what else Connect says (`unknown` while a connector is created). */
export type ConnectorType = string;

/** One task as the status API reports it. */
export interface TaskStatus {
  readonly id: number;
  readonly state: ConnectState;
  readonly workerId: string;
  /** The failure's stack trace as Connect gives it (FAILED only): logged and traced, never a label. */
  readonly trace?: string;
}

/** One connector: its status and the parts of its configuration the collector uses. */
export interface ConnectorStatus {
  readonly name: string;
  readonly type: ConnectorType;
  readonly state: ConnectState;
  readonly workerId: string;
  readonly trace?: string;
  /** Tasks the connector is configured with (the `info` part: what the worker generated). */
  readonly configuredTasks: number;
  readonly tasks: readonly TaskStatus[];
  /**
   * The consumer group of a sink connector: `consumer.override.group.id`, else `connect-<name>`.
   * Nothing else of the configuration is kept (it may hold secrets).
   */
  readonly consumerGroup?: string;
}

/** Restarts seen so far, by connector and by task: cumulative since the collector started. */
export interface RestartCounts {
  readonly connectors: ReadonlyMap<string, number>;
  /** Keyed by connector, then task id. */
  readonly tasks: ReadonlyMap<string, ReadonlyMap<number, number>>;
}

/** One task's MBean of a per-task type (`source-task-metrics`, `task-error-metrics`, ...). */
export interface TaskJmx {
  readonly connector: string;
  readonly task: number;
  /** Attribute name → value, as read (numbers only). */
  readonly values: Readonly<Record<string, number>>;
}

/** What the Jolokia agent of a worker gave this cycle, when one is configured. */
export interface ConnectJmxReading {
  /**
   * The agent answered every query. False when it was unreachable (then nothing was read) or
   * refused or failed a query (its access policy, a bean that threw): then the beans of the
   * queries it did answer are still here, as the broker JMX collector keeps a partial read.
   */
  readonly up: boolean;
  readonly sourceTasks: readonly TaskJmx[];
  readonly sinkTasks: readonly TaskJmx[];
  readonly connectorTasks: readonly TaskJmx[];
  readonly taskErrors: readonly TaskJmx[];
  /** `connect-worker-metrics` and `connect-worker-rebalance-metrics` of that worker, merged. */
  readonly worker: Readonly<Record<string, number>>;
}

/** Which request of a snapshot failed. */
export type ConnectScrapePhase = 'rest' | 'jmx';

export interface ConnectScrapeError {
  readonly phase: ConnectScrapePhase;
  /**
   * The HttpJsonClient's reason, `malformed_reply` for a reply of the wrong shape, or
   * `query_failed` for one JMX query the Jolokia agent refused or failed.
   */
  readonly errorType: string;
  /** One line, without the endpoint (the log line names it). */
  readonly message: string;
}

/** One cycle's view of a Connect cluster, frozen once taken. */
export interface ConnectSnapshot extends TimedSnapshot {
  readonly takenAt: number;
  readonly durationSeconds: number;
  /** The REST API answered with a valid reply this cycle. */
  readonly up: boolean;
  /** Reported connectors (after the `connectors` filter); empty when `up` is false. */
  readonly connectors: readonly ConnectorStatus[];
  /** Malformed connector entries the reply held, left out; empty when `up` is false. */
  readonly skippedConnectors: readonly SkippedConnector[];
  readonly restarts: RestartCounts;
  /** Absent when no Jolokia URL is configured. */
  readonly jmx?: ConnectJmxReading;
  readonly errors: readonly ConnectScrapeError[];
}
