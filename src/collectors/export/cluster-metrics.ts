import { ATTR_TOPIC } from '../collector-attributes';
import { metricFamily } from './metric-family';

/** Brokers and partitions per topic: the cluster's shape. */
export const clusterMetrics = metricFamily(
  {
    brokers: {
      name: 'kafka.brokers',
      unit: '{broker}',
      description: 'Brokers registered in the cluster (as listed by Metadata).',
      attributes: [],
    },
    partitions: {
      name: 'kafka.topic.partitions',
      unit: '{partition}',
      description: 'Partitions of the topic.',
      attributes: [ATTR_TOPIC],
    },
  },
  (snapshot, emit) => {
    // No Metadata answer: the broker count is unknown, not zero.
    if (snapshot.brokers.length > 0) emit.brokers(snapshot.brokers.length);
    for (const topic of snapshot.topics) {
      emit.partitions(topic.partitions.length, { [ATTR_TOPIC]: topic.name });
    }
  },
);
