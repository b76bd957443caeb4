import {
  ATTR_GROUP,
  ATTR_PARTITION,
  ATTR_STATE,
  ATTR_STATUS,
  ATTR_TOPIC,
} from '../collector-attributes';
import type { GroupPartitionSnapshot, GroupSnapshot } from '../cluster-snapshot';
import { metricFamily } from './metric-family';

/** Classic group states; a group's current state is reported even when it is not listed here. */
const GROUP_STATES = ['Stable', 'Empty', 'PreparingRebalance', 'CompletingRebalance', 'Dead'];
import { LAG_STATUSES } from '../lag/lag-status';

const PER_TOPIC = [ATTR_GROUP, ATTR_TOPIC];
const PER_PARTITION = [ATTR_GROUP, ATTR_TOPIC, ATTR_PARTITION];

/** Members, state, committed offsets, lag in messages and in seconds, and lag status per group. */
export const consumerGroupMetrics = metricFamily(
  {
    members: {
      name: 'kafka.consumer_group.members',
      unit: '{member}',
      description: 'Members of the consumer group.',
      attributes: [ATTR_GROUP],
    },
    state: {
      name: 'kafka.consumer_group.state',
      unit: '1',
      description: '1 for the state the consumer group is in, 0 for the other states.',
      attributes: [ATTR_GROUP, ATTR_STATE],
    },
    offset: {
      perPartition: true,
      name: 'kafka.consumer_group.offset',
      unit: '{offset}',
      description: 'Offset the consumer group committed for the partition.',
      attributes: PER_PARTITION,
    },
    lag: {
      perPartition: true,
      name: 'kafka.consumer_group.lag',
      unit: '{message}',
      description: 'Messages between the committed offset and the partition log end (>= 0).',
      attributes: PER_PARTITION,
    },
    offsetSum: {
      name: 'kafka.consumer_group.offset_sum',
      unit: '{offset}',
      description: 'Sum of the committed offsets of the group over the partitions of the topic.',
      attributes: PER_TOPIC,
    },
    lagSum: {
      name: 'kafka.consumer_group.lag_sum',
      unit: '{message}',
      description: 'Lag of the group summed over the partitions of the topic.',
      attributes: PER_TOPIC,
    },
    lagMax: {
      name: 'kafka.consumer_group.lag_max',
      unit: '{message}',
      description: 'Largest partition lag of the group on the topic.',
      attributes: PER_TOPIC,
    },
    timeLag: {
      perPartition: true,
      name: 'kafka.consumer_group.time_lag',
      unit: 's',
      description:
        'Age of the oldest unconsumed message: seconds since the committed offset was the log end.',
      attributes: PER_PARTITION,
    },
    timeLagMax: {
      name: 'kafka.consumer_group.time_lag_max',
      unit: 's',
      description: 'Largest partition time lag of the group on the topic.',
      attributes: PER_TOPIC,
    },
    status: {
      name: 'kafka.consumer_group.status',
      unit: '1',
      description:
        '1 for the lag status of the group (OK, WARN, ERR, STOP, STALL, REWIND), 0 for the others.',
      attributes: [ATTR_GROUP, ATTR_STATUS],
    },
  },
  (snapshot, emit) => {
    for (const group of snapshot.groups) {
      const groupAttributes = { [ATTR_GROUP]: group.groupId };
      if (group.members !== undefined) emit.members(group.members, groupAttributes);
      // Every known state is reported each cycle (0 or 1): a state the group left must drop
      // to 0, not linger at 1 in readers that keep an attribute set's last value.
      const states = GROUP_STATES.includes(group.state)
        ? GROUP_STATES
        : [...GROUP_STATES, group.state];
      for (const state of states) {
        emit.state(state === group.state ? 1 : 0, {
          ...groupAttributes,
          [ATTR_STATE]: state,
        });
      }
      if (group.status !== undefined) {
        for (const status of LAG_STATUSES) {
          emit.status(status === group.status ? 1 : 0, {
            ...groupAttributes,
            [ATTR_STATUS]: status,
          });
        }
      }
      for (const [topic, partitions] of byTopic(group)) {
        const topicAttributes = { ...groupAttributes, [ATTR_TOPIC]: topic };
        for (const p of partitions) {
          const attributes = {
            [ATTR_GROUP]: group.groupId,
            [ATTR_TOPIC]: topic,
            [ATTR_PARTITION]: p.partition,
          };
          if (p.committedOffset !== undefined) emit.offset(p.committedOffset, attributes);
          if (p.lag !== undefined) emit.lag(p.lag, attributes);
          if (p.timeLagSeconds !== undefined) emit.timeLag(p.timeLagSeconds, attributes);
        }
        // Sums and maxima from partial data would mislead: only topics fully known get them.
        if (partitions.every((p) => p.committedOffset !== undefined)) {
          emit.offsetSum(
            sum(partitions, (p) => p.committedOffset!),
            topicAttributes,
          );
        }
        if (partitions.every((p) => p.lag !== undefined)) {
          emit.lagSum(
            sum(partitions, (p) => p.lag!),
            topicAttributes,
          );
          emit.lagMax(Math.max(...partitions.map((p) => p.lag!)), topicAttributes);
        }
        if (partitions.every((p) => p.timeLagSeconds !== undefined)) {
          emit.timeLagMax(Math.max(...partitions.map((p) => p.timeLagSeconds!)), topicAttributes);
        }
      }
    }
  },
);

function byTopic(group: GroupSnapshot): Map<string, GroupPartitionSnapshot[]> {
  const topics = new Map<string, GroupPartitionSnapshot[]>();
  for (const p of group.partitions) {
    const list = topics.get(p.topic);
    if (list) list.push(p);
    else topics.set(p.topic, [p]);
  }
  return topics;
}

function sum<T>(items: T[], value: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += value(item);
  return total;
}
