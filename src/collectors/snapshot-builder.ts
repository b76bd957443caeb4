import type {
  ClusterSnapshot,
  PartitionSnapshot,
  SnapshotError,
  SnapshotPhase,
  TopicSnapshot,
} from './cluster-snapshot';
import { emptySnapshot } from './cluster-snapshot';
import { collectGroups, messageOf } from './phases/groups-phase';
import { groupSnapshot } from './phases/group-snapshot';
import { fillLogDirs } from './phases/log-dirs-phase';
import { fillOffsets } from './phases/offsets-phase';
import { fillQuorum } from './phases/quorum-phase';
import { fillMinInsyncReplicas } from './phases/topic-configs-phase';
import type { LagTracker } from './lag-tracker';
import type { NameFilter } from './name-filter';
import { type ClusterClient, type MetadataResponse } from './protocol';

export interface SnapshotScope {
  includeTopic: NameFilter;
  includeGroup: NameFilter;
  includeInternalTopics: boolean;
  /** Coordinator requests in flight at once. */
  groupConcurrency: number;
}

/**
 * Takes one cluster snapshot: Metadata first (it maps broker ids to addresses), then in
 * parallel the consumer groups, log directories, the KRaft quorum and min.insync.replicas, and
 * finally the earliest and latest offsets, one batched ListOffsets per leader. Offsets come
 * after OffsetFetch so a committed offset is never ahead of the log end read with it.
 *
 * Nothing here throws: a failed request becomes a `SnapshotError` of its phase and the values it
 * would have produced stay unknown. An aborted snapshot returns what it has so far.
 */
export async function takeClusterSnapshot(
  client: ClusterClient,
  scope: SnapshotScope,
  lag: LagTracker,
  signal: AbortSignal,
  now: () => number = Date.now,
): Promise<ClusterSnapshot> {
  const takenAt = now();
  const started = performance.now();
  const errors: SnapshotError[] = [];
  const aborted = abortPromise(signal);

  let metadata: MetadataResponse;
  try {
    metadata = await Promise.race([client.metadata(), aborted]);
  } catch (error) {
    return emptySnapshot(takenAt, [
      { phase: phaseOf(error, 'metadata'), message: messageOf(error) },
    ]);
  }

  const brokerIds = metadata.brokers.map((b) => b.nodeId);
  const topics = metadata.topics
    .filter((t) => scope.includeInternalTopics || !(t.isInternal || t.name.startsWith('__')))
    .filter((t) => scope.includeTopic(t.name))
    .map<TopicSnapshot>((t) => ({
      name: t.name,
      internal: t.isInternal,
      errorCode: t.errorCode,
      partitions: t.partitions.map<PartitionSnapshot>((p) => ({
        partition: p.partition,
        errorCode: p.errorCode,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        offlineReplicas: p.offlineReplicas,
        sizeByBroker: new Map(),
      })),
    }));
  const snapshot: ClusterSnapshot = {
    takenAt,
    durationSeconds: 0,
    complete: false,
    errors,
    clusterId: metadata.clusterId ?? undefined,
    controllerId: metadata.controllerId,
    brokers: metadata.brokers.map((b) => ({
      nodeId: b.nodeId,
      host: b.host,
      port: b.port,
      rack: b.rack ?? undefined,
    })),
    topics,
    logDirs: [],
    groups: [],
  };

  const work = (async () => {
    const [groups] = await Promise.all([
      collectGroups(client, brokerIds, scope.includeGroup, scope.groupConcurrency, errors),
      fillLogDirs(client, snapshot, errors),
      fillQuorum(client, snapshot, errors),
      fillMinInsyncReplicas(client, snapshot, errors),
    ]);
    await fillOffsets(client, snapshot, errors);
    // Past the deadline the snapshot was already handed out as it was: leave it alone.
    if (signal.aborted) return;
    const currentOffsets = new Map<string, number | undefined>();
    for (const topic of snapshot.topics) {
      for (const p of topic.partitions) {
        currentOffsets.set(`${topic.name}\u0000${p.partition}`, p.currentOffset);
      }
    }
    snapshot.groups = groups.map((facts) => groupSnapshot(facts, currentOffsets));
    lag.update(snapshot);
  })();
  try {
    await Promise.race([work, aborted]);
  } catch (error) {
    errors.push({ phase: phaseOf(error, 'metadata'), message: messageOf(error) });
  }
  snapshot.durationSeconds = (performance.now() - started) / 1000;
  snapshot.complete = errors.length === 0;
  return snapshot;
}

function abortPromise(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    const fail = () => reject(new SnapshotAborted());
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

class SnapshotAborted extends Error {
  constructor() {
    super('snapshot deadline reached; reporting what was collected');
  }
}

function phaseOf(error: unknown, fallback: SnapshotPhase): SnapshotPhase {
  return error instanceof SnapshotAborted ? 'timeout' : fallback;
}
