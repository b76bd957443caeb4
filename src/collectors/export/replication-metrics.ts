import { ATTR_BROKER, ATTR_PARTITION, ATTR_TOPIC } from '../collector-attributes';
import type { PartitionSnapshot, TopicSnapshot } from '../cluster-snapshot';
import { metricFamily } from './metric-family';

/** A partition is offline when no broker leads it: nobody can write or read it. */
export function isOffline(p: PartitionSnapshot): boolean {
  return p.leader < 0;
}

/** Led, but some replica is out of the ISR (Kafka's UnderReplicatedPartitions). */
export function isUnderReplicated(p: PartitionSnapshot): boolean {
  return p.leader >= 0 && p.isr.length < p.replicas.length;
}

/** Led, with fewer in-sync replicas than min.insync.replicas: acks=all producers get errors. */
export function isUnderMinIsr(p: PartitionSnapshot, topic: TopicSnapshot): boolean {
  return (
    p.leader >= 0 && topic.minInsyncReplicas !== undefined && p.isr.length < topic.minInsyncReplicas
  );
}

const PARTITION = [ATTR_TOPIC, ATTR_PARTITION];

/** Replicas, ISR, leaders and the three health states, per partition and cluster-wide. */
export const replicationMetrics = metricFamily(
  {
    replicas: {
      perPartition: true,
      name: 'kafka.partition.replicas',
      unit: '{replica}',
      description: 'Replicas assigned to the partition.',
      attributes: PARTITION,
    },
    inSync: {
      perPartition: true,
      name: 'kafka.partition.replicas_in_sync',
      unit: '{replica}',
      description: 'Replicas in the in-sync replica set (ISR) of the partition.',
      attributes: PARTITION,
    },
    leader: {
      perPartition: true,
      name: 'kafka.partition.leader',
      unit: '{broker}',
      description: 'Broker id leading the partition; -1 when the partition is offline.',
      attributes: PARTITION,
    },
    underReplicated: {
      perPartition: true,
      name: 'kafka.partition.under_replicated',
      unit: '1',
      description: '1 when the partition has a leader but not all replicas are in sync.',
      attributes: PARTITION,
    },
    offline: {
      perPartition: true,
      name: 'kafka.partition.offline',
      unit: '1',
      description: '1 when the partition has no leader.',
      attributes: PARTITION,
    },
    underMinIsr: {
      perPartition: true,
      name: 'kafka.partition.under_min_isr',
      unit: '1',
      description: '1 when fewer replicas are in sync than the topic min.insync.replicas.',
      attributes: PARTITION,
    },
    clusterUnderReplicated: {
      name: 'kafka.cluster.partitions.under_replicated',
      unit: '{partition}',
      description: 'Partitions of the cluster that are under-replicated.',
      attributes: [],
    },
    clusterOffline: {
      name: 'kafka.cluster.partitions.offline',
      unit: '{partition}',
      description: 'Partitions of the cluster without a leader.',
      attributes: [],
    },
    clusterUnderMinIsr: {
      name: 'kafka.cluster.partitions.under_min_isr',
      unit: '{partition}',
      description:
        'Partitions of the cluster with fewer in-sync replicas than min.insync.replicas.',
      attributes: [],
    },
    leaderCount: {
      name: 'kafka.broker.leader_count',
      unit: '{partition}',
      description: 'Partitions the broker leads.',
      attributes: [ATTR_BROKER],
    },
  },
  (snapshot, emit) => {
    if (snapshot.brokers.length === 0) return; // no Metadata: nothing is known
    let underReplicated = 0;
    let offline = 0;
    let underMinIsr = 0;
    // The cluster's under-min-ISR count is a sum: only exported when min.insync.replicas is
    // known for every topic it counts (not when DescribeConfigs failed for some of them).
    let minIsrKnown = true;
    const leaders = new Map<number, number>(snapshot.brokers.map((b) => [b.nodeId, 0]));
    for (const topic of snapshot.topics) {
      if (topic.minInsyncReplicas === undefined && topic.partitions.length > 0) {
        minIsrKnown = false;
      }
      for (const p of topic.partitions) {
        const states = [isUnderReplicated(p), isOffline(p), isUnderMinIsr(p, topic)] as const;
        if (states[0]) underReplicated++;
        if (states[1]) offline++;
        if (states[2]) underMinIsr++;
        if (p.leader >= 0) leaders.set(p.leader, (leaders.get(p.leader) ?? 0) + 1);
        const attributes = { [ATTR_TOPIC]: topic.name, [ATTR_PARTITION]: p.partition };
        emit.replicas(p.replicas.length, attributes);
        emit.inSync(p.isr.length, attributes);
        emit.leader(p.leader, attributes);
        emit.underReplicated(states[0] ? 1 : 0, attributes);
        emit.offline(states[1] ? 1 : 0, attributes);
        if (topic.minInsyncReplicas !== undefined) {
          emit.underMinIsr(states[2] ? 1 : 0, attributes);
        }
      }
    }
    emit.clusterUnderReplicated(underReplicated);
    emit.clusterOffline(offline);
    if (minIsrKnown) emit.clusterUnderMinIsr(underMinIsr);
    for (const [broker, count] of leaders) {
      emit.leaderCount(count, { [ATTR_BROKER]: broker });
    }
  },
);
