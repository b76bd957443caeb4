import type { Meter } from '@opentelemetry/api';
import { ATTR_TOPIC } from '../collector-attributes';
import type { SnapshotSource } from '../snapshot-source';
import { registerGaugeFamily } from './gauge-family';

/** Brokers and partitions per topic: the cluster's shape. */
export function registerClusterGauges(meter: Meter, source: SnapshotSource) {
  return registerGaugeFamily(
    meter,
    source,
    {
      brokers: {
        name: 'kafka.brokers',
        unit: '{broker}',
        description: 'Brokers registered in the cluster (as listed by Metadata).',
      },
      partitions: {
        name: 'kafka.topic.partitions',
        unit: '{partition}',
        description: 'Partitions of the topic.',
      },
    },
    (snapshot, gauges, observe) => {
      // No Metadata answer: the broker count is unknown, not zero.
      if (snapshot.brokers.length > 0) observe(gauges.brokers, snapshot.brokers.length);
      for (const topic of snapshot.topics) {
        observe(gauges.partitions, topic.partitions.length, { [ATTR_TOPIC]: topic.name });
      }
    },
  );
}
