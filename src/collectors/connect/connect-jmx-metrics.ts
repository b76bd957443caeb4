import type { MetricSpec } from '../export/metric-family';
import { metricFamily, type Emit } from '../export/metric-family';
import { ATTR_CONNECTOR, ATTR_RESULT, ATTR_TASK } from './connect-attributes';
import type { ConnectSnapshot, TaskJmx } from './connect-snapshot';

const TASK = [ATTR_CONNECTOR, ATTR_TASK];

/** How one JMX attribute becomes a point: its name on the bean, and a scale (ms → s). */
interface AttributeSource {
  attribute: string;
  scale?: number;
}

const MS = 1 / 1000;

/**
 * Per-task metrics, each read from one attribute of a per-task MBean. Only totals and current
 * values: Connect's `-rate` attributes are averages over its own sample window, while rate()
 * over the exported totals is exact over whatever window the query asks for.
 */
const TASK_METRICS = {
  sourceRecordsPolled: {
    bean: 'source-task-metrics',
    from: { attribute: 'source-record-poll-total' },
    spec: counter(
      'kafka.connect.source.records.polled',
      '{record}',
      'Records the source task has polled from its source (before transformations).',
    ),
  },
  sourceRecordsWritten: {
    bean: 'source-task-metrics',
    from: { attribute: 'source-record-write-total' },
    spec: counter(
      'kafka.connect.source.records.written',
      '{record}',
      'Records output by the source task’s transformations and written to Kafka.',
    ),
  },
  sourcePollBatchAvg: {
    bean: 'source-task-metrics',
    from: { attribute: 'poll-batch-avg-time-ms', scale: MS },
    spec: gauge(
      'kafka.connect.source.poll.batch.time.avg',
      's',
      'Average time the source task took to poll a batch of records (Connect’s sample window).',
    ),
  },
  sourcePollBatchMax: {
    bean: 'source-task-metrics',
    from: { attribute: 'poll-batch-max-time-ms', scale: MS },
    spec: gauge(
      'kafka.connect.source.poll.batch.time.max',
      's',
      'Longest time the source task took to poll a batch of records (Connect’s sample window).',
    ),
  },
  sinkRecordsRead: {
    bean: 'sink-task-metrics',
    from: { attribute: 'sink-record-read-total' },
    spec: counter(
      'kafka.connect.sink.records.read',
      '{record}',
      'Records the sink task has read from Kafka (before transformations).',
    ),
  },
  sinkRecordsSent: {
    bean: 'sink-task-metrics',
    from: { attribute: 'sink-record-send-total' },
    spec: counter(
      'kafka.connect.sink.records.sent',
      '{record}',
      'Records output by the sink task’s transformations and sent to the task (put).',
    ),
  },
  sinkOffsetCommitsCompleted: {
    bean: 'sink-task-metrics',
    from: { attribute: 'offset-commit-completion-total' },
    spec: counter(
      'kafka.connect.sink.offset_commits.completed',
      '{commit}',
      'Offset commits of the sink task that completed.',
    ),
  },
  sinkOffsetCommitsSkipped: {
    bean: 'sink-task-metrics',
    from: { attribute: 'offset-commit-skip-total' },
    spec: counter(
      'kafka.connect.sink.offset_commits.skipped',
      '{commit}',
      'Offset commits of the sink task that were skipped (a commit still in flight).',
    ),
  },
  sinkPutBatchAvg: {
    bean: 'sink-task-metrics',
    from: { attribute: 'put-batch-avg-time-ms', scale: MS },
    spec: gauge(
      'kafka.connect.sink.put.batch.time.avg',
      's',
      'Average time the sink task took to put a batch of records (Connect’s sample window).',
    ),
  },
  sinkPutBatchMax: {
    bean: 'sink-task-metrics',
    from: { attribute: 'put-batch-max-time-ms', scale: MS },
    spec: gauge(
      'kafka.connect.sink.put.batch.time.max',
      's',
      'Longest time the sink task took to put a batch of records (Connect’s sample window).',
    ),
  },
  offsetCommitSuccess: {
    bean: 'connector-task-metrics',
    from: { attribute: 'offset-commit-success-percentage' },
    spec: gauge(
      'kafka.connect.task.offset_commit.success.ratio',
      '1',
      'Share of the task’s offset commit attempts that succeeded (0 to 1; Connect’s sample window).',
    ),
  },
  offsetCommitFailure: {
    bean: 'connector-task-metrics',
    from: { attribute: 'offset-commit-failure-percentage' },
    spec: gauge(
      'kafka.connect.task.offset_commit.failure.ratio',
      '1',
      'Share of the task’s offset commit attempts that failed (0 to 1; Connect’s sample window).',
    ),
  },
  errorsLogged: {
    bean: 'task-error-metrics',
    from: { attribute: 'total-errors-logged' },
    spec: counter(
      'kafka.connect.task.errors.logged',
      '{error}',
      'Errors the task logged (errors.log.enable).',
    ),
  },
  recordErrors: {
    bean: 'task-error-metrics',
    from: { attribute: 'total-record-errors' },
    spec: counter(
      'kafka.connect.task.record.errors',
      '{error}',
      'Record processing errors of the task (conversion, transformation, put/poll).',
    ),
  },
  recordFailures: {
    bean: 'task-error-metrics',
    from: { attribute: 'total-record-failures' },
    spec: counter(
      'kafka.connect.task.record.failures',
      '{failure}',
      'Record processing attempts of the task that failed (retries included).',
    ),
  },
  recordsSkipped: {
    bean: 'task-error-metrics',
    from: { attribute: 'total-records-skipped' },
    spec: counter(
      'kafka.connect.task.records.skipped',
      '{record}',
      'Records the task skipped because of errors (errors.tolerance=all).',
    ),
  },
  dlqProduceRequests: {
    bean: 'task-error-metrics',
    from: { attribute: 'deadletterqueue-produce-requests' },
    spec: counter(
      'kafka.connect.task.dlq.produce.requests',
      '{request}',
      'Records the task sent to its dead letter queue topic.',
    ),
  },
  dlqProduceFailures: {
    bean: 'task-error-metrics',
    from: { attribute: 'deadletterqueue-produce-failures' },
    spec: counter(
      'kafka.connect.task.dlq.produce.failures',
      '{failure}',
      'Writes of the task to its dead letter queue topic that failed.',
    ),
  },
  retries: {
    bean: 'task-error-metrics',
    from: { attribute: 'total-retries' },
    spec: counter(
      'kafka.connect.task.retries',
      '{retry}',
      'Retries of failed operations by the task.',
    ),
  },
} as const satisfies Record<string, { bean: TaskBean; from: AttributeSource; spec: MetricSpec }>;

