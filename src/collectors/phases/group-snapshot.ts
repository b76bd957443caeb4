import type { GroupSnapshot } from '../cluster-snapshot';

import { type GroupFacts } from './groups-phase';

/** A group's state, members and per-partition offsets and lag from what the phases learned. */
export function groupSnapshot(
  facts: GroupFacts,
  currentOffsets: ReadonlyMap<string, number | undefined>,
): GroupSnapshot {
  const partitions = (facts.offsets?.partitions ?? [])
    // -1: no committed offset for this partition (a member of the group reads it, nothing committed).
    .filter((p) => p.errorCode === 0 && p.committedOffset >= 0)
    .map((p) => {
      const current = currentOffsets.get(`${p.topic}\u0000${p.partition}`);
      return {
        topic: p.topic,
        partition: p.partition,
        committedOffset: p.committedOffset,
        // Offsets race (a commit between ListOffsets and OffsetFetch): lag is never negative.
        lag: current === undefined ? undefined : Math.max(0, current - p.committedOffset),
      };
    });
  return {
    groupId: facts.groupId,
    state: facts.described?.state ?? facts.listedState ?? 'Unknown',
    protocolType: facts.described?.protocolType ?? '',
    members: facts.described?.members.length ?? 0,
    coordinator: facts.coordinator,
    partitions,
    offsetsComplete: facts.offsets !== undefined && partitions.every((p) => p.lag !== undefined),
  };
}
