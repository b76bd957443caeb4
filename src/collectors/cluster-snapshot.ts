/**
 * One picture of the cluster, taken once per collection cycle; every exported series is read
 * from it. Values that could not be fetched are absent (undefined), never guessed: the series is
 * then not exported rather than reported wrong, and `complete` says the snapshot has gaps.
 * A snapshot is frozen when it is handed out: nothing changes it afterwards, so every reader of
 * one cycle exports the same numbers.
 */

/** A phase of snapshot taking, the `phase` attribute of kafka.collector.scrape.errors. */
export type SnapshotPhase =
  | 'metadata'
  | 'offsets'
  | 'configs'
  | 'log_dirs'
  | 'quorum'
  | 'groups'
  | 'group_offsets'
  | 'time_lag';

export interface SnapshotError {
  readonly phase: SnapshotPhase;
  /** The broker the failed request went to, when there was one. */
  readonly broker?: number;
  /**
   * What failed, the `error.type` attribute of kafka.collector.scrape.errors: a request failure
   * reason (`tls`, `authentication`, `connection_refused`, `connection`, `timeout`,
   * `malformed_reply`, `decode`, `error_response`, ...; see `RequestFailureReason`), `timeout`
   * for a phase the deadline cut off, or `internal`.
   */
  readonly errorType: string;
  readonly message: string;
}

export interface BrokerSnapshot {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack?: string;
}

export interface PartitionSnapshot {
  readonly partition: number;
  /** Kafka error code of the partition in Metadata (0 when healthy). */
  readonly errorCode: number;
  /** Leader broker id, -1 when the partition has no leader (offline). */
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly offlineReplicas: readonly number[];
  /** Log start offset; undefined when the leader did not answer. */
  readonly oldestOffset?: number;
  /** Log end offset (the next offset to be written); undefined when unknown. */
  readonly currentOffset?: number;
  /** Bytes on disk of each replica, per broker holding one (DescribeLogDirs); empty when unknown. */
  readonly replicaSizes: readonly ReplicaSize[];
}

export interface ReplicaSize {
  readonly broker: number;
  readonly bytes: number;
}

export interface TopicSnapshot {
  readonly name: string;
  readonly internal: boolean;
  /** Kafka error code of the topic in Metadata (0 when healthy). */
  readonly errorCode: number;
  readonly partitions: readonly PartitionSnapshot[];
  /** The topic's min.insync.replicas, when DescribeConfigs answered. */
  readonly minInsyncReplicas?: number;
}

export interface LogDirSnapshot {
  readonly broker: number;
  readonly path: string;
  readonly errorCode: number;
  /** Sum of the partition sizes in this directory. */
  readonly bytes: number;
  /** Volume capacity and free space (DescribeLogDirs v4+); undefined when unknown (-1). */
  readonly totalBytes?: number;
  readonly usableBytes?: number;
}

export interface QuorumVoterSnapshot {
  readonly replicaId: number;
  readonly logEndOffset: number;
  /** Epoch ms of the voter's last fetch as the leader saw it; undefined when unknown (-1). */
  readonly lastFetchTimestamp?: number;
}

export interface QuorumSnapshot {
  readonly leaderId: number;
  readonly leaderEpoch: number;
  /**
   * Epoch ms when this collector first saw the current leader epoch: the epoch began no later.
   * A voter the leader has no fetch time for has been out of touch at least since then.
   */
  readonly epochSeenAt?: number;
  readonly highWatermark: number;
  readonly voters: readonly QuorumVoterSnapshot[];
  readonly observers: readonly QuorumVoterSnapshot[];
}

export interface GroupPartitionSnapshot {
  readonly topic: string;
  readonly partition: number;
  /** The committed offset; undefined when the group has none for this partition. */
  readonly committedOffset?: number;
  /** currentOffset - committedOffset, clamped at 0; undefined when either is unknown. */
  readonly lag?: number;
  /**
   * Age in seconds of the first message the group has not consumed (0 when it is not behind):
   * read from the log, or interpolated from earlier snapshots when it could not be read
   * (see `ClusterSnapshot.timeLag`); undefined when unknown.
   */
  readonly timeLagSeconds?: number;
}

/** How the time lag of this snapshot's lagging group-partitions was obtained. */
export interface TimeLagSources {
  /** Offsets whose message time was read from the brokers by this snapshot. */
  readonly reads: number;
  /** Lagging group-partitions whose time lag is read from the log (now or earlier). */
  readonly fromLog: number;
  /** Lagging group-partitions whose time lag is interpolated from earlier snapshots. */
  readonly interpolated: number;
}

export type { LagStatus as LagStatusName } from './lag/lag-status';
import type { LagStatus as LagStatusName } from './lag/lag-status';

export interface GroupSnapshot {
  readonly groupId: string;
  /** Classic group state (Stable, Empty, PreparingRebalance, CompletingRebalance, Dead) or the KIP-848 one. */
  readonly state: string;
  readonly protocolType: string;
  /**
   * Members of the group, as DescribeGroups counts them; undefined when unknown: DescribeGroups
   * failed or answered the group with an error (a scrape error), or the group is a KIP-848
   * consumer group, which DescribeGroups does not describe.
   */
  readonly members?: number;
  readonly coordinator?: number;
  readonly partitions: readonly GroupPartitionSnapshot[];
  /** True when every partition's offsets are known: only then are sums exported. */
  readonly offsetsComplete: boolean;
  /**
   * Lag status by the sliding-window rules, the worst of its partitions' (see the collector's
   * `LagTracker`); undefined when none of its partitions' lag was ever measured.
   */
  readonly status?: LagStatusName;
  /**
   * The Kafka Connect sink connector consuming as this group, when the collector was linked to
   * a Connect collector that knows one (`connectorOfGroup`): its lag is then also the
   * connector's lag.
   */
  readonly connector?: string;
}

export interface ClusterSnapshot {
  /** Epoch ms when the snapshot was started. */
  readonly takenAt: number;
  readonly durationSeconds: number;
  /** False when any phase failed, timed out, or Metadata was missing. */
  readonly complete: boolean;
  readonly errors: readonly SnapshotError[];
  readonly clusterId?: string;
  readonly controllerId?: number;
  readonly brokers: readonly BrokerSnapshot[];
  readonly topics: readonly TopicSnapshot[];
  readonly logDirs: readonly LogDirSnapshot[];
  readonly quorum?: QuorumSnapshot;
  readonly groups: readonly GroupSnapshot[];
  /** Where time lag came from; undefined when no group offsets were known. */
  readonly timeLag?: TimeLagSources;
}

/** The snapshot of a cluster that could not be reached at all. */
export function emptySnapshot(
  takenAt: number,
  durationSeconds: number,
  errors: readonly SnapshotError[],
): ClusterSnapshot {
  return {
    takenAt,
    durationSeconds,
    complete: false,
    errors,
    brokers: [],
    topics: [],
    logDirs: [],
    groups: [],
  };
}
