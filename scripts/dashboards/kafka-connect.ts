/**
 * Kafka Connect as the Connect collector sees it (`kafka-otel collect --connect-url`): the REST
 * API's connectors and tasks by state, failures and restarts; with the worker's JMX
 * (`--connect-jolokia-url`), per-task throughput, batch times, offset commits, record errors
 * and the dead letter queue, and the worker's rebalances; and the sink connectors' lag, which
 * the cluster collector exports per connector.
 */
import {
  instant,
  ONE_IS_HEALTHY,
  plot,
  q,
  stat,
  ZERO_IS_HEALTHY,
  type Dashboard,
  type Panel,
} from './panel-model';

const JOB = 'job=~"$job"';
const CONNECTOR = `${JOB}, kafka_connect_connector=~"$connector"`;
const R = '$__rate_interval';

/** Per task, the way every JMX panel groups and names its series. */
const BY_TASK = 'kafka_connect_connector, kafka_connect_task';
const TASK_LEGEND = '{{kafka_connect_connector}}/{{kafka_connect_task}}';

/** The per-second rate of a per-task counter, one series per task. */
const taskRate = (counter: string, label: string) =>
  q(`sum by (${BY_TASK}) (rate(${counter}{${CONNECTOR}}[${R}]))`, `${label} ${TASK_LEGEND}`);

/** A per-task gauge as it stands, one series per task. */
const taskGauge = (gauge: string, label: string) =>
  q(`max by (${BY_TASK}) (${gauge}{${CONNECTOR}})`, `${label} ${TASK_LEGEND}`);

const JMX_ONLY =
  'Needs the worker’s JMX (--connect-jolokia-url): one agent reports its own worker’s tasks.';

const failedTasks: Panel = {
  kind: 'table',
  title: 'Failed tasks',
  unit: 'none',
  description:
    'Tasks in state FAILED now, with their connector and worker. The stack trace is in the collector’s log and in GET /connectors/<name>/tasks/<task>/status, never in a label.',
  queries: [
    instant(
      `max by (kafka_connect_connector, kafka_connect_task, kafka_connect_worker) (kafka_connect_task_state{${CONNECTOR}, kafka_connect_state="FAILED"} == 1)`,
      TASK_LEGEND,
    ),
  ],
  width: 24,
  integer: true,
};

