/**
 * One picture of the cluster, taken once per collection cycle; every gauge reads from it.
 * Values that could not be fetched are absent (undefined), never guessed: a gauge then skips
 * the series rather than report a wrong number, and `complete` says the snapshot has gaps.
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
  | 'timeout';

export interface SnapshotError {
  phase: SnapshotPhase;
  /** The broker the failed request went to, when there was one. */
  broker?: number;
  message: string;
}

export interface BrokerSnapshot {
  nodeId: number;
  host: string;
  port: number;
  rack?: string;
}

export interface PartitionSnapshot {
  partition: number;
  /** Kafka error code of the partition in Metadata (0 when healthy). */
  errorCode: number;
  /** Leader broker id, -1 when the partition has no leader (offline). */
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  /** Log start offset; undefined when the leader did not answer. */
  oldestOffset?: number;
  /** Log end offset (the next offset to be written); undefined when unknown. */
  currentOffset?: number;
  /** Bytes on disk per broker holding a replica (DescribeLogDirs). */
  sizeByBroker: Map<number, number>;
}

export interface TopicSnapshot {
  name: string;
  internal: boolean;
  /** Kafka error code of the topic in Metadata (0 when healthy). */
  errorCode: number;
  partitions: PartitionSnapshot[];
  /** The topic's min.insync.replicas, when DescribeConfigs answered. */
  minInsyncReplicas?: number;
}

export interface LogDirSnapshot {
  broker: number;
  path: string;
  errorCode: number;
  /** Sum of the partition sizes in this directory. */
  bytes: number;
  /** Volume capacity and free space (DescribeLogDirs v4+); undefined when unknown (-1). */
  totalBytes?: number;
  usableBytes?: number;
}

export interface QuorumVoterSnapshot {
  replicaId: number;
  logEndOffset: number;
  /** Epoch ms of the voter's last fetch as the leader saw it; undefined when unknown (-1). */
  lastFetchTimestamp?: number;
}

export interface QuorumSnapshot {
  leaderId: number;
  leaderEpoch: number;
  highWatermark: number;
  voters: QuorumVoterSnapshot[];
  observers: QuorumVoterSnapshot[];
}

export interface GroupPartitionSnapshot {
  topic: string;
  partition: number;
  /** The committed offset; undefined when the group has none for this partition. */
  committedOffset?: number;
  /** currentOffset - committedOffset, clamped at 0; undefined when either is unknown. */
  lag?: number;
  /** Seconds since the committed offset was the log end (interpolated); undefined when unknown. */
  timeLagSeconds?: number;
}

export type { LagStatus as LagStatusName } from './lag/lag-status';
import type { LagStatus as LagStatusName } from './lag/lag-status';

export interface GroupSnapshot {
  groupId: string;
  /** Classic group state (Stable, Empty, PreparingRebalance, CompletingRebalance, Dead) or the KIP-848 one. */
  state: string;
  protocolType: string;
  members: number;
  coordinator?: number;
  partitions: GroupPartitionSnapshot[];
  /** True when every partition's offsets are known: only then are sums exported. */
  offsetsComplete: boolean;
  /** Lag status by the sliding-window rules; undefined until enough observations exist. */
  status?: LagStatusName;
}

export interface ClusterSnapshot {
  /** Epoch ms when the snapshot was started. */
  takenAt: number;
  durationSeconds: number;
  /** False when any phase failed, timed out, or Metadata was missing. */
  complete: boolean;
  errors: SnapshotError[];
  clusterId?: string;
  controllerId?: number;
  brokers: BrokerSnapshot[];
  topics: TopicSnapshot[];
  logDirs: LogDirSnapshot[];
  quorum?: QuorumSnapshot;
  groups: GroupSnapshot[];
}

/** The snapshot of a cluster that could not be reached at all. */
export function emptySnapshot(takenAt: number, errors: SnapshotError[]): ClusterSnapshot {
  return {
    takenAt,
    durationSeconds: 0,
    complete: false,
    errors,
    brokers: [],
    topics: [],
    logDirs: [],
    groups: [],
  };
}
