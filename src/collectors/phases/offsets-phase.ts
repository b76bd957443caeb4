import type { SnapshotClient } from './snapshot-client';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../protocol';
import type { ClusterMetadata } from './metadata-phase';
import { PhaseErrors, partitionKey, type PhaseOutcome } from './phase-outcome';

/** Log start and log end of one partition; a side is undefined when its leader did not answer. */
export interface PartitionOffsets {
  oldest?: number;
  current?: number;
}

/**
 * Earliest and latest offsets of every partition in scope, one batched ListOffsets per leader.
 * Keyed by `partitionKey(topic, partition)`.
 */
export async function offsetsPhase(
  client: SnapshotClient,
  metadata: ClusterMetadata,
  signal: AbortSignal,
): Promise<PhaseOutcome<Map<string, PartitionOffsets>>> {
  const errors = new PhaseErrors('offsets');
  const live = new Set(metadata.brokers.map((b) => b.nodeId));
  // leader -> topic -> partition ids
  const byLeader = new Map<number, Map<string, number[]>>();
  for (const topic of metadata.topics) {
    for (const p of topic.partitions) {
      // Offline, or led by a broker that just left Metadata: nobody can answer for it.
      if (p.leader < 0 || !live.has(p.leader)) continue;
      let topics = byLeader.get(p.leader);
      if (!topics) byLeader.set(p.leader, (topics = new Map<string, number[]>()));
      let partitions = topics.get(topic.name);
      if (!partitions) topics.set(topic.name, (partitions = []));
      partitions.push(p.partition);
    }
  }
  const offsets = new Map<string, PartitionOffsets>();
  await Promise.all(
    [...byLeader].map(async ([leader, topics]) => {
      const request = [...topics].map(([topic, partitions]) => ({
        topic,
        partitions: partitions.flatMap((partition) => [
          { partition, timestamp: EARLIEST_TIMESTAMP },
          { partition, timestamp: LATEST_TIMESTAMP },
        ]),
      }));
      try {
        for (const answer of await client.listOffsets(leader, request, signal)) {
          if (answer.errorCode !== 0 || answer.offset < 0) continue;
          const key = partitionKey(answer.topic, answer.partition);
          let entry = offsets.get(key);
          if (!entry) offsets.set(key, (entry = {}));
          if (answer.requestedTimestamp === EARLIEST_TIMESTAMP) entry.oldest = answer.offset;
          else entry.current = answer.offset;
        }
      } catch (error) {
        errors.add(error, leader);
      }
    }),
  );
  return errors.outcome(offsets);
}