/** The per-task MBean types read (`kafka.connect:type=<type>,connector=*,task=*`). */
export const TASK_BEANS = [
  'source-task-metrics',
  'sink-task-metrics',
  'connector-task-metrics',
  'task-error-metrics',
] as const;
export type TaskBean = (typeof TASK_BEANS)[number];

/** Every attribute the collector reads of each per-task bean: the read asks for these only. */
export const TASK_BEAN_ATTRIBUTES: Readonly<Record<TaskBean, readonly string[]>> = (() => {
  const byBean: Record<TaskBean, string[]> = {
    'source-task-metrics': [],
    'sink-task-metrics': [],
    'connector-task-metrics': [],
    'task-error-metrics': [],
  };
  for (const { bean, from } of Object.values(TASK_METRICS)) byBean[bean].push(from.attribute);
  return byBean;
})();

type TaskMetric = keyof typeof TASK_METRICS;

/**
 * Worker-level metrics of the worker the Jolokia agent runs in (no worker attribute: the agent
 * belongs to one worker, the one `jolokiaUrl` names).
 */
const WORKER_METRICS = {
  rebalances: {
    spec: counter(
      'kafka.connect.worker.rebalances',
      '{rebalance}',
      'Rebalances the worker (at jolokiaUrl) has completed.',
      [],
    ),
  },
  rebalancing: {
    spec: gauge(
      'kafka.connect.worker.rebalancing',
      '1',
      '1 while the worker (at jolokiaUrl) is rebalancing, else 0.',
      [],
    ),
  },
  connectorStartups: {
    spec: counter(
      'kafka.connect.worker.connector.startups',
      '{startup}',
      'Connector startups on the worker (at jolokiaUrl), by result (success, failure).',
      [ATTR_RESULT],
    ),
  },
  taskStartups: {
    spec: counter(
      'kafka.connect.worker.task.startups',
      '{startup}',
      'Task startups on the worker (at jolokiaUrl), by result (success, failure).',
      [ATTR_RESULT],
    ),
  },
} as const satisfies Record<string, { spec: MetricSpec }>;

