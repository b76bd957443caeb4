import { ATTR_GROUP, ATTR_TOPIC } from '../collector-attributes';
import type { GroupPartitionSnapshot } from '../cluster-snapshot';
import { ATTR_CONNECTOR } from '../connect/connect-attributes';
import { metricFamily } from './metric-family';

const PER_TOPIC = [ATTR_CONNECTOR, ATTR_GROUP, ATTR_TOPIC];

/**
 * The lag of Kafka Connect sink connectors: the lag of the consumer group each one consumes as
 * (`connect-<name>` unless its configuration overrides it), per topic, labelled with the
 * connector. Exported only for groups a linked Connect collector names (`connectorOfGroup`).
 * The same numbers as the group's `lag_sum` and `time_lag_max`, under the connector's name, so
 * a Connect dashboard or alert needs no join.
 */
export const sinkConnectorMetrics = metricFamily(
  {
    lag: {
      name: 'kafka.connect.sink.lag',
      unit: '{message}',
      description:
        "Messages the sink connector has not consumed on the topic: its consumer group's lag summed over the topic's partitions.",
      attributes: PER_TOPIC,
    },
    timeLag: {
      name: 'kafka.connect.sink.time_lag',
      unit: 's',
      description:
        "Age of the oldest message the sink connector has not consumed on the topic: its group's largest partition time lag.",
      attributes: PER_TOPIC,
    },
  },
  (snapshot, emit) => {
    for (const group of snapshot.groups) {
      if (group.connector === undefined) continue;
      for (const [topic, partitions] of partitionsByTopic(group.partitions)) {
        const attributes = {
          [ATTR_CONNECTOR]: group.connector,
          [ATTR_GROUP]: group.groupId,
          [ATTR_TOPIC]: topic,
        };
        // As for the group's own sums: a total over partly known partitions would mislead.
        if (partitions.every((p) => p.lag !== undefined)) {
          emit.lag(
            partitions.reduce((total, p) => total + p.lag!, 0),
            attributes,
          );
        }
        if (partitions.every((p) => p.timeLagSeconds !== undefined)) {
          emit.timeLag(Math.max(...partitions.map((p) => p.timeLagSeconds!)), attributes);
        }
      }
    }
  },
);

function partitionsByTopic(
  partitions: readonly GroupPartitionSnapshot[],
): Map<string, GroupPartitionSnapshot[]> {
  const topics = new Map<string, GroupPartitionSnapshot[]>();
  for (const p of partitions) {
    const list = topics.get(p.topic);
    if (list) list.push(p);
    else topics.set(p.topic, [p]);
  }
  return topics;
}
