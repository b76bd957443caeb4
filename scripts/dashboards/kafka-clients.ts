/**
 * Kafka clients: what the applications see, from the instrumentation's series (arriving from an
 * app's own /metrics or through otel-collector.yaml: the names are the same). `job` is the
 * service (service.name through the Collector).
 */
import { plot, q, type Dashboard } from './panel-model';

const APP = 'job=~"$job"';
const TOPIC = `${APP}, messaging_destination_name=~"$topic"`;
const GROUP = `${APP}, messaging_consumer_group_name=~"$group"`;
const R = '$__rate_interval';

/** p50 and p99 of a histogram, by the given labels. */
function quantiles(histogram: string, selector: string, by: string, legend: string) {
  return [0.5, 0.99].map((quantile) =>
    q(
      `histogram_quantile(${quantile}, sum by (${by}, le) (rate(${histogram}_bucket{${selector}}[${R}])))`,
      `p${quantile * 100} ${legend}`,
    ),
  );
}

export const KAFKA_CLIENTS: Dashboard = {
  uid: 'kafka-otel-clients',
  file: 'kafka-clients',
  title: 'Kafka clients',
  description:
    'Producers and consumers instrumented by kafka-otel: messages, errors, request latency per API and broker, consumer groups as the consumers see them, and the Node.js runtime of the same services.',
  variables: [
    { name: 'job', label: 'Service', selector: 'kafka_client_connections', labelName: 'job' },
    {
      name: 'topic',
      label: 'Topic',
      selector: `{__name__=~"messaging_client_(sent|consumed)_messages_total", ${APP}}`,
      labelName: 'messaging_destination_name',
    },
    {
      name: 'group',
      label: 'Consumer group',
      selector: `messaging_client_consumed_messages_total{${APP}}`,
      labelName: 'messaging_consumer_group_name',
    },
  ],
  rows: [
    {
      title: 'Produce and consume',
      panels: [
        plot(
          'Messages sent',
          'suffix:msg/s',
          'Messages producers sent, per topic, failed sends included.',
          [
            q(
              `sum by (messaging_destination_name) (rate(messaging_client_sent_messages_total{${TOPIC}}[${R}]))`,
              '{{messaging_destination_name}}',
            ),
          ],
        ),
        plot(
          'Failed sends',
          'suffix:msg/s',
          'Messages whose send failed, by topic and error.type (the Kafka error name, or the exception type).',
          [
            q(
              `sum by (messaging_destination_name, error_type) (rate(messaging_client_sent_messages_total{${TOPIC}, error_type!=""}[${R}]))`,
              '{{messaging_destination_name}} {{error_type}}',
            ),
          ],
        ),
        plot(
          'Messages consumed',
          'suffix:msg/s',
          'Messages delivered to the application, per topic and group.',
          [
            q(
              `sum by (messaging_destination_name, messaging_consumer_group_name) (rate(messaging_client_consumed_messages_total{${TOPIC}, messaging_consumer_group_name=~"$group"}[${R}]))`,
              '{{messaging_destination_name}} / {{messaging_consumer_group_name}}',
            ),
          ],
        ),
        plot(
          'Handler errors',
          'suffix:calls/s',
          'eachMessage / eachBatch calls that threw, by group and error.type.',
          [
            q(
              `sum by (messaging_consumer_group_name, error_type) (rate(messaging_process_duration_count{${GROUP}, error_type!=""}[${R}]))`,
              '{{messaging_consumer_group_name}} {{error_type}}',
            ),
          ],
        ),
        plot(
          'Send duration',
          's',
          'Time from send() to the broker acknowledgement, p50 and p99 per topic.',
          quantiles(
            'messaging_client_operation_duration',
            `${TOPIC}, messaging_operation_name="send"`,
            'messaging_destination_name',
            '{{messaging_destination_name}}',
          ),
        ),
        plot(
          'Processing duration',
          's',
          'Time the eachMessage / eachBatch handler took, p50 and p99 per group.',
          quantiles(
            'messaging_process_duration',
            GROUP,
            'messaging_consumer_group_name',
            '{{messaging_consumer_group_name}}',
          ),
        ),
        plot(
          'End-to-end latency',
          's',
          'Age of a batch when the handler starts: from the first record timestamp to processing, p50 and p99 per topic and group.',
          quantiles(
            'kafka_consumer_end_to_end_latency',
            `${TOPIC}, messaging_consumer_group_name=~"$group"`,
            'messaging_destination_name, messaging_consumer_group_name',
            '{{messaging_destination_name}} / {{messaging_consumer_group_name}}',
          ),
        ),
        plot(
          'Message bytes',
          'Bps',
          'Bytes of keys and values sent (before compression) and consumed (after decompression), per topic.',
          [
            q(
              `sum by (messaging_destination_name) (rate(kafka_client_sent_bytes_total{${TOPIC}}[${R}]))`,
              'sent {{messaging_destination_name}}',
            ),
            q(
              `sum by (messaging_destination_name) (rate(kafka_client_consumed_bytes_total{${TOPIC}}[${R}]))`,
              'consumed {{messaging_destination_name}}',
            ),
          ],
        ),
      ],
    },
    {
      title: 'Requests to brokers',
      panels: [
        plot(
          'Request latency p50',
          's',
          'Kafka protocol requests, enqueue to decoded response, median per API and broker.',
          [
            q(
              `histogram_quantile(0.5, sum by (kafka_api_name, server_address, le) (rate(kafka_client_request_duration_bucket{${APP}}[${R}])))`,
              '{{kafka_api_name}} @ {{server_address}}',
            ),
          ],
        ),
        plot(
          'Request latency p99',
          's',
          'Kafka protocol requests, 99th percentile per API and broker. Fetch waits up to maxWaitTime at the broker by design.',
          [
            q(
              `histogram_quantile(0.99, sum by (kafka_api_name, server_address, le) (rate(kafka_client_request_duration_bucket{${APP}}[${R}])))`,
              '{{kafka_api_name}} @ {{server_address}}',
            ),
          ],
        ),
        plot('Requests', 'reqps', 'Requests per second, per API.', [
          q(
            `sum by (kafka_api_name) (rate(kafka_client_request_duration_count{${APP}}[${R}]))`,
            '{{kafka_api_name}}',
          ),
        ]),
        plot(
          'Request errors',
          'reqps',
          'Requests that failed, by API and error.type (a Kafka error name such as NOT_LEADER_OR_FOLLOWER, or timeout / connection).',
          [
            q(
              `sum by (kafka_api_name, error_type) (rate(kafka_client_request_duration_count{${APP}, error_type!=""}[${R}]))`,
              '{{kafka_api_name}} {{error_type}}',
            ),
          ],
        ),
        plot(
          'Request and response bytes',
          'Bps',
          'Bytes on the wire to and from the brokers, headers included.',
          [
            q(
              `sum by (server_address) (rate(kafka_client_request_size_sum{${APP}}[${R}]))`,
              'request {{server_address}}',
            ),
            q(
              `sum by (server_address) (rate(kafka_client_response_size_sum{${APP}}[${R}]))`,
              'response {{server_address}}',
            ),
          ],
        ),
        plot(
          'Request timeouts',
          'reqps',
          'Requests that got no answer within requestTimeout, per API and broker.',
          [
            q(
              `sum by (kafka_api_name, server_address) (rate(kafka_client_request_timeouts_total{${APP}}[${R}]))`,
              '{{kafka_api_name}} @ {{server_address}}',
            ),
          ],
        ),
        plot(
          'Queued requests',
          'short',
          'Requests waiting for a free in-flight slot on a broker connection: a broker that cannot keep up.',
          [
            q(
              `sum by (server_address) (kafka_client_request_queue_size{${APP}})`,
              '{{server_address}}',
            ),
          ],
          { integer: true },
        ),
        plot(
          'Connections',
          'short',
          'Open TCP connections to brokers, by client kind.',
          [
            q(
              `sum by (kafka_client_kind) (kafka_client_connections{${APP}})`,
              '{{kafka_client_kind}}',
            ),
          ],
          { integer: true, stacked: true },
        ),
      ],
    },
    {
      title: 'Consumer groups, as the consumers see them',
      panels: [
        plot(
          'Consumer lag per partition',
          'short',
          'Messages between the last processed offset and the high watermark, as of each consumer’s last batch.',
          [
            q(
              `max by (messaging_consumer_group_name, messaging_destination_name, messaging_destination_partition_id) (kafka_consumer_lag{${GROUP}, messaging_destination_name=~"$topic"})`,
              '{{messaging_consumer_group_name}} {{messaging_destination_name}}[{{messaging_destination_partition_id}}]',
            ),
          ],
          { integer: true },
        ),
        plot(
          'Assigned partitions',
          'short',
          'Partitions each group’s consumers hold after the last rebalance.',
          [
            q(
              `sum by (messaging_consumer_group_name) (kafka_consumer_assigned_partitions{${GROUP}})`,
              '{{messaging_consumer_group_name}}',
            ),
          ],
          { integer: true },
        ),
        plot('Rebalances', 'short', 'Rebalances the consumers took part in, per interval.', [
          q(
            `sum by (messaging_consumer_group_name) (increase(kafka_consumer_rebalances_total{${GROUP}}[${R}]))`,
            '{{messaging_consumer_group_name}}',
          ),
        ]),
        plot(
          'Group join time',
          's',
          'Mean time to join (or rejoin) the group and receive an assignment, since each consumer started.',
          [
            q(
              `sum by (messaging_consumer_group_name) (kafka_consumer_group_join_duration_sum{${GROUP}}) / sum by (messaging_consumer_group_name) (kafka_consumer_group_join_duration_count{${GROUP}})`,
              '{{messaging_consumer_group_name}}',
            ),
          ],
        ),
        plot(
          'Commits',
          'suffix:commits/s',
          'Offset commits, by group; failed ones by error.type.',
          [
            q(
              `sum by (messaging_consumer_group_name, error_type) (rate(kafka_consumer_commits_total{${GROUP}}[${R}]))`,
              '{{messaging_consumer_group_name}} {{error_type}}',
            ),
          ],
        ),
        plot(
          'Consumer crashes',
          'short',
          'Consumer crashes per interval, by group, error.type and whether KafkaJS restarts the consumer.',
          [
            q(
              `sum by (messaging_consumer_group_name, error_type, kafka_consumer_restart) (increase(kafka_consumer_crashes_total{${GROUP}}[${R}]))`,
              '{{messaging_consumer_group_name}} {{error_type}} restart={{kafka_consumer_restart}}',
            ),
          ],
        ),
      ],
    },
    {
      title: 'Node.js runtime',
      panels: [
        plot(
          'Event loop delay',
          's',
          'p50 and p99 delay of the event loop (from @opentelemetry/instrumentation-runtime-node, on by default in kafka-otel/register): a blocked loop delays every Kafka callback.',
          [
            q(
              `max by (job, instance) (nodejs_eventloop_delay_p50{${APP}})`,
              'p50 {{job}} {{instance}}',
            ),
            q(
              `max by (job, instance) (nodejs_eventloop_delay_p99{${APP}})`,
              'p99 {{job}} {{instance}}',
            ),
          ],
        ),
        plot('Event loop utilization', 'percentunit', 'Share of time the event loop was busy.', [
          q(
            `max by (job, instance) (nodejs_eventloop_utilization{${APP}})`,
            '{{job}} {{instance}}',
          ),
        ]),
        plot(
          'Time in garbage collection',
          'percentunit',
          'Share of time spent in V8 garbage collection, by GC type.',
          [
            q(
              `sum by (job, v8js_gc_type) (rate(v8js_gc_duration_sum{${APP}}[${R}]))`,
              '{{job}} {{v8js_gc_type}}',
            ),
          ],
        ),
        plot('Heap', 'bytes', 'V8 heap used, and the heap V8 has reserved, per process.', [
          q(`sum by (job, instance) (v8js_memory_heap_used{${APP}})`, 'used {{job}} {{instance}}'),
          q(
            `sum by (job, instance) (v8js_memory_heap_space_size{${APP}})`,
            'reserved {{job}} {{instance}}',
          ),
        ]),
      ],
    },
  ],
};
