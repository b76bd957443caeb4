/**
 * Consumer groups from the cluster's side (the collector's snapshot of committed offsets): lag
 * in messages and in seconds, the lag status, state and members; the groups lagging most; and a
 * drill-down to the partitions of the selected groups.
 */
import { instant, plot, q, ZERO_IS_HEALTHY, type Dashboard, type Panel } from './panel-model';

const JOB = 'job=~"$job"';
const GROUPS = `${JOB}, group=~"$group"`;
const TOPICS = `${GROUPS}, topic=~"$topic"`;
const R = '$__rate_interval';

const topN = (title: string, unit: string, description: string, expr: string): Panel => ({
  kind: 'bargauge',
  title,
  unit,
  description,
  queries: [instant(expr, '{{group}}')],
});

export const CONSUMER_GROUPS: Dashboard = {
  uid: 'kafka-otel-consumer-groups',
  file: 'kafka-consumer-groups',
  title: 'Kafka consumer groups',
  description:
    'Consumer groups as the cluster sees them (kafka-otel collect): lag in messages and seconds, lag status, state, members and committed offsets.',
  variables: [
    { name: 'job', label: 'Collector', selector: 'kafka_collector_up', labelName: 'job' },
    {
      name: 'group',
      label: 'Consumer group',
      selector: `kafka_consumer_group_state{${JOB}}`,
      labelName: 'group',
    },
    {
      name: 'topic',
      label: 'Topic',
      selector: `kafka_consumer_group_lag_sum{${GROUPS}}`,
      labelName: 'topic',
    },
  ],
  rows: [
    {
      title: 'All groups',
      panels: [
        topN(
          'Top 10 groups by lag',
          'short',
          'Groups with the most unconsumed messages, summed over their topics.',
          `topk(10, sum by (group) (kafka_consumer_group_lag_sum{${JOB}}))`,
        ),
        topN(
          'Top 10 groups by time lag',
          's',
          'Groups whose oldest unconsumed message is the oldest.',
          `topk(10, max by (group) (kafka_consumer_group_time_lag_max{${JOB}}))`,
        ),
        {
          kind: 'stat',
          title: 'Groups by lag status',
          unit: 'short',
          description:
            'How many groups are in each lag status. OK and WARN are healthy or catching up; STALL (members, commits stopped), STOP (no members, lag left), ERR (committed offset before the log start: messages skipped) and REWIND need a look.',
          // The gauge is 1 for a group's status and 0 for the others: the sum counts groups.
          queries: [instant(`sum by (status) (kafka_consumer_group_status{${JOB}})`, '{{status}}')],
          width: 12,
          integer: true,
        },
        {
          kind: 'stat',
          title: 'Groups stalled, stopped or skipping',
          unit: 'short',
          description:
            'Groups whose status is STALL, STOP or ERR: what the consumer-group alerts fire on.',
          queries: [
            // A sum rather than a count of `== 1`: no statuses at all (collector down) shows
            // no data, never a healthy 0.
            instant(`sum(kafka_consumer_group_status{${JOB}, status=~"STALL|STOP|ERR"})`, 'groups'),
          ],
          width: 12,
          thresholds: ZERO_IS_HEALTHY,
          integer: true,
        },
      ],
    },
    {
      title: 'Selected groups',
      panels: [
        plot(
          'Lag',
          'short',
          'Unconsumed messages per group and topic (log end offset minus committed offset).',
          [
            q(
              `sum by (group, topic) (kafka_consumer_group_lag_sum{${TOPICS}})`,
              '{{group}} {{topic}}',
            ),
          ],
          { integer: true },
        ),
        plot(
          'Time lag',
          's',
          'Age of the oldest unconsumed message per group and topic: how far behind real time the group is.',
          [
            q(
              `max by (group, topic) (kafka_consumer_group_time_lag_max{${TOPICS}})`,
              '{{group}} {{topic}}',
            ),
          ],
        ),
        plot(
          'Lag status',
          'none',
          'The status each group is in over time (one line per status held), from the sliding window of snapshots.',
          [
            q(
              `max by (group, status) (kafka_consumer_group_status{${GROUPS}} == 1)`,
              '{{group}} {{status}}',
            ),
          ],
          { integer: true },
        ),
        plot(
          'State',
          'none',
          'The group coordinator’s state of each group (Stable, Empty, PreparingRebalance, ...).',
          [
            q(
              `max by (group, state) (kafka_consumer_group_state{${GROUPS}} == 1)`,
              '{{group}} {{state}}',
            ),
          ],
          { integer: true },
        ),
        plot(
          'Members',
          'short',
          'Members of each group.',
          [q(`max by (group) (kafka_consumer_group_members{${GROUPS}})`, '{{group}}')],
          { integer: true },
        ),
        plot(
          'Commit rate',
          'suffix:msg/s',
          'How fast committed offsets advance: the messages per second each group processes, as the cluster sees it.',
          [
            q(
              `sum by (group, topic) (rate(kafka_consumer_group_offset_sum{${TOPICS}}[${R}]))`,
              '{{group}} {{topic}}',
            ),
          ],
        ),
      ],
    },
    {
      title: 'Partitions of the selected groups',
      panels: [
        plot(
          'Lag per partition',
          'short',
          'Unconsumed messages per partition.',
          [
            q(
              `max by (group, topic, partition) (kafka_consumer_group_lag{${TOPICS}})`,
              '{{group}} {{topic}}[{{partition}}]',
            ),
          ],
          { integer: true },
        ),
        plot('Time lag per partition', 's', 'Age of the oldest unconsumed message per partition.', [
          q(
            `max by (group, topic, partition) (kafka_consumer_group_time_lag{${TOPICS}})`,
            '{{group}} {{topic}}[{{partition}}]',
          ),
        ]),
        plot(
          'Committed and log end offsets',
          'short',
          'Per partition, the offset the group committed and the log end offset of the partition: the gap is the lag.',
          [
            q(
              `max by (group, topic, partition) (kafka_consumer_group_offset{${TOPICS}})`,
              'committed {{group}} {{topic}}[{{partition}}]',
            ),
            q(
              `max by (topic, partition) (kafka_partition_current_offset{${JOB}, topic=~"$topic"}) and on (topic, partition) group by (topic, partition) (kafka_consumer_group_offset{${TOPICS}})`,
              'log end {{topic}}[{{partition}}]',
            ),
          ],
          { width: 24, integer: true },
        ),
      ],
    },
  ],
};
