/**
 * Every number and duration the alert rules compare against, in one place. `npm run alerts`
 * renders alerts/kafka-otel.rules.yml and alerts/kafka-otel.prometheusrule.yaml from these.
 * Each value appears only in the rule that uses it, so a user of the rendered files can also
 * change it there (docs/alerts.md lists which rule holds which).
 *
 * Durations are Prometheus durations (`30s`, `5m`, `1h`); ratios are between 0 and 1.
 */
export interface AlertThresholds {
  /** Prometheus job scraping `kafka-otel collect` (its absence is an alert of its own). */
  collectorJob: string;
  /** How long the collector may report incomplete snapshots, or be missing, before paging. */
  collectorDownFor: string;
  /** How long partitions may stay without a leader (a broker restart elects one in seconds). */
  offlinePartitionsFor: string;
  /** How long partitions may stay under min.insync.replicas (acks=all producers fail). */
  underMinIsrFor: string;
  /** How long partitions may stay under-replicated (a restarted broker catches up meanwhile). */
  underReplicatedFor: string;
  /** How long the KRaft metadata quorum may have no leader. */
  quorumLeaderMissingFor: string;
  /** Metadata log entries a voter may be behind the quorum leader. */
  quorumVoterLagEntries: number;
  /** Seconds a voter may go without fetching from the quorum leader. */
  quorumVoterFetchAgeSeconds: number;
  /** How long a voter may stay behind (entries or fetch age) before the alert fires. */
  quorumVoterBehindFor: string;
  /**
   * How long a group may keep the status STALL, STOP or ERR. The status already looks at a
   * window of snapshots (lagStatusWindow, 10 by default), so this only rides out one bad reading.
   */
  consumerGroupStatusFor: string;
  /** Age in seconds of a group's oldest unconsumed message (time lag) that is too old. */
  consumerGroupTimeLagSeconds: number;
  /** How long the time lag must stay over the threshold. */
  consumerGroupTimeLagFor: string;
  /** Consumer crashes in `consumerCrashWindow` that fire the alert. */
  consumerCrashes: number;
  /** Window the consumer crashes are counted over. */
  consumerCrashWindow: string;
  /** Share of a topic's produced messages that failed, over `producerErrorWindow`. */
  producerErrorRatio: number;
  /** Rate window of the producer error ratio. */
  producerErrorWindow: string;
  /** How long the producer error ratio must stay over the threshold. */
  producerErrorFor: string;
  /** p99 of Kafka request durations, in seconds, per API and broker. */
  requestP99Seconds: number;
  /** Rate window of the request latency histogram. */
  requestLatencyWindow: string;
  /** How long the p99 must stay over the threshold. */
  requestLatencyFor: string;
  /**
   * APIs whose requests wait at the broker by design: Fetch long-polls up to the consumer's
   * maxWaitTime, JoinGroup and SyncGroup wait for the whole group. Their p99 says nothing bad.
   */
  requestLatencyExcludedApis: readonly string[];
  /** Free share of a log directory's volume under which a warning fires. */
  logDirFreeRatioWarning: number;
  /** Free share under which a critical alert fires. */
  logDirFreeRatioCritical: number;
  /** How long the free share must stay under the threshold. */
  logDirFreeFor: string;
  /** How long the Connect REST API may stay unreachable (a worker restart takes seconds). */
  connectDownFor: string;
  /**
   * How long a connector or task may stay FAILED. Connect never restarts a failed one by
   * itself, so this only rides out a reading taken during a restart the operator asked for.
   */
  connectFailedFor: string;
  /** Record errors per second of one task (conversion, transformation, put/poll) that is too many. */
  connectTaskErrorsPerSecond: number;
  /** Rate window of the task record errors. */
  connectTaskErrorWindow: string;
  /** How long the record error rate must stay over the threshold. */
  connectTaskErrorFor: string;
  /** Window in which any record sent to a dead letter queue fires the alert. */
  connectDeadLetterWindow: string;
  /** How long a broker's Jolokia agent may stay unreachable. */
  brokerJmxDownFor: string;
}

/** The thresholds the shipped rule files are rendered with. */
export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = {
  collectorJob: 'kafka-otel-collect',
  collectorDownFor: '5m',
  offlinePartitionsFor: '1m',
  underMinIsrFor: '2m',
  underReplicatedFor: '10m',
  quorumLeaderMissingFor: '1m',
  quorumVoterLagEntries: 1000,
  quorumVoterFetchAgeSeconds: 30,
  quorumVoterBehindFor: '5m',
  consumerGroupStatusFor: '2m',
  consumerGroupTimeLagSeconds: 600,
  consumerGroupTimeLagFor: '5m',
  consumerCrashes: 3,
  consumerCrashWindow: '15m',
  producerErrorRatio: 0.05,
  producerErrorWindow: '5m',
  producerErrorFor: '5m',
  requestP99Seconds: 1,
  requestLatencyWindow: '5m',
  requestLatencyFor: '10m',
  requestLatencyExcludedApis: ['Fetch', 'JoinGroup', 'SyncGroup'],
  logDirFreeRatioWarning: 0.15,
  logDirFreeRatioCritical: 0.05,
  logDirFreeFor: '10m',
  connectDownFor: '5m',
  connectFailedFor: '2m',
  connectTaskErrorsPerSecond: 0.1,
  connectTaskErrorWindow: '5m',
  connectTaskErrorFor: '5m',
  connectDeadLetterWindow: '10m',
  brokerJmxDownFor: '5m',
};
