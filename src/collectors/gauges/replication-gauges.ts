import type { Meter } from '@opentelemetry/api';
import { ATTR_BROKER, ATTR_PARTITION, ATTR_TOPIC } from '../collector-attributes';
import type { PartitionSnapshot, TopicSnapshot } from '../cluster-snapshot';
import type { SnapshotSource } from '../snapshot-source';
import { registerGaugeFamily, type GaugeSettings } from './gauge-family';

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

/** Replicas, ISR, leaders and the three health states, per partition and cluster-wide. */
export function registerReplicationGauges(
  meter: Meter,
  source: SnapshotSource,
  settings: GaugeSettings,
) {
  return registerGaugeFamily(
    meter,
    source,
    {
      replicas: {
        name: 'kafka.partition.replicas',
        unit: '{replica}',
        description: 'Replicas assigned to the partition.',
      },
      inSync: {
        name: 'kafka.partition.replicas_in_sync',
        unit: '{replica}',
        description: 'Replicas in the in-sync replica set (ISR) of the partition.',
      },
      leader: {
        name: 'kafka.partition.leader',
        unit: '{broker}',
        description: 'Broker id leading the partition; -1 when the partition is offline.',
      },
      underReplicated: {
        name: 'kafka.partition.under_replicated',
        unit: '1',
        description: '1 when the partition has a leader but not all replicas are in sync.',
      },
      offline: {
        name: 'kafka.partition.offline',
        unit: '1',
        description: '1 when the partition has no leader.',
      },
      underMinIsr: {
        name: 'kafka.partition.under_min_isr',
        unit: '1',
        description: '1 when fewer replicas are in sync than the topic min.insync.replicas.',
      },
      clusterUnderReplicated: {
        name: 'kafka.cluster.partitions.under_replicated',
        unit: '{partition}',
        description: 'Partitions of the cluster that are under-replicated.',
      },
      clusterOffline: {
        name: 'kafka.cluster.partitions.offline',
        unit: '{partition}',
        description: 'Partitions of the cluster without a leader.',
      },
      clusterUnderMinIsr: {
        name: 'kafka.cluster.partitions.under_min_isr',
        unit: '{partition}',
        description:
          'Partitions of the cluster with fewer in-sync replicas than min.insync.replicas.',
      },
      leaderCount: {
        name: 'kafka.broker.leader_count',
        unit: '{partition}',
        description: 'Partitions the broker leads.',
      },
    },
    (snapshot, gauges, observe) => {
      if (snapshot.brokers.length === 0) return; // no Metadata: nothing is known
      let underReplicated = 0;
      let offline = 0;
      let underMinIsr = 0;
      const leaders = new Map<number, number>(snapshot.brokers.map((b) => [b.nodeId, 0]));
      for (const topic of snapshot.topics) {
        for (const p of topic.partitions) {
          const states = [isUnderReplicated(p), isOffline(p), isUnderMinIsr(p, topic)] as const;
          if (states[0]) underReplicated++;
          if (states[1]) offline++;
          if (states[2]) underMinIsr++;
          if (p.leader >= 0) leaders.set(p.leader, (leaders.get(p.leader) ?? 0) + 1);
          if (!settings.perPartition) continue;
          const attributes = { [ATTR_TOPIC]: topic.name, [ATTR_PARTITION]: p.partition };
          observe(gauges.replicas, p.replicas.length, attributes);
          observe(gauges.inSync, p.isr.length, attributes);
          observe(gauges.leader, p.leader, attributes);
          observe(gauges.underReplicated, states[0] ? 1 : 0, attributes);
          observe(gauges.offline, states[1] ? 1 : 0, attributes);
          if (topic.minInsyncReplicas !== undefined) {
            observe(gauges.underMinIsr, states[2] ? 1 : 0, attributes);
          }
        }
      }
      observe(gauges.clusterUnderReplicated, underReplicated);
      observe(gauges.clusterOffline, offline);
      observe(gauges.clusterUnderMinIsr, underMinIsr);
      for (const [broker, count] of leaders) {
        observe(gauges.leaderCount, count, { [ATTR_BROKER]: broker });
      }
    },
  );
}
