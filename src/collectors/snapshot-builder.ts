import type {
  ClusterSnapshot,
  GroupSnapshot,
  PartitionSnapshot,
  SnapshotError,
  SnapshotPhase,
  TopicSnapshot,
} from './cluster-snapshot';
import { emptySnapshot } from './cluster-snapshot';
import { collectGroups, messageOf, type GroupFacts } from './group-phase';
import type { LagTracker } from './lag-tracker';
import type { NameFilter } from './name-filter';
import {
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
  UnsupportedApiError,
  type ClusterClient,
  type MetadataResponse,
} from './protocol';

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

/** Earliest and latest offsets of every partition, one batched ListOffsets per leader. */
async function fillOffsets(
  client: ClusterClient,
  snapshot: ClusterSnapshot,
  errors: SnapshotError[],
) {
  // leader -> topic -> partition id -> partition: lookups stay O(1) on 10k-partition topics.
  const byLeader = new Map<number, Map<string, Map<number, PartitionSnapshot>>>();
  const live = new Set(snapshot.brokers.map((b) => b.nodeId));
  for (const topic of snapshot.topics) {
    for (const p of topic.partitions) {
      // Offline, or led by a broker that just left Metadata: nobody can answer for it.
      if (p.leader < 0 || !live.has(p.leader)) continue;
      let topics = byLeader.get(p.leader);
      if (!topics) {
        topics = new Map<string, Map<number, PartitionSnapshot>>();
        byLeader.set(p.leader, topics);
      }
      let partitions = topics.get(topic.name);
      if (!partitions) {
        partitions = new Map<number, PartitionSnapshot>();
        topics.set(topic.name, partitions);
      }
      partitions.set(p.partition, p);
    }
  }
  await Promise.all(
    [...byLeader].map(async ([leader, topics]) => {
      const request = [...topics].map(([topic, partitions]) => ({
        topic,
        partitions: [...partitions.keys()].flatMap((partition) => [
          { partition, timestamp: EARLIEST_TIMESTAMP },
          { partition, timestamp: LATEST_TIMESTAMP },
        ]),
      }));
      try {
        const answers = await client.listOffsets(leader, request);
        for (const answer of answers) {
          const partition = topics.get(answer.topic)?.get(answer.partition);
          if (!partition || answer.errorCode !== 0 || answer.offset < 0) continue;
          if (answer.requestedTimestamp === EARLIEST_TIMESTAMP)
            partition.oldestOffset = answer.offset;
          else partition.currentOffset = answer.offset;
        }
      } catch (error) {
        errors.push({ phase: 'offsets', broker: leader, message: messageOf(error) });
      }
    }),
  );
}

/** Bytes on disk per replica and per log directory, one DescribeLogDirs per broker. */
async function fillLogDirs(
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

/** The KRaft metadata quorum; a ZooKeeper-mode cluster (3.x) has none, which is not an error. */
async function fillQuorum(
  client: ClusterClient,
  snapshot: ClusterSnapshot,
  errors: SnapshotError[],
) {
  try {
    const quorum = await client.describeQuorum();
    const known = (t: number) => (t >= 0 ? t : undefined);
    const replica = (r: (typeof quorum.voters)[number]) => ({
      replicaId: r.replicaId,
      logEndOffset: r.logEndOffset,
      lastFetchTimestamp: known(r.lastFetchTimestamp),
    });
    snapshot.quorum = {
      leaderId: quorum.leaderId,
      leaderEpoch: quorum.leaderEpoch,
      highWatermark: quorum.highWatermark,
      voters: quorum.voters.map(replica),
      observers: quorum.observers.map(replica),
    };
  } catch (error) {
    if (error instanceof UnsupportedApiError) return;
    errors.push({ phase: 'quorum', message: messageOf(error) });
  }
}

/** min.insync.replicas of every reported topic, in one DescribeConfigs. */
async function fillMinInsyncReplicas(
  client: ClusterClient,
  snapshot: ClusterSnapshot,
  errors: SnapshotError[],
) {
  if (snapshot.topics.length === 0) return;
  try {
    const configs = await client.describeTopicConfigs(
      snapshot.topics.map((t) => t.name),
      ['min.insync.replicas'],
    );
    for (const topic of snapshot.topics) {
      const value = Number(configs.get(topic.name)?.values.get('min.insync.replicas'));
      if (Number.isInteger(value)) topic.minInsyncReplicas = value;
    }
  } catch (error) {
    errors.push({ phase: 'configs', message: messageOf(error) });
  }
}

/** A group's state, members and per-partition offsets and lag from what the phases learned. */
function groupSnapshot(
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
