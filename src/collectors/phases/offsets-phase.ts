import type { SnapshotClient } from './snapshot-client';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../protocol';
import type { ClusterMetadata } from './metadata-phase';
import { PhaseErrors, namedErrorCode, partitionKey, type PhaseOutcome } from './phase-outcome';

/** Log start and log end of one partition; a side is undefined when its leader did not answer. */
export interface PartitionOffsets {
  oldest?: number;
  current?: number;
}

/**
 * Earliest and latest offsets of every partition in scope, one batched ListOffsets per leader.
 * Keyed by `partitionKey(topic, partition)`. A partition the leader answered with an error code
 * (NOT_LEADER_OR_FOLLOWER while leadership moves, say) is one error of the phase, its offsets
 * unknown.
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
        // Error codes by partition: its earliest and latest lookups fail alike, as one error.
        const failed = new Map<string, { topic: string; partition: number; codes: Set<number> }>();
        for (const answer of await client.listOffsets(leader, request, signal)) {
          const key = partitionKey(answer.topic, answer.partition);
          if (answer.errorCode !== 0) {
            const { topic, partition } = answer;
            let failure = failed.get(key);
            if (!failure) failed.set(key, (failure = { topic, partition, codes: new Set() }));
            failure.codes.add(answer.errorCode);
            continue;
          }
          if (answer.offset < 0) continue;
          let entry = offsets.get(key);
          if (!entry) offsets.set(key, (entry = {}));
          if (answer.requestedTimestamp === EARLIEST_TIMESTAMP) entry.oldest = answer.offset;
          else entry.current = answer.offset;
        }
        for (const { topic, partition, codes } of failed.values()) {
          const named = [...codes].map(namedErrorCode).join(', ');
          errors.add(
            `ListOffsets to node ${leader}: ${topic} partition ${partition}: ${named}`,
            leader,
          );
        }
      } catch (error) {
        errors.add(error, leader);
      }
    }),
  );
  return errors.outcome(offsets);
}
