import type {
  ClusterSnapshot,
  GroupPartitionSnapshot,
  GroupSnapshot,
  PartitionSnapshot,
  SnapshotError,
  TopicSnapshot,
} from './cluster-snapshot';
import type { ClusterMetadata } from './phases/metadata-phase';
import type { PartitionOffsets } from './phases/offsets-phase';
import { partitionKey } from './phases/phase-outcome';
import type { GroupFacts } from './phases/groups-phase';
import { firstUnconsumedOffset, type TimeLagReads } from './phases/time-lag-phase';
import type { SettledPhases } from './snapshot-taker';

/** Everything one snapshot learned: Metadata and the phases that settled in time. */
export interface SnapshotParts {
  takenAt: number;
  durationSeconds: number;
  cluster: ClusterMetadata;
  settled: SettledPhases;
  /** One error per phase that did not settle before the deadline. */
  missed: readonly SnapshotError[];
}

const NO_OFFSETS: PartitionOffsets = {};

/**
 * Builds the snapshot from the phases' outcomes, in one pass, without touching them: what a
 * phase did not learn stays absent. Time lag, lag status and the quorum epoch's age are not
 * here: they need the collector's memory of earlier snapshots (see `withEstimates`).
 */
export function assembleSnapshot(parts: SnapshotParts): ClusterSnapshot {
  const { cluster, settled } = parts;
  const offsets = settled.offsets?.value;
  const sizes = settled.log_dirs?.value.replicaSizes;
  const minIsr = settled.configs?.value;
  const topics = cluster.topics.map<TopicSnapshot>((t) => {
    const minInsyncReplicas = minIsr?.get(t.name);
    return {
      name: t.name,
      internal: t.isInternal,
      errorCode: t.errorCode,
      partitions: t.partitions.map<PartitionSnapshot>((p) => {
        const key = partitionKey(t.name, p.partition);
        const known = offsets?.get(key) ?? NO_OFFSETS;
        return {
          partition: p.partition,
          errorCode: p.errorCode,
          leader: p.leader,
          replicas: p.replicas,
          isr: p.isr,
          offlineReplicas: p.offlineReplicas,
          ...(known.oldest === undefined ? {} : { oldestOffset: known.oldest }),
          ...(known.current === undefined ? {} : { currentOffset: known.current }),
          replicaSizes: sizes?.get(key) ?? [],
        };
      }),
      ...(minInsyncReplicas === undefined ? {} : { minInsyncReplicas }),
    };
  });
  const errors = [
    ...(settled.groups?.errors ?? []),
    ...(settled.log_dirs?.errors ?? []),
    ...(settled.quorum?.errors ?? []),
    ...(settled.configs?.errors ?? []),
    ...(settled.offsets?.errors ?? []),
    ...(settled.time_lag?.errors ?? []),
    ...parts.missed,
  ];
  const quorum = settled.quorum?.value;
  const timeLag = { reads: settled.time_lag?.value.read ?? 0, fromLog: 0, interpolated: 0 };
  const groups = (settled.groups?.value ?? []).map((facts) =>
    groupSnapshot(facts, offsets, settled.time_lag?.value, parts.takenAt, timeLag),
  );
  return {
    takenAt: parts.takenAt,
    durationSeconds: parts.durationSeconds,
    complete: errors.length === 0,
    errors,
    ...(cluster.clusterId === undefined ? {} : { clusterId: cluster.clusterId }),
    controllerId: cluster.controllerId,
    brokers: cluster.brokers,
    topics,
    logDirs: settled.log_dirs?.value.logDirs ?? [],
    ...(quorum === undefined ? {} : { quorum }),
    groups,
    ...(offsets === undefined || settled.groups === undefined ? {} : { timeLag }),
  };
}

/** A group's state, members and per-partition offsets, lag and time lag read from the log. */
function groupSnapshot(
  facts: GroupFacts,
  offsets: ReadonlyMap<string, PartitionOffsets> | undefined,
  reads: TimeLagReads | undefined,
  takenAt: number,
  sources: { fromLog: number },
): GroupSnapshot {
  const partitions = (facts.offsets?.partitions ?? [])
    // -1: no committed offset for this partition (a member reads it, nothing committed yet).
    .filter((p) => p.errorCode === 0 && p.committedOffset >= 0)
    .map<GroupPartitionSnapshot>((p) => {
      const known = offsets?.get(partitionKey(p.topic, p.partition));
      const current = known?.current;
      if (current === undefined) {
        return { topic: p.topic, partition: p.partition, committedOffset: p.committedOffset };
      }
      // Offsets race (a commit between OffsetFetch and ListOffsets): lag is never negative.
      const lag = Math.max(0, current - p.committedOffset);
      const wanted = firstUnconsumedOffset(p.committedOffset, known);
      let timeLagSeconds: number | undefined;
      if (wanted === undefined) {
        timeLagSeconds = 0; // nothing left to consume
      } else if (reads !== undefined) {
        timeLagSeconds = timeLagFromLog(reads, p.topic, p.partition, wanted, takenAt);
        if (timeLagSeconds !== undefined) sources.fromLog++;
      }
      return timeLagSeconds === undefined
        ? { topic: p.topic, partition: p.partition, committedOffset: p.committedOffset, lag }
        : {
            topic: p.topic,
            partition: p.partition,
            committedOffset: p.committedOffset,
            lag,
            timeLagSeconds,
          };
    });
  return {
    groupId: facts.groupId,
    state: facts.described?.state ?? facts.listedState ?? 'Unknown',
    protocolType: facts.described?.protocolType ?? '',
    ...(facts.described === undefined ? {} : { members: facts.described.members.length }),
    coordinator: facts.coordinator,
    partitions,
    offsetsComplete: facts.offsets !== undefined && partitions.every((p) => p.lag !== undefined),
  };
}

/**
 * Seconds since the message at `offset` was written, from the time the log holds for it; 0 when
 * nothing but transaction markers follows the offset. A message stamped later than the snapshot
 * (producer clock ahead) counts as just written.
 */
function timeLagFromLog(
  reads: TimeLagReads,
  topic: string,
  partition: number,
  offset: number,
  takenAt: number,
): number | undefined {
  const time = reads.times.get(topic, partition, offset);
  if (time !== undefined) return Math.max(0, takenAt - time) / 1000;
  return reads.nothingAfter.get(topic, partition, offset) === undefined ? undefined : 0;
}
