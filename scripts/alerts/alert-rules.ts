/**
 * The alert rules, as data: what fires, for how long, how bad it is and what it tells the person
 * paged. Rendered to the Prometheus rule file and the Kubernetes PrometheusRule by rules-yaml.ts.
 * Metric and label names are the Prometheus names of docs/metrics.md.
 */
import type { AlertThresholds } from './alert-thresholds';

export type AlertSeverity = 'warning' | 'critical';

export interface AlertRule {
  /** Alert name; its runbook is the docs/alerts.md section of the same name. */
  alert: string;
  expr: string;
  for: string;
  severity: AlertSeverity;
  summary: string;
  /** Names the labels that say where to look (topic, partition, group, broker, voter...). */
  description: string;
}

export interface AlertRuleGroup {
  name: string;
  rules: AlertRule[];
}

/** Anchor of an alert's runbook section in docs/alerts.md (its `### Name` heading). */
export function runbookAnchor(alert: string): string {
  return alert.toLowerCase();
}

/**
 * Per topic from the per-partition 0/1 gauge, or, for a collector whose partition series are
 * off or dropped past the series limit, the cluster count alone (then without a topic label).
 */
function partitionCount(partitionGauge: string, clusterGauge: string): string {
  return [
    `sum by (job, instance, topic) (${partitionGauge}) > 0`,
    'or on (job, instance)',
    `${clusterGauge} > 0`,
  ].join('\n');
}

const IN_TOPIC = '{{ if $labels.topic }} in topic {{ $labels.topic }}{{ end }}';
const COLLECTOR = '(collector {{ $labels.job }}/{{ $labels.instance }})';

function collectorRules(t: AlertThresholds): AlertRuleGroup {
  return {
    name: 'kafka-otel.collector',
    rules: [
      {
        alert: 'KafkaCollectorDown',
        expr: 'kafka_collector_up == 0',
        for: t.collectorDownFor,
        severity: 'warning',
        summary: 'The Kafka cluster collector cannot take complete snapshots',
        description:
          'Collector {{ $labels.job }}/{{ $labels.instance }} reports kafka_collector_up 0: the cluster is unreachable or a snapshot phase fails, and the cluster gauges it leaves out are unknown. kafka_collector_scrape_errors_total by phase and error_type says which.',
      },
      {
        alert: 'KafkaCollectorAbsent',
        expr: `absent(kafka_collector_up{job="${t.collectorJob}"})`,
        for: t.collectorDownFor,
        severity: 'warning',
        summary: 'No Kafka cluster collector is reporting',
        description:
          'Prometheus has no kafka_collector_up series for job {{ $labels.job }}: the kafka-otel collect process is down or its target is not scraped, so every cluster alert is blind.',
      },
    ],
  };
}

