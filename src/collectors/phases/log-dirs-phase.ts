import type { SnapshotClient } from './snapshot-client';
import type { LogDirSnapshot, ReplicaSize } from '../cluster-snapshot';

import type { ClusterMetadata } from './metadata-phase';
import { PhaseErrors, partitionKey, type PhaseOutcome } from './phase-outcome';

/** What DescribeLogDirs told: every log directory, and replica sizes by partition. */
export interface StorageFacts {
  readonly logDirs: readonly LogDirSnapshot[];
  /** Keyed by `partitionKey(topic, partition)`: one entry per broker holding a replica. */
  readonly replicaSizes: ReadonlyMap<string, readonly ReplicaSize[]>;
}

/** Bytes on disk per replica and per log directory, one DescribeLogDirs per broker. */
export async function logDirsPhase(
  client: SnapshotClient,
  metadata: ClusterMetadata,
  signal: AbortSignal,
): Promise<PhaseOutcome<StorageFacts>> {
  const errors = new PhaseErrors('log_dirs');
  const logDirs: LogDirSnapshot[] = [];
  const replicaSizes = new Map<string, ReplicaSize[]>();
  await Promise.all(
    metadata.brokers.map(async ({ nodeId }) => {
      try {
        for (const dir of await client.describeLogDirs(nodeId, signal)) {
          let bytes = 0;
          for (const topic of dir.topics) {
            for (const p of topic.partitions) {
              bytes += p.size;
              // A future replica (being moved between directories) duplicates the real one.
              if (p.isFuture) continue;
              const key = partitionKey(topic.topic, p.partition);
              const sizes = replicaSizes.get(key);
              const size = { broker: nodeId, bytes: p.size };
              if (sizes) sizes.push(size);
              else replicaSizes.set(key, [size]);
            }
          }
          logDirs.push({
            broker: nodeId,
            path: dir.logDir,
            errorCode: dir.errorCode,
            bytes,
            ...(dir.totalBytes >= 0 ? { totalBytes: dir.totalBytes } : {}),
            ...(dir.usableBytes >= 0 ? { usableBytes: dir.usableBytes } : {}),
          });
        }
      } catch (error) {
        errors.add(error, nodeId);
      }
    }),
  );
  return errors.outcome({ logDirs, replicaSizes });
}
