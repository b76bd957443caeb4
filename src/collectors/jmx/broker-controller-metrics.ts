import { ATTR_BROKER } from '../collector-attributes';
import { metricFamily } from '../export/metric-family';
import type { BrokerJmxSnapshot } from './broker-jmx-snapshot';

/**
 * Replication health as the brokers and the controller count it. Offline and global partition
 * counts are exported from the active controller only: every controller keeps them, and one
 * series per controller would count each offline partition three times in a sum.
 */
export const brokerControllerMetrics = metricFamily(
  {
    underReplicated: {
      name: 'kafka.broker.partitions.under_replicated',
      unit: '{partition}',
      description:
        'Partitions this broker leads that have fewer in-sync replicas than replicas (ReplicaManager UnderReplicatedPartitions).',
      attributes: [ATTR_BROKER],
    },
    activeController: {
      name: 'kafka.broker.controller.active',
      unit: '1',
      description:
        'ActiveControllerCount of each controller node: 1 on the active controller, 0 on the others; the sum over a healthy cluster is 1.',
      attributes: [ATTR_BROKER],
    },
    offlinePartitions: {
      name: 'kafka.broker.controller.partitions.offline',
      unit: '{partition}',
      description:
        'Partitions without a leader, as the active controller counts them (OfflinePartitionsCount); exported by the active controller only.',
      attributes: [ATTR_BROKER],
    },
    globalPartitions: {
      name: 'kafka.broker.controller.partitions',
      unit: '{partition}',
      description:
        'Partitions in the cluster, as the active controller counts them (GlobalPartitionCount); exported by the active controller only.',
      attributes: [ATTR_BROKER],
    },
  },
  (snapshot: BrokerJmxSnapshot, emit) => {
    for (const reading of snapshot.endpoints) {
      const { broker, controller } = reading;
      if (broker === undefined) continue;
      const attributes = { [ATTR_BROKER]: broker };
      if (reading.underReplicatedPartitions !== undefined) {
        emit.underReplicated(reading.underReplicatedPartitions, attributes);
      }
      if (controller?.activeControllerCount === undefined) continue;
      emit.activeController(controller.activeControllerCount, attributes);
      if (controller.activeControllerCount !== 1) continue;
      if (controller.offlinePartitions !== undefined) {
        emit.offlinePartitions(controller.offlinePartitions, attributes);
      }
      if (controller.globalPartitions !== undefined) {
        emit.globalPartitions(controller.globalPartitions, attributes);
      }
    }
  },
);