function clusterRules(t: AlertThresholds): AlertRuleGroup {
  return {
    name: 'kafka-otel.cluster',
    rules: [
      {
        alert: 'KafkaOfflinePartitions',
        expr: partitionCount('kafka_partition_offline', 'kafka_cluster_partitions_offline'),
        for: t.offlinePartitionsFor,
        severity: 'critical',
        summary: `Kafka partitions have no leader${IN_TOPIC}`,
        description: `{{ $value }} partition(s)${IN_TOPIC} have no leader: they can be neither written nor read ${COLLECTOR}.`,
      },
      {
        alert: 'KafkaUnderMinIsrPartitions',
        expr: partitionCount(
          'kafka_partition_under_min_isr',
          'kafka_cluster_partitions_under_min_isr',
        ),
        for: t.underMinIsrFor,
        severity: 'critical',
        summary: `Kafka partitions are under min.insync.replicas${IN_TOPIC}`,
        description: `{{ $value }} partition(s)${IN_TOPIC} have fewer in-sync replicas than min.insync.replicas: producers with acks=all get NOT_ENOUGH_REPLICAS ${COLLECTOR}.`,
      },
      {
        alert: 'KafkaUnderReplicatedPartitions',
        expr: partitionCount(
          'kafka_partition_under_replicated',
          'kafka_cluster_partitions_under_replicated',
        ),
        for: t.underReplicatedFor,
        severity: 'warning',
        summary: `Kafka partitions are under-replicated${IN_TOPIC}`,
        description: `{{ $value }} partition(s)${IN_TOPIC} have a leader but not all replicas in sync, for longer than a broker restart takes ${COLLECTOR}.`,
      },
      {
        alert: 'KafkaQuorumLeaderMissing',
        expr: 'kafka_quorum_leader < 0',
        for: t.quorumLeaderMissingFor,
        severity: 'critical',
        summary: 'The KRaft metadata quorum has no leader',
        description: `DescribeQuorum reports no leader: no active controller, so no metadata change (leader election, topic creation) can happen ${COLLECTOR}.`,
      },
      {
        alert: 'KafkaQuorumVoterLagging',
        expr: `kafka_quorum_voter_lag > ${t.quorumVoterLagEntries}`,
        for: t.quorumVoterBehindFor,
        severity: 'warning',
        summary: 'A KRaft voter is behind the metadata log',
        description: `Voter {{ $labels.voter }} is {{ $value }} metadata log entries behind the quorum leader ${COLLECTOR}.`,
      },
      {
        alert: 'KafkaQuorumVoterNotFetching',
        expr: `kafka_quorum_voter_fetch_age > ${t.quorumVoterFetchAgeSeconds}`,
        for: t.quorumVoterBehindFor,
        severity: 'warning',
        summary: 'A KRaft voter stopped fetching from the quorum leader',
        description: `Voter {{ $labels.voter }} last fetched from the quorum leader {{ $value }} s ago ${COLLECTOR}.`,
      },
      {
        alert: 'KafkaLogDirSpaceLow',
        expr: `kafka_broker_log_dir_usable / kafka_broker_log_dir_total < ${t.logDirFreeRatioWarning}`,
        for: t.logDirFreeFor,
        severity: 'warning',
        summary: 'A Kafka log directory is running out of space',
        description: `Log directory {{ $labels.log_dir }} of broker {{ $labels.broker }} has {{ $value | humanizePercentage }} of its volume free ${COLLECTOR}.`,
      },
      {
        alert: 'KafkaLogDirSpaceCritical',
        expr: `kafka_broker_log_dir_usable / kafka_broker_log_dir_total < ${t.logDirFreeRatioCritical}`,
        for: t.logDirFreeFor,
        severity: 'critical',
        summary: 'A Kafka log directory is almost full',
        description: `Log directory {{ $labels.log_dir }} of broker {{ $labels.broker }} has {{ $value | humanizePercentage }} of its volume free: a full directory goes offline with every partition on it ${COLLECTOR}.`,
      },
    ],
  };
}

function consumerGroupRules(t: AlertThresholds): AlertRuleGroup {
  return {
    name: 'kafka-otel.consumer-groups',
    rules: [
      {
        alert: 'KafkaConsumerGroupStalled',
        expr: 'kafka_consumer_group_status{status=~"STALL|STOP"} == 1',
        for: t.consumerGroupStatusFor,
        severity: 'warning',
        summary: 'Consumer group {{ $labels.group }} is not committing while it lags',
        description: `Group {{ $labels.group }} has lag status {{ $labels.status }}: its committed offsets stopped moving while messages wait (STALL: it has members, STOP: nobody consumes) ${COLLECTOR}.`,
      },
      {
        alert: 'KafkaConsumerGroupSkippedMessages',
        expr: 'kafka_consumer_group_status{status="ERR"} == 1',
        for: t.consumerGroupStatusFor,
        severity: 'critical',
        summary: 'Consumer group {{ $labels.group }} lost unread messages to retention',
        description: `Group {{ $labels.group }} has lag status ERR: a committed offset is below its partition's log start, so retention deleted messages it never read ${COLLECTOR}.`,
      },
      {
        alert: 'KafkaConsumerGroupTimeLagHigh',
        expr: `kafka_consumer_group_time_lag_max > ${t.consumerGroupTimeLagSeconds}`,
        for: t.consumerGroupTimeLagFor,
        severity: 'warning',
        summary: 'Consumer group {{ $labels.group }} is far behind on topic {{ $labels.topic }}',
        description: `The oldest message group {{ $labels.group }} has not consumed on topic {{ $labels.topic }} is {{ $value | humanizeDuration }} old ${COLLECTOR}.`,
      },
    ],
  };
}

