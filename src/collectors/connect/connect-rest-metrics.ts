import { metricFamily } from '../export/metric-family';
import {
  ATTR_CONNECTOR,
  ATTR_CONNECTOR_TYPE,
  ATTR_STATE,
  ATTR_TASK,
  ATTR_WORKER,
} from './connect-attributes';
import { CONNECT_STATES, type ConnectSnapshot, type ConnectState } from './connect-snapshot';

const CONNECTOR = [ATTR_CONNECTOR, ATTR_CONNECTOR_TYPE];
const TASK = [ATTR_CONNECTOR, ATTR_TASK];

/**
 * Whether the Connect REST API answered this cycle. Always exported, so a dashboard sees
 * "down" as 0 rather than as missing data.
 */
export const connectHealthMetrics = metricFamily<'up', ConnectSnapshot>(
  {
    up: {
      name: 'kafka.connect.up',
      unit: '1',
      description:
        '1 when the Connect REST API answered this cycle with a valid reply, 0 when it was unreachable, refused the credentials or answered something that is not a connector list (then no connector or task series are exported). One malformed connector entry does not make it 0: see kafka.connect.skipped_connectors.',
      attributes: [],
    },
  },
  (snapshot, emit) => emit.up(snapshot.up ? 1 : 0),
);

/**
 * Connectors and tasks as the status API reports them. States are one-hot: every Connect state
 * has a point (1 for the current one, 0 for the others), so `== 1` alerts need no absent().
 */
export const connectStatusMetrics = metricFamily<
  | 'connectorState'
  | 'connectorTasksConfigured'
  | 'connectorTasks'
  | 'taskState'
  | 'workerConnectors'
  | 'workerTasks'
  | 'connectorRestarts'
  | 'taskRestarts'
  | 'skippedConnectors',
  ConnectSnapshot
>(
  {
    connectorState: {
      name: 'kafka.connect.connector.state',
      unit: '1',
      description:
        "1 for the connector's current state (RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED, RESTARTING), 0 for the others.",
      attributes: [...CONNECTOR, ATTR_STATE],
    },
    connectorTasksConfigured: {
      name: 'kafka.connect.connector.tasks.configured',
      unit: '{task}',
      description: 'Tasks the connector is configured with (the tasks its worker generated).',
      attributes: CONNECTOR,
    },
    connectorTasks: {
      name: 'kafka.connect.connector.tasks',
      unit: '{task}',
      description: "The connector's tasks in each state (every state has a point, 0 included).",
      attributes: [...CONNECTOR, ATTR_STATE],
    },
    taskState: {
      name: 'kafka.connect.task.state',
      unit: '1',
      description:
        "1 for the task's current state, 0 for the others; on the worker that runs it. A FAILED task's stack trace is logged and recorded as a span event, never exported as an attribute.",
      attributes: [...TASK, ATTR_WORKER, ATTR_STATE],
    },
    workerConnectors: {
      name: 'kafka.connect.worker.connectors',
      unit: '{connector}',
      description: 'Reported connectors whose connector instance runs on the worker.',
      attributes: [ATTR_WORKER],
    },
    workerTasks: {
      name: 'kafka.connect.worker.tasks',
      unit: '{task}',
      description: 'Tasks of reported connectors assigned to the worker.',
      attributes: [ATTR_WORKER],
    },
    connectorRestarts: {
      name: 'kafka.connect.connector.restarts',
      kind: 'counter',
      unit: '{restart}',
      description:
        'Restarts of the connector observed between snapshots: RUNNING after FAILED, RESTARTING or UNASSIGNED, or RUNNING on another worker. A restart that begins and ends between two collections is not seen.',
      attributes: CONNECTOR,
    },
    taskRestarts: {
      name: 'kafka.connect.task.restarts',
      kind: 'counter',
      unit: '{restart}',
      description:
        'Restarts of the task observed between snapshots, as for kafka.connect.connector.restarts.',
      attributes: TASK,
    },
    skippedConnectors: {
      name: 'kafka.connect.skipped_connectors',
      unit: '{connector}',
      description:
        'Connector entries of the last REST reply left out because they were malformed (a name past 1024 characters, a field of the wrong type or shape); they have no other series while it lasts. Exported while kafka.connect.up is 1.',
      attributes: [],
    },
  },
  (snapshot, emit) => {
    if (!snapshot.up) return;
    emit.skippedConnectors(snapshot.skippedConnectors.length);
    const connectorsOn = new Map<string, number>();
    const tasksOn = new Map<string, number>();
    for (const connector of snapshot.connectors) {
      const attributes = {
        [ATTR_CONNECTOR]: connector.name,
        [ATTR_CONNECTOR_TYPE]: connector.type,
      };
      for (const state of statesWith(connector.state)) {
        emit.connectorState(state === connector.state ? 1 : 0, {
          ...attributes,
          [ATTR_STATE]: state,
        });
      }
      emit.connectorTasksConfigured(connector.configuredTasks, attributes);
      const byState = new Map<ConnectState, number>(CONNECT_STATES.map((state) => [state, 0]));
      for (const task of connector.tasks) {
        byState.set(task.state, (byState.get(task.state) ?? 0) + 1);
        const taskAttributes = {
          [ATTR_CONNECTOR]: connector.name,
          [ATTR_TASK]: task.id,
          [ATTR_WORKER]: task.workerId,
        };
        for (const state of statesWith(task.state)) {
          emit.taskState(state === task.state ? 1 : 0, { ...taskAttributes, [ATTR_STATE]: state });
        }
        increment(tasksOn, task.workerId);
        emit.taskRestarts(snapshot.restarts.tasks.get(connector.name)?.get(task.id) ?? 0, {
          [ATTR_CONNECTOR]: connector.name,
          [ATTR_TASK]: task.id,
        });
      }
      for (const [state, count] of byState) {
        emit.connectorTasks(count, { ...attributes, [ATTR_STATE]: state });
      }
      increment(connectorsOn, connector.workerId);
      emit.connectorRestarts(snapshot.restarts.connectors.get(connector.name) ?? 0, attributes);
    }
    // Every worker that runs something gets both points: a worker running only tasks has 0
    // connectors, not a missing series.
    for (const worker of new Set([...connectorsOn.keys(), ...tasksOn.keys()])) {
      emit.workerConnectors(connectorsOn.get(worker) ?? 0, { [ATTR_WORKER]: worker });
      emit.workerTasks(tasksOn.get(worker) ?? 0, { [ATTR_WORKER]: worker });
    }
  },
);

/** The known states, and the current one if a later Connect version added it. */
function statesWith(current: ConnectState): readonly ConnectState[] {
  return (CONNECT_STATES as readonly ConnectState[]).includes(current)
    ? CONNECT_STATES
    : [...CONNECT_STATES, current];
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