export const KAFKA_CONNECT: Dashboard = {
  uid: 'kafka-otel-connect',
  file: 'kafka-connect',
  title: 'Kafka Connect',
  description:
    'A Kafka Connect cluster as kafka-otel collect sees it: connectors and tasks by state, failures and restarts, per-task throughput, errors and the dead letter queue (from the worker’s JMX), and the sink connectors’ lag.',
  variables: [
    {
      name: 'job',
      label: 'Collector',
      selector: 'kafka_connect_up',
      labelName: 'job',
      multi: false,
    },
    {
      name: 'connector',
      label: 'Connector',
      selector: `kafka_connect_connector_state{${JOB}}`,
      labelName: 'kafka_connect_connector',
    },
  ],
  rows: [
    {
      title: 'Overview',
      panels: [
        stat(
          'Connect up',
          'none',
          '1 when the Connect REST API answered the last snapshot; 0 when it was unreachable, refused the credentials or answered something else (then no connector or task series exist).',
          [q(`min(kafka_connect_up{${JOB}})`, 'up')],
          { thresholds: ONE_IS_HEALTHY, integer: true },
        ),
        stat(
          'Worker JMX up',
          'none',
          '1 when the worker’s Jolokia agent answered the last snapshot, 0 when not (the per-task panels below then show nothing). No data: no agent configured.',
          [q(`min(kafka_connect_jmx_up{${JOB}})`, 'up')],
          { thresholds: ONE_IS_HEALTHY, integer: true },
        ),
        stat(
          'Connectors',
          'short',
          'Connectors the REST API reports (each has one state at 1).',
          [q(`sum(kafka_connect_connector_state{${CONNECTOR}})`, 'connectors')],
          { integer: true },
        ),
        stat(
          'Failed connectors',
          'short',
          'Connectors in state FAILED: they move no data until fixed and restarted (KafkaConnectConnectorFailed).',
          [
            q(
              `sum(kafka_connect_connector_state{${CONNECTOR}, kafka_connect_state="FAILED"})`,
              'failed',
            ),
          ],
          { thresholds: ZERO_IS_HEALTHY, integer: true },
        ),
        stat(
          'Tasks',
          'short',
          'Tasks of the connectors, in any state.',
          [q(`sum(kafka_connect_connector_tasks{${CONNECTOR}})`, 'tasks')],
          { integer: true },
        ),
        stat(
          'Failed tasks',
          'short',
          'Tasks in state FAILED: their share of the data stops, even while their connector reads RUNNING (KafkaConnectTaskFailed).',
          [
            q(
              `sum(kafka_connect_task_state{${CONNECTOR}, kafka_connect_state="FAILED"})`,
              'failed',
            ),
          ],
          { thresholds: ZERO_IS_HEALTHY, integer: true },
        ),
      ],
    },
    {
      title: 'Connectors and tasks',
      panels: [
        plot(
          'Connectors by state',
          'short',
          'How many connectors are in each state (RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED, RESTARTING).',
          [
            q(
              `sum by (kafka_connect_state) (kafka_connect_connector_state{${CONNECTOR}})`,
              '{{kafka_connect_state}}',
            ),
          ],
          { integer: true, stacked: true },
        ),
        plot(
          'Connectors by type',
          'short',
          'How many source and sink connectors there are.',
          [
            q(
              `sum by (kafka_connect_connector_type) (kafka_connect_connector_state{${CONNECTOR}})`,
              '{{kafka_connect_connector_type}}',
            ),
          ],
          { integer: true, stacked: true },
        ),
        plot(
          'Tasks by state per connector',
          'short',
          'Each connector’s tasks in each state they are in, against the tasks it is configured with: fewer running than configured means tasks failed or are unassigned.',
          [
            q(
              `sum by (kafka_connect_connector, kafka_connect_state) (kafka_connect_connector_tasks{${CONNECTOR}} > 0)`,
              '{{kafka_connect_connector}} {{kafka_connect_state}}',
            ),
            q(
              `max by (kafka_connect_connector) (kafka_connect_connector_tasks_configured{${CONNECTOR}})`,
              '{{kafka_connect_connector}} configured',
            ),
          ],
          { integer: true },
        ),
        plot(
          'Tasks by state per worker',
          'short',
          'Tasks each worker runs, by state: an uneven spread or a worker with only failed tasks stands out.',
          [
            q(
              `sum by (kafka_connect_worker, kafka_connect_state) (kafka_connect_task_state{${CONNECTOR}} == 1)`,
              '{{kafka_connect_worker}} {{kafka_connect_state}}',
            ),
          ],
          { integer: true, stacked: true },
        ),
        failedTasks,
        plot(
          'Connector and task restarts',
          'short',
          'Restarts observed between snapshots, per interval: RUNNING again after FAILED, RESTARTING or UNASSIGNED, or moved to another worker. A restart that begins and ends between two snapshots is not seen.',
          [
            q(
              `sum by (kafka_connect_connector) (increase(kafka_connect_connector_restarts_total{${CONNECTOR}}[${R}]))`,
              'connector {{kafka_connect_connector}}',
            ),
            q(
              `sum by (${BY_TASK}) (increase(kafka_connect_task_restarts_total{${CONNECTOR}}[${R}]))`,
              `task ${TASK_LEGEND}`,
            ),
          ],
        ),
        plot(
          'Connectors and tasks per worker',
          'short',
          'Connector instances and tasks assigned to each worker, as the REST API reports them.',
          [
            q(
              `max by (kafka_connect_worker) (kafka_connect_worker_connectors{${JOB}})`,
              'connectors {{kafka_connect_worker}}',
            ),
            q(
              `max by (kafka_connect_worker) (kafka_connect_worker_tasks{${JOB}})`,
              'tasks {{kafka_connect_worker}}',
            ),
          ],
          { integer: true },
        ),
      ],
    },
    {
      title: 'Task throughput (worker JMX)',
      panels: [
        plot(
          'Source records',
          'suffix:records/s',
          `Records each source task polls from its source, and writes to Kafka after its transformations. ${JMX_ONLY}`,
          [
            taskRate('kafka_connect_source_records_polled_total', 'polled'),
            taskRate('kafka_connect_source_records_written_total', 'written'),
          ],
        ),
        plot(
          'Sink records',
          'suffix:records/s',
          `Records each sink task reads from Kafka, and sends to its connector after its transformations. ${JMX_ONLY}`,
          [
            taskRate('kafka_connect_sink_records_read_total', 'read'),
            taskRate('kafka_connect_sink_records_sent_total', 'sent'),
          ],
        ),
        plot(
          'Source poll batch time',
          's',
          `Average and longest time a source task took to poll one batch, over Connect’s own sample window. ${JMX_ONLY}`,
          [
            taskGauge('kafka_connect_source_poll_batch_time_avg', 'avg'),
            taskGauge('kafka_connect_source_poll_batch_time_max', 'max'),
          ],
        ),
        plot(
          'Sink put batch time',
          's',
          `Average and longest time a sink task took to put one batch to its destination, over Connect’s own sample window. ${JMX_ONLY}`,
          [
            taskGauge('kafka_connect_sink_put_batch_time_avg', 'avg'),
            taskGauge('kafka_connect_sink_put_batch_time_max', 'max'),
          ],
        ),
        plot(
          'Offset commit success and failure',
          'percentunit',
          `Share of each task’s offset commit attempts that succeeded and that failed, over Connect’s sample window. ${JMX_ONLY}`,
          [
            taskGauge('kafka_connect_task_offset_commit_success_ratio', 'success'),
            taskGauge('kafka_connect_task_offset_commit_failure_ratio', 'failure'),
          ],
        ),
        plot(
          'Sink offset commits',
          'suffix:commits/s',
          `Offset commits of each sink task that completed, and that were skipped because one was still in flight. ${JMX_ONLY}`,
          [
            taskRate('kafka_connect_sink_offset_commits_completed_total', 'completed'),
            taskRate('kafka_connect_sink_offset_commits_skipped_total', 'skipped'),
          ],
        ),
      ],
    },
    {
      title: 'Errors and dead letter queue (worker JMX)',
      panels: [
        plot(
          'Record errors',
          'suffix:errors/s',
          `Records each task failed to convert, transform, put or poll, and the failed attempts (retries included). With errors.tolerance=none the first one fails the task; with all the record is skipped or dead-lettered (KafkaConnectTaskErrors). ${JMX_ONLY}`,
          [
            taskRate('kafka_connect_task_record_errors_total', 'errors'),
            taskRate('kafka_connect_task_record_failures_total', 'failures'),
          ],
        ),
        plot(
          'Records skipped, retries and errors logged',
          'cps',
          `Records each task skipped because of errors, retries of failed operations, and errors written to the worker’s log (errors.log.enable). ${JMX_ONLY}`,
          [
            taskRate('kafka_connect_task_records_skipped_total', 'skipped'),
            taskRate('kafka_connect_task_retries_total', 'retries'),
            taskRate('kafka_connect_task_errors_logged_total', 'logged'),
          ],
        ),
        plot(
          'Dead letter queue',
          'suffix:records/s',
          `Records each task sends to its dead letter queue topic, and DLQ writes that failed (those records are lost). ${JMX_ONLY}`,
          [
            taskRate('kafka_connect_task_dlq_produce_requests_total', 'sent'),
            taskRate('kafka_connect_task_dlq_produce_failures_total', 'failed'),
          ],
        ),
        {
          kind: 'bargauge',
          title: 'Dead-lettered records in range',
          unit: 'short',
          description: `Records each connector sent to its dead letter queue over the dashboard’s time range (KafkaConnectDeadLetterQueueGrowing fires on any). ${JMX_ONLY}`,
          queries: [
            instant(
              `sum by (kafka_connect_connector) (increase(kafka_connect_task_dlq_produce_requests_total{${CONNECTOR}}[$__range]))`,
              '{{kafka_connect_connector}}',
            ),
          ],
        },
      ],
    },
    {
      title: 'Sink connectors’ lag',
      panels: [
        plot(
          'Sink lag',
          'short',
          'Messages each sink connector has not consumed yet, per topic (its consumer group’s lag, from the cluster collector of the same kafka-otel collect).',
          [
            q(
              `sum by (kafka_connect_connector, topic) (kafka_connect_sink_lag{${CONNECTOR}})`,
              '{{kafka_connect_connector}} {{topic}}',
            ),
          ],
          { integer: true },
        ),
        plot(
          'Sink time lag',
          's',
          'Age of the oldest message each sink connector has not consumed yet, per topic: how far behind real time its destination is.',
          [
            q(
              `max by (kafka_connect_connector, topic) (kafka_connect_sink_time_lag{${CONNECTOR}})`,
              '{{kafka_connect_connector}} {{topic}}',
            ),
          ],
        ),
      ],
    },
    {
      title: 'Worker and collector',
      panels: [
        plot(
          'Worker rebalances',
          'short',
          `Rebalances the worker completed per interval, and 1 while it is rebalancing (tasks stop meanwhile). ${JMX_ONLY}`,
          [
            q(
              `sum by (instance) (increase(kafka_connect_worker_rebalances_total{${JOB}}[${R}]))`,
              'completed',
            ),
            q(`max by (instance) (kafka_connect_worker_rebalancing{${JOB}})`, 'rebalancing'),
          ],
        ),
        plot(
          'Worker startups',
          'short',
          `Connector and task startups on the worker per interval, by result (success, failure). ${JMX_ONLY}`,
          [
            q(
              `sum by (kafka_connect_result) (increase(kafka_connect_worker_connector_startups_total{${JOB}}[${R}]))`,
              'connector {{kafka_connect_result}}',
            ),
            q(
              `sum by (kafka_connect_result) (increase(kafka_connect_worker_task_startups_total{${JOB}}[${R}]))`,
              'task {{kafka_connect_result}}',
            ),
          ],
        ),
        plot(
          'Connect snapshot duration',
          's',
          'Time one Connect snapshot (REST, and JMX when configured) takes, p50 and p99.',
          [0.5, 0.99].map((quantile) =>
            q(
              `histogram_quantile(${quantile}, sum by (job, le) (rate(kafka_connect_scrape_duration_bucket{${JOB}}[${R}])))`,
              `p${quantile * 100}`,
            ),
          ),
        ),
        plot(
          'Connect snapshot errors',
          'suffix:errors/s',
          'Failed Connect snapshot requests by phase (rest, jmx) and error type (connection_refused, timeout, unauthorized, malformed_reply...).',
          [
            q(
              `sum by (phase, error_type) (rate(kafka_connect_scrape_errors_total{${JOB}}[${R}]))`,
              '{{phase}} {{error_type}}',
            ),
          ],
        ),
      ],
    },
  ],
};