function clientRules(t: AlertThresholds): AlertRuleGroup {
  const crashes = 'kafka_consumer_crashes_total';
  const sent = 'messaging_client_sent_messages_total';
  const excluded = t.requestLatencyExcludedApis.join('|');
  return {
    name: 'kafka-otel.clients',
    rules: [
      {
        alert: 'KafkaConsumerCrashing',
        // The counter appears at the first crash, and increase() needs two samples: a series
        // born inside the window counts with its whole value (every crash it holds is recent).
        expr: [
          'sum by (job, messaging_consumer_group_name) (',
          `  (${crashes} unless ${crashes} offset ${t.consumerCrashWindow}) + 0`,
          '  or',
          `  increase(${crashes}[${t.consumerCrashWindow}])`,
          `) >= ${t.consumerCrashes}`,
        ].join('\n'),
        for: '0s',
        severity: 'warning',
        summary: 'Kafka consumers of group {{ $labels.messaging_consumer_group_name }} crash',
        description: `Consumers of group {{ $labels.messaging_consumer_group_name }} in service {{ $labels.job }} crashed {{ $value }} time(s) in the last ${t.consumerCrashWindow}; kafka_consumer_crashes_total by error_type and kafka_consumer_restart says why and whether they came back.`,
      },
      {
        alert: 'KafkaProducerErrorRateHigh',
        expr: [
          `sum by (job, messaging_destination_name) (rate(${sent}{error_type!=""}[${t.producerErrorWindow}]))`,
          '/',
          `sum by (job, messaging_destination_name) (rate(${sent}[${t.producerErrorWindow}]))`,
          `> ${t.producerErrorRatio}`,
        ].join('\n'),
        for: t.producerErrorFor,
        severity: 'warning',
        summary: 'Kafka sends to topic {{ $labels.messaging_destination_name }} fail',
        description:
          '{{ $value | humanizePercentage }} of the messages service {{ $labels.job }} sends to topic {{ $labels.messaging_destination_name }} fail; messaging_client_sent_messages_total by error_type says how.',
      },
      {
        alert: 'KafkaRequestLatencyHigh',
        expr: [
          'histogram_quantile(0.99,',
          '  sum by (job, kafka_api_name, server_address, le) (',
          `    rate(kafka_client_request_duration_bucket{kafka_api_name!~"${excluded}"}[${t.requestLatencyWindow}])`,
          '  )',
          `) > ${t.requestP99Seconds}`,
        ].join('\n'),
        for: t.requestLatencyFor,
        severity: 'warning',
        summary:
          'Kafka {{ $labels.kafka_api_name }} requests to {{ $labels.server_address }} are slow',
        description:
          'The p99 of {{ $labels.kafka_api_name }} requests from service {{ $labels.job }} to broker {{ $labels.server_address }} is {{ $value | humanizeDuration }}.',
      },
    ],
  };
}

const CONNECT = '(Connect collector {{ $labels.job }}/{{ $labels.instance }})';

/**
 * Kafka Connect from the Connect collector: the REST API's connector and task states, and the
 * per-task error metrics of the workers' JMX. Connector names are in kafka_connect_connector.
 */
