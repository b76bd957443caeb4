import type { ClusterSnapshot, PartitionSnapshot, SnapshotError } from '../cluster-snapshot';

import { messageOf } from './groups-phase';

import { type ClusterClient } from '../protocol';

/** Bytes on disk per replica and per log directory, one DescribeLogDirs per broker. */
export async function fillLogDirs(
  client: ClusterClient,
  snapshot: ClusterSnapshot,
  errors: SnapshotError[],
) {
  const partitions = new Map<string, PartitionSnapshot>();
  for (const topic of snapshot.topics) {
    for (const p of topic.partitions) partitions.set(`${topic.name}\u0000${p.partition}`, p);
  }
  await Promise.all(
    snapshot.brokers.map(async ({ nodeId }) => {
      try {
        for (const dir of await client.describeLogDirs(nodeId)) {
          let bytes = 0;
          for (const topic of dir.topics) {
            for (const p of topic.partitions) {
              bytes += p.size;
              // A future replica (being moved between directories) duplicates the real one.
              if (p.isFuture) continue;
              partitions
                .get(`${topic.topic}\u0000${p.partition}`)
                ?.sizeByBroker.set(nodeId, p.size);
            }
          }
          snapshot.logDirs.push({
            broker: nodeId,
            path: dir.logDir,
            errorCode: dir.errorCode,
            bytes,
            totalBytes: dir.totalBytes >= 0 ? dir.totalBytes : undefined,
            usableBytes: dir.usableBytes >= 0 ? dir.usableBytes : undefined,
          });
        }
      } catch (error) {
        errors.push({ phase: 'log_dirs', broker: nodeId, message: messageOf(error) });
      }
    }),
  );
}