/** Attributes read of `connect-worker-metrics` and `connect-worker-rebalance-metrics`. */
export const WORKER_BEAN_ATTRIBUTES = {
  'connect-worker-metrics': [
    'connector-startup-success-total',
    'connector-startup-failure-total',
    'task-startup-success-total',
    'task-startup-failure-total',
  ],
  'connect-worker-rebalance-metrics': ['completed-rebalances-total', 'rebalancing'],
} as const;

/**
 * Whether the worker's Jolokia agent answered every query this cycle (exported only with
 * `jolokiaUrl`). Like `kafka.broker.jmx.up`: one refused query (an access policy) makes it 0,
 * while what the agent did answer is still exported, so a partly forbidden agent is seen as
 * unhealthy yet keeps the metrics it allows.
 */
export const connectJmxHealthMetrics = metricFamily<'up', ConnectSnapshot>(
  {
    up: {
      name: 'kafka.connect.jmx.up',
      unit: '1',
      description:
        "1 when the worker's Jolokia agent answered every query this cycle, 0 when it was unreachable (then no task metrics are exported) or refused or failed a query (then what it did answer is still exported); the REST metrics are unaffected. Exported only when a Jolokia URL is configured.",
      attributes: [],
    },
  },
  (snapshot, emit) => {
    if (snapshot.jmx) emit.up(snapshot.jmx.up ? 1 : 0);
  },
);

/**
 * Per-task and worker metrics from the worker's JMX: what the agent answered (all of it, or
 * the queries it did not refuse). Exported only while the REST API answers: task series carry
 * connector names, and a Connect cluster whose REST API is down must not read as healthy.
 */
export const connectJmxMetrics = metricFamily(
  {
    ...specsOf(TASK_METRICS),
    ...specsOf(WORKER_METRICS),
  },
  (snapshot: ConnectSnapshot, emit) => {
    const { jmx } = snapshot;
    if (!snapshot.up || !jmx) return;
    const tasksOf: Record<TaskBean, readonly TaskJmx[]> = {
      'source-task-metrics': jmx.sourceTasks,
      'sink-task-metrics': jmx.sinkTasks,
      'connector-task-metrics': jmx.connectorTasks,
      'task-error-metrics': jmx.taskErrors,
    };
    for (const [key, { bean, from }] of Object.entries(TASK_METRICS) as Array<
      [TaskMetric, { bean: TaskBean; from: AttributeSource }]
    >) {
      for (const task of tasksOf[bean]) {
        emitScaled(emit[key], task.values[from.attribute], from, {
          [ATTR_CONNECTOR]: task.connector,
          [ATTR_TASK]: task.task,
        });
      }
    }
    const { worker } = jmx;
    emitScaled(emit.rebalances, worker['completed-rebalances-total'], {});
    emitScaled(emit.rebalancing, worker.rebalancing, {});
    for (const [result, suffix] of [
      ['success', 'success'],
      ['failure', 'failure'],
    ] as const) {
      emitScaled(
        emit.connectorStartups,
        worker[`connector-startup-${suffix}-total`],
        {},
        {
          [ATTR_RESULT]: result,
        },
      );
      emitScaled(
        emit.taskStartups,
        worker[`task-startup-${suffix}-total`],
        {},
        {
          [ATTR_RESULT]: result,
        },
      );
    }
  },
);

/** A missing value (JMX NaN, an attribute this Connect version lacks) is a gap, not a 0. */
function emitScaled(
  emit: Emit,
  value: number | undefined,
  from: { scale?: number },
  attributes: Record<string, string | number> = {},
): void {
  if (value === undefined) return;
  emit(value * (from.scale ?? 1), attributes);
}

function specsOf<K extends string>(
  metrics: Record<K, { spec: MetricSpec }>,
): Record<K, MetricSpec> {
  const specs = {} as Record<K, MetricSpec>;
  for (const key of Object.keys(metrics) as K[]) specs[key] = metrics[key].spec;
  return specs;
}

function counter(
  name: string,
  unit: string,
  description: string,
  attributes: readonly string[] = TASK,
): MetricSpec {
  return { name, kind: 'counter', unit, description, attributes };
}

function gauge(
  name: string,
  unit: string,
  description: string,
  attributes: readonly string[] = TASK,
): MetricSpec {
  return { name, unit, description, attributes };
}