function connectRules(t: AlertThresholds): AlertRuleGroup {
  const errors = 'kafka_connect_task_record_errors_total';
  const deadLettered = 'kafka_connect_task_dlq_produce_requests_total';
  return {
    name: 'kafka-otel.connect',
    rules: [
      {
        alert: 'KafkaConnectDown',
        expr: 'kafka_connect_up == 0',
        for: t.connectDownFor,
        severity: 'warning',
        summary: 'The Kafka Connect REST API does not answer the collector',
        description: `kafka_connect_up is 0: the Connect REST API was unreachable, refused the credentials or answered something else, so no connector or task state is known ${CONNECT}. kafka_connect_scrape_errors_total by phase and error_type says which.`,
      },
      {
        alert: 'KafkaConnectConnectorFailed',
        expr: 'kafka_connect_connector_state{kafka_connect_state="FAILED"} == 1',
        for: t.connectFailedFor,
        severity: 'critical',
        summary: 'Kafka Connect connector {{ $labels.kafka_connect_connector }} has FAILED',
        description: `The {{ $labels.kafka_connect_connector_type }} connector {{ $labels.kafka_connect_connector }} is in state FAILED: it moves no data until it is fixed and restarted; its trace is in the collector's log and in GET /connectors/{{ $labels.kafka_connect_connector }}/status ${CONNECT}.`,
      },
      {
        alert: 'KafkaConnectTaskFailed',
        expr: 'kafka_connect_task_state{kafka_connect_state="FAILED"} == 1',
        for: t.connectFailedFor,
        severity: 'critical',
        summary:
          'Task {{ $labels.kafka_connect_task }} of Kafka Connect connector {{ $labels.kafka_connect_connector }} has FAILED',
        description: `Task {{ $labels.kafka_connect_task }} of connector {{ $labels.kafka_connect_connector }} on worker {{ $labels.kafka_connect_worker }} is in state FAILED: its share of the data stops until it is restarted, even while the connector itself reads RUNNING ${CONNECT}.`,
      },
      {
        alert: 'KafkaConnectTaskErrors',
        expr: [
          'sum by (job, instance, kafka_connect_connector, kafka_connect_task) (',
          `  rate(${errors}[${t.connectTaskErrorWindow}])`,
          `) > ${t.connectTaskErrorsPerSecond}`,
        ].join('\n'),
        for: t.connectTaskErrorFor,
        severity: 'warning',
        summary:
          'Task {{ $labels.kafka_connect_task }} of Kafka Connect connector {{ $labels.kafka_connect_connector }} fails records',
        description: `Task {{ $labels.kafka_connect_task }} of connector {{ $labels.kafka_connect_connector }} has {{ printf "%.2f" $value }} record errors per second (conversion, transformation, put or poll); kafka_connect_task_records_skipped_total and kafka_connect_task_dlq_produce_requests_total say where the records went ${CONNECT}.`,
      },
      {
        alert: 'KafkaConnectDeadLetterQueueGrowing',
        expr: [
          'sum by (job, instance, kafka_connect_connector) (',
          `  increase(${deadLettered}[${t.connectDeadLetterWindow}])`,
          ') > 0',
        ].join('\n'),
        for: '0s',
        severity: 'warning',
        summary:
          'Kafka Connect connector {{ $labels.kafka_connect_connector }} sends records to its dead letter queue',
        description: `Connector {{ $labels.kafka_connect_connector }} sent about {{ $value | humanize }} record(s) to its dead letter queue topic in the last ${t.connectDeadLetterWindow}: they were not delivered and wait there to be looked at ${CONNECT}.`,
      },
    ],
  };
}

/** The brokers' own JMX metrics (KafkaBrokerJmxCollector): an endpoint that stops answering. */
function brokerJmxRules(t: AlertThresholds): AlertRuleGroup {
  return {
    name: 'kafka-otel.broker-jmx',
    rules: [
      {
        alert: 'KafkaBrokerJmxDown',
        expr: 'kafka_broker_jmx_up == 0',
        for: t.brokerJmxDownFor,
        severity: 'warning',
        summary: 'The Jolokia agent of a Kafka broker does not answer',
        description:
          'Jolokia endpoint {{ $labels.endpoint }} did not answer the collector {{ $labels.job }}/{{ $labels.instance }}: the broker is down or its agent unreachable, and its request and KRaft metrics are not exported.',
      },
    ],
  };
}

/** Every alert of kafka-otel, in rule groups, with these thresholds. */
export function alertRuleGroups(thresholds: AlertThresholds): AlertRuleGroup[] {
  return [
    collectorRules(thresholds),
    clusterRules(thresholds),
    consumerGroupRules(thresholds),
    clientRules(thresholds),
    connectRules(thresholds),
    brokerJmxRules(thresholds),
  ];
}
