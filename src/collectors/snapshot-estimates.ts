import type { ClusterSnapshot } from './cluster-snapshot';
import type { GroupLagEstimate } from './lag-tracker';

/** What the collector's memory of earlier snapshots adds to a freshly assembled one. */
export interface SnapshotEstimates {
  groups: ReadonlyMap<string, GroupLagEstimate>;
  /** When the quorum's current leader epoch was first seen; undefined without a quorum. */
  quorumEpochSeenAt: number | undefined;
}

/**
 * The snapshot with lag status, the quorum epoch's first sighting, and the time lag the log
 * could not give (interpolated from earlier snapshots) filled in.
 */
export function withEstimates(
  snapshot: ClusterSnapshot,
  estimates: SnapshotEstimates,
): ClusterSnapshot {
  const { quorum } = snapshot;
  const seenAt = estimates.quorumEpochSeenAt;
  let interpolated = 0;
  const groups = snapshot.groups.map((group) => {
    const estimate = estimates.groups.get(group.groupId);
    if (estimate === undefined) return group;
    return {
      ...group,
      ...(estimate.status === undefined ? {} : { status: estimate.status }),
      partitions: group.partitions.map((p, index) => {
        const seconds = estimate.timeLagSeconds[index];
        if (seconds === undefined || p.timeLagSeconds !== undefined) return p;
        interpolated++;
        // Spelled out rather than spread: this runs for every group-partition of a snapshot.
        return {
          topic: p.topic,
          partition: p.partition,
          committedOffset: p.committedOffset,
          lag: p.lag,
          timeLagSeconds: seconds,
        };
      }),
    };
  });
  return {
    ...snapshot,
    ...(quorum === undefined || seenAt === undefined
      ? {}
      : { quorum: { ...quorum, epochSeenAt: seenAt } }),
    groups,
    ...(snapshot.timeLag === undefined ? {} : { timeLag: { ...snapshot.timeLag, interpolated } }),
  };
}
