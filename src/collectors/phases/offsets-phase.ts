import type { ClusterSnapshot, PartitionSnapshot, SnapshotError } from '../cluster-snapshot';

import { messageOf } from './groups-phase';

import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, type ClusterClient } from '../protocol';

/** Earliest and latest offsets of every partition, one batched ListOffsets per leader. */
export async function fillOffsets(
  client: ClusterClient,
  snapshot: ClusterSnapshot,
  errors: SnapshotError[],
) {
  // leader -> topic -> partition id -> partition: lookups stay O(1) on 10k-partition topics.
  const byLeader = new Map<number, Map<string, Map<number, PartitionSnapshot>>>();
  const live = new Set(snapshot.brokers.map((b) => b.nodeId));
  for (const topic of snapshot.topics) {
    for (const p of topic.partitions) {
      // Offline, or led by a broker that just left Metadata: nobody can answer for it.
      if (p.leader < 0 || !live.has(p.leader)) continue;
      let topics = byLeader.get(p.leader);
      if (!topics) {
        topics = new Map<string, Map<number, PartitionSnapshot>>();
        byLeader.set(p.leader, topics);
      }
      let partitions = topics.get(topic.name);
      if (!partitions) {
        partitions = new Map<number, PartitionSnapshot>();
        topics.set(topic.name, partitions);
      }
      partitions.set(p.partition, p);
    }
  }
  await Promise.all(
    [...byLeader].map(async ([leader, topics]) => {
      const request = [...topics].map(([topic, partitions]) => ({
        topic,
        partitions: [...partitions.keys()].flatMap((partition) => [
          { partition, timestamp: EARLIEST_TIMESTAMP },
          { partition, timestamp: LATEST_TIMESTAMP },
        ]),
      }));
      try {
        const answers = await client.listOffsets(leader, request);
        for (const answer of answers) {
          const partition = topics.get(answer.topic)?.get(answer.partition);
          if (!partition || answer.errorCode !== 0 || answer.offset < 0) continue;
          if (answer.requestedTimestamp === EARLIEST_TIMESTAMP)
            partition.oldestOffset = answer.offset;
          else partition.currentOffset = answer.offset;
        }
      } catch (error) {
        errors.push({ phase: 'offsets', broker: leader, message: messageOf(error) });
      }
    }),
  );
}
