/**
 * Cluster health from the collector's snapshot: brokers and partitions, replication (cluster
 * and per topic), leadership, storage and free space, the KRaft metadata quorum, the brokers'
 * own request and KRaft metrics when the collector reads their JMX (`--broker-jmx-urls`), and
 * the collector itself (a collector that is down must read as down, not as a healthy cluster).
 */
import { ONE_IS_HEALTHY, plot, q, stat, ZERO_IS_HEALTHY, type Dashboard } from './panel-model';

const JOB = 'job=~"$job"';
const TOPIC = `${JOB}, topic=~"$topic"`;
const R = '$__rate_interval';
/** Said by every broker-internals panel: the row is empty without the optional JMX source. */
const JMX = 'From the brokers’ Jolokia agents (--broker-jmx-urls); empty without them.';

export const CLUSTER_HEALTH: Dashboard = {
  uid: 'kafka-otel-cluster-health',
  file: 'kafka-cluster-health',
  title: 'Kafka cluster health',
  description:
    'One Kafka cluster as kafka-otel collect sees it: brokers, replication, leadership, storage, the KRaft metadata quorum and the collector’s own health.',
  variables: [
    {
      name: 'job',
      label: 'Collector',
      selector: 'kafka_collector_up',
      labelName: 'job',
      multi: false,
    },
    {
      name: 'topic',
      label: 'Topic',
      selector: `kafka_topic_partitions{${JOB}}`,
      labelName: 'topic',
    },
  ],
  rows: [
    {
      title: 'Overview',
      panels: [
        stat(
          'Collector up',
          'none',
          '1 when the last snapshot was complete; 0 when the cluster was unreachable or a phase failed. With 0 the other panels show what the last complete snapshots said, or nothing.',
          [q(`min(kafka_collector_up{${JOB}})`, 'up')],
          { thresholds: ONE_IS_HEALTHY, integer: true },
        ),
        stat(
          'Brokers',
          'short',
          'Brokers registered in the cluster.',
          [q(`max(kafka_brokers{${JOB}})`, 'brokers')],
          { integer: true },
        ),
        stat(
          'Partitions',
          'short',
          'Partitions of the topics the collector watches.',
          [q(`sum(kafka_topic_partitions{${JOB}})`, 'partitions')],
          { integer: true },
        ),
        stat(
          'Offline partitions',
          'short',
          'Partitions without a leader: unavailable for reads and writes.',
          [q(`max(kafka_cluster_partitions_offline{${JOB}})`, 'offline')],
          { thresholds: ZERO_IS_HEALTHY, integer: true },
        ),
        stat(
          'Under min ISR',
          'short',
          'Partitions with fewer in-sync replicas than min.insync.replicas: acks=all producers fail on them.',
          [q(`max(kafka_cluster_partitions_under_min_isr{${JOB}})`, 'under min ISR')],
          { thresholds: ZERO_IS_HEALTHY, integer: true },
        ),
        stat(
          'Under-replicated',
          'short',
          'Partitions with a leader but not all replicas in sync.',
          [q(`max(kafka_cluster_partitions_under_replicated{${JOB}})`, 'under-replicated')],
          { thresholds: ZERO_IS_HEALTHY, integer: true },
        ),
      ],
    },
    {
      title: 'Replication and leadership',
      panels: [
        plot(
          'Unhealthy partitions per topic',
          'short',
          'Per topic: partitions offline, under min ISR and under-replicated.',
          [
            q(`sum by (topic) (kafka_partition_offline{${TOPIC}})`, 'offline {{topic}}'),
            q(
              `sum by (topic) (kafka_partition_under_min_isr{${TOPIC}})`,
              'under min ISR {{topic}}',
            ),
            q(
              `sum by (topic) (kafka_partition_under_replicated{${TOPIC}})`,
              'under-replicated {{topic}}',
            ),
          ],
          { integer: true },
        ),
        plot(
          'In-sync replicas per topic',
          'short',
          'Replicas in sync against replicas assigned, summed over each topic’s partitions.',
          [
            q(`sum by (topic) (kafka_partition_replicas_in_sync{${TOPIC}})`, 'in sync {{topic}}'),
            q(`sum by (topic) (kafka_partition_replicas{${TOPIC}})`, 'assigned {{topic}}'),
          ],
          { integer: true },
        ),
        plot(
          'Leaders per broker',
          'short',
          'Partitions each broker leads: an uneven spread means some brokers carry more of the load (a preferred leader election evens it).',
          [q(`max by (broker) (kafka_broker_leader_count{${JOB}})`, 'broker {{broker}}')],
          { integer: true, stacked: true },
        ),
        plot(
          'Messages written',
          'suffix:msg/s',
          'Growth of the log end offsets: messages per second written to each topic.',
          [q(`sum by (topic) (rate(kafka_partition_current_offset{${TOPIC}}[${R}]))`, '{{topic}}')],
        ),
      ],
    },
    {
      title: 'Storage',
      panels: [
        plot(
          'Topic size on disk',
          'bytes',
          'Bytes of each topic on disk, all replicas on all brokers.',
          [q(`max by (topic) (kafka_topic_size{${TOPIC}})`, '{{topic}}')],
        ),
        plot(
          'Log directory size',
          'bytes',
          'Bytes of all partitions in each broker log directory.',
          [
            q(
              `max by (broker, log_dir) (kafka_broker_log_dir_size{${JOB}})`,
              'broker {{broker}} {{log_dir}}',
            ),
          ],
        ),
        plot(
          'Log directory free space',
          'percentunit',
          'Share of each log directory’s volume still usable by Kafka (Kafka 3.3+). The log-dir alerts fire under 15% and 5%.',
          [
            q(
              `max by (broker, log_dir) (kafka_broker_log_dir_usable{${JOB}}) / max by (broker, log_dir) (kafka_broker_log_dir_total{${JOB}})`,
              'broker {{broker}} {{log_dir}}',
            ),
          ],
        ),
        plot(
          'Log directory usable bytes',
          'bytes',
          'Bytes still usable by Kafka on each log directory’s volume.',
          [
            q(
              `max by (broker, log_dir) (kafka_broker_log_dir_usable{${JOB}})`,
              'broker {{broker}} {{log_dir}}',
            ),
          ],
        ),
      ],
    },
    {
      title: 'KRaft metadata quorum',
      panels: [
        stat(
          'Quorum leader',
          'none',
          'Node id of the active controller; -1 when the quorum has no leader.',
          [q(`max(kafka_quorum_leader{${JOB}})`, 'leader')],
          { integer: true, width: 6 },
        ),
        stat(
          'Quorum epoch',
          'none',
          'Leader epoch of the metadata quorum: it grows with every election.',
          [q(`max(kafka_quorum_epoch{${JOB}})`, 'epoch')],
          { integer: true, width: 6 },
        ),
        stat(
          'Elections in range',
          'short',
          'Epoch changes over the dashboard’s time range: controller elections.',
          [q(`max(changes(kafka_quorum_epoch{${JOB}}[$__range]))`, 'elections')],
          { integer: true, width: 6 },
        ),
        stat(
          'Metadata log growth',
          'suffix:entries/s',
          'Rate at which the __cluster_metadata high watermark advances.',
          [q(`max(rate(kafka_quorum_high_watermark{${JOB}}[${R}]))`, 'entries/s')],
          { width: 6 },
        ),
        plot(
          'Voter lag',
          'short',
          'Metadata log entries each voter is behind the leader.',
          [q(`max by (voter) (kafka_quorum_voter_lag{${JOB}})`, 'voter {{voter}}')],
          { integer: true },
        ),
        plot(
          'Voter fetch age',
          's',
          'Seconds since each voter last fetched from the leader, as the leader saw it.',
          [q(`max by (voter) (kafka_quorum_voter_fetch_age{${JOB}})`, 'voter {{voter}}')],
        ),
      ],
    },
    {
      title: 'Broker internals (JMX)',
      panels: [
        plot(
          'Requests per API',
          'reqps',
          `Requests the brokers serve per second, per API (all versions). ${JMX}`,
          [
            q(
              `sum by (kafka_api_name) (rate(kafka_broker_request_count_total{${JOB}}[${R}]))`,
              '{{kafka_api_name}}',
            ),
          ],
        ),
        plot(
          'Request time p99 per API',
          's',
          `99th percentile of the time from a request’s arrival to its response, per API, on the slowest broker (the broker’s own recent sample). Fetch waits up to the consumer’s max wait by design. ${JMX}`,
          [
            q(
              `max by (kafka_api_name) (kafka_broker_request_total_time_p99{${JOB}})`,
              '{{kafka_api_name}}',
            ),
          ],
        ),
        plot(
          'Request errors',
          'suffix:errors/s',
          `Responses with an error code per second, by API and Kafka error (MESSAGE_TOO_LARGE, NOT_COORDINATOR...). A series appears with its first error. ${JMX}`,
          [
            q(
              `sum by (kafka_api_name, error_type) (rate(kafka_broker_request_errors_total{${JOB}}[${R}]))`,
              '{{kafka_api_name}} {{error_type}}',
            ),
          ],
        ),
        plot(
          'Request queue',
          'short',
          `Requests waiting for a request handler thread on each broker: a queue that stays up means the handlers cannot keep up. ${JMX}`,
          [q(`max by (broker) (kafka_broker_request_queue_size{${JOB}})`, 'broker {{broker}}')],
          { integer: true },
        ),
        plot(
          'Handler and network idle',
          'percentunit',
          `Share of time each broker’s request handler and network processor threads are idle: near 0 the broker is saturated. ${JMX}`,
          [
            q(
              `max by (broker) (kafka_broker_request_handler_idle_ratio{${JOB}})`,
              'handlers {{broker}}',
            ),
            q(
              `max by (broker) (kafka_broker_network_processor_idle_ratio{${JOB}})`,
              'network {{broker}}',
            ),
          ],
        ),
        plot(
          'Under-replicated and offline (brokers’ view)',
          'short',
          `Partitions each broker leads that are under-replicated, and partitions without a leader as the active controller counts them: the brokers’ own numbers next to the snapshot’s above. ${JMX}`,
          [
            q(
              `max by (broker) (kafka_broker_partitions_under_replicated{${JOB}})`,
              'under-replicated, broker {{broker}}',
            ),
            q(
              `max(kafka_broker_controller_partitions_offline{${JOB}})`,
              'offline (active controller)',
            ),
          ],
          { integer: true },
        ),
        plot(
          'Raft leader and epoch per node',
          'none',
          `The quorum leader and epoch as each node sees them: a node that disagrees with the others is cut off from the quorum. ${JMX}`,
          [
            q(`max by (broker) (kafka_raft_leader{${JOB}})`, 'leader, seen by {{broker}}'),
            q(`max by (broker) (kafka_raft_epoch{${JOB}})`, 'epoch, seen by {{broker}}'),
          ],
          { integer: true },
        ),
        plot(
          'Raft state and elections',
          'short',
          `Each node’s KRaft state (leader, follower, observer...), and the active controller changes it counted per interval. ${JMX}`,
          [
            q(`max by (broker, state) (kafka_raft_state{${JOB}} == 1)`, '{{broker}} {{state}}'),
            q(
              `sum by (broker) (increase(kafka_raft_elections_total{${JOB}}[${R}]))`,
              'elections, counted by {{broker}}',
            ),
          ],
          { integer: true },
        ),
        plot(
          'Raft commit latency',
          's',
          `Average and longest time to commit a metadata record, per node (Kafka’s own sample window). ${JMX}`,
          [
            q(`max by (broker) (kafka_raft_commit_latency_avg{${JOB}})`, 'avg {{broker}}'),
            q(`max by (broker) (kafka_raft_commit_latency_max{${JOB}})`, 'max {{broker}}'),
          ],
        ),
        plot(
          'Raft records',
          'suffix:records/s',
          `Metadata records each node appends to and fetches into its log (Kafka’s own rates). ${JMX}`,
          [
            q(`max by (broker) (kafka_raft_append_records_rate{${JOB}})`, 'append {{broker}}'),
            q(`max by (broker) (kafka_raft_fetch_records_rate{${JOB}})`, 'fetch {{broker}}'),
          ],
        ),
        plot(
          'Metadata snapshot age',
          's',
          `Time since each node generated its latest metadata snapshot: it grows until the next snapshot. ${JMX}`,
          [q(`max by (broker) (kafka_raft_snapshot_age{${JOB}})`, 'node {{broker}}')],
        ),
        plot(
          'Metadata snapshot size',
          'bytes',
          `Size of each node’s latest metadata snapshot. ${JMX}`,
          [q(`max by (broker) (kafka_raft_snapshot_size{${JOB}})`, 'node {{broker}}')],
        ),
      ],
    },
    {
      title: 'Collector',
      panels: [
        plot(
          'Broker JMX endpoints up',
          'none',
          `1 per broker Jolokia agent that answered the last read, 0 for one that did not (KafkaBrokerJmxDown). ${JMX}`,
          [q(`min by (endpoint) (kafka_broker_jmx_up{${JOB}})`, '{{endpoint}}')],
          { integer: true },
        ),
        plot(
          'Snapshot duration',
          's',
          'Time one cluster snapshot takes, p50 and p99.',
          [0.5, 0.99].map((quantile) =>
            q(
              `histogram_quantile(${quantile}, sum by (job, le) (rate(kafka_collector_scrape_duration_bucket{${JOB}}[${R}])))`,
              `p${quantile * 100}`,
            ),
          ),
        ),
        plot(
          'Scrape errors',
          'suffix:errors/s',
          'Failed requests and phases without a result before the deadline, by phase and error.type; their snapshot reads up 0.',
          [
            q(
              `sum by (phase, error_type) (rate(kafka_collector_scrape_errors_total{${JOB}}[${R}]))`,
              '{{phase}} {{error_type}}',
            ),
          ],
        ),
        plot(
          'Time lag sources',
          'short',
          'Lagging group-partitions of the last snapshot by where their time lag came from: read from the log, or interpolated from earlier snapshots.',
          [q(`max by (source) (kafka_collector_time_lag_partitions{${JOB}})`, '{{source}}')],
          { integer: true, stacked: true },
        ),
        plot(
          'Series dropped',
          'short',
          'Series past --max-series that were not exported, per interval: the snapshot was not exported whole (per-partition series go first).',
          [
            q(
              `sum by (job) (increase(kafka_collector_series_dropped_total{${JOB}}[${R}]))`,
              '{{job}}',
            ),
          ],
        ),
      ],
    },
  ],
};
