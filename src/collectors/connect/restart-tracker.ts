import type { ConnectorStatus, ConnectState, RestartCounts, TaskStatus } from './connect-snapshot';

/** A connector or task that is FAILED now and was not at the previous look (or is new). */
export interface NewFailure {
  connector: string;
  /** Undefined for the connector itself. */
  task?: number;
  workerId: string;
  trace?: string;
}

/** What one observation found. */
export interface Observation {
  restarts: RestartCounts;
  newFailures: NewFailure[];
}

/** States from which reaching RUNNING means the connector or task was (re)started. */
const RESTARTED_FROM: ReadonlySet<ConnectState> = new Set(['FAILED', 'RESTARTING', 'UNASSIGNED']);

interface Seen {
  state: ConnectState;
  workerId: string;
}

/**
 * Restarts and new failures, found by comparing each successful snapshot with the previous one:
 * a connector or task counts a restart when it is RUNNING now and was FAILED, RESTARTING or
 * UNASSIGNED before, or was RUNNING on another worker (moved by a rebalance, so started
 * again). Only what the snapshots show is seen: a restart that begins and ends between two
 * cycles (RUNNING, then RUNNING again on the same worker) is not counted.
 *
 * A connector or task no longer reported is forgotten with its counts, as its series are.
 */
export class RestartTracker {
  private connectors = new Map<string, Seen>();
  private tasks = new Map<string, Map<number, Seen>>();
  private connectorRestarts = new Map<string, number>();
  private taskRestarts = new Map<string, Map<number, number>>();

  observe(connectors: readonly ConnectorStatus[]): Observation {
    const newFailures: NewFailure[] = [];
    const seenConnectors = new Map<string, Seen>();
    const seenTasks = new Map<string, Map<number, Seen>>();
    const connectorRestarts = new Map<string, number>();
    const taskRestarts = new Map<string, Map<number, number>>();
    for (const connector of connectors) {
      const { name } = connector;
      const before = this.connectors.get(name);
      seenConnectors.set(name, { state: connector.state, workerId: connector.workerId });
      connectorRestarts.set(
        name,
        (this.connectorRestarts.get(name) ?? 0) + (restarted(before, connector) ? 1 : 0),
      );
      if (newlyFailed(before, connector)) {
        newFailures.push({ connector: name, workerId: connector.workerId, trace: connector.trace });
      }
      const tasksBefore = this.tasks.get(name);
      const restartsBefore = this.taskRestarts.get(name);
      const tasksNow = new Map<number, Seen>();
      const restartsNow = new Map<number, number>();
      for (const task of connector.tasks) {
        const previous = tasksBefore?.get(task.id);
        tasksNow.set(task.id, { state: task.state, workerId: task.workerId });
        restartsNow.set(
          task.id,
          (restartsBefore?.get(task.id) ?? 0) + (restarted(previous, task) ? 1 : 0),
        );
        if (newlyFailed(previous, task)) {
          newFailures.push({
            connector: name,
            task: task.id,
            workerId: task.workerId,
            trace: task.trace,
          });
        }
      }
      seenTasks.set(name, tasksNow);
      taskRestarts.set(name, restartsNow);
    }
    this.connectors = seenConnectors;
    this.tasks = seenTasks;
    this.connectorRestarts = connectorRestarts;
    this.taskRestarts = taskRestarts;
    return { restarts: { connectors: connectorRestarts, tasks: taskRestarts }, newFailures };
  }
}

function restarted(before: Seen | undefined, now: ConnectorStatus | TaskStatus): boolean {
  if (before === undefined || now.state !== 'RUNNING') return false;
  if (RESTARTED_FROM.has(before.state)) return true;
  return before.state === 'RUNNING' && before.workerId !== now.workerId;
}

/** FAILED now, and not FAILED at the last look: a task seen FAILED first is new to us too. */
function newlyFailed(before: Seen | undefined, now: ConnectorStatus | TaskStatus): boolean {
  return now.state === 'FAILED' && before?.state !== 'FAILED';
}
