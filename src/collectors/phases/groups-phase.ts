import type { SnapshotClient } from './snapshot-client';
import { chunk, mapBounded } from '../bounded-concurrency';
import type { NameFilter } from '../name-filter';
import type { Coordinator, DescribedGroup, GroupOffsets, ListedGroup } from '../protocol';
import type { ClusterMetadata } from './metadata-phase';
import { PhaseErrors, namedErrorCode as named, type PhaseOutcome } from './phase-outcome';

/** Which groups a snapshot covers, and how hard it may press their coordinators. */
export interface GroupScope {
  includeGroup: NameFilter;
  /** Coordinator requests in flight at once. */
  groupConcurrency: number;
}

/** What the group phase learned about one group. */
export interface GroupFacts {
  readonly groupId: string;
  readonly coordinator: number;
  /** State from ListGroups: the fallback when DescribeGroups cannot describe the group. */
  readonly listedState?: string;
  /**
   * What DescribeGroups said of a classic group; undefined for a KIP-848 consumer group (it
   * describes classic groups only) or when it failed, which is then one of the phase's errors.
   */
  described?: DescribedGroup;
  offsets?: GroupOffsets;
}

/** Groups per DescribeGroups / OffsetFetch request: large enough to batch, small enough to answer fast. */
const GROUPS_PER_REQUEST = 100;

/**
 * Finds the consumer groups (ListGroups to every broker in parallel), their coordinators
 * (one batched FindCoordinator), then describes them and fetches their committed offsets, one
 * batched request per coordinator and chunk, at most `groupConcurrency` in flight. Requests
 * grow with coordinators, not with groups. A group whose requests failed is kept with what is
 * known; the failures are the outcome's errors (phase `groups` or `group_offsets`), and so is a
 * group list a broker answered with an error (it may be partial) or a group the broker answered
 * for with an error code.
 *
 * KIP-848 consumer groups (ListGroups type `consumer`, Kafka 4.x) are not sent to DescribeGroups,
 * which answers them GROUP_ID_NOT_FOUND ("not a classic group"): ConsumerGroupDescribe describes
 * them, and this package does not send it. Their state is ListGroups', their offsets
 * OffsetFetch's, and their member count stays unknown: a limit of the collector, not a failure
 * of the cluster, so no error.
 */
export async function groupsPhase(
  client: SnapshotClient,
  metadata: ClusterMetadata,
  scope: GroupScope,
  signal: AbortSignal,
): Promise<PhaseOutcome<GroupFacts[]>> {
  const errors = new PhaseErrors('groups');
  const listed = await Promise.all(
    metadata.brokers.map(async ({ nodeId }) => {
      try {
        const answer = await client.listGroups(nodeId, signal);
        // A broker still loading its groups (COORDINATOR_LOAD_IN_PROGRESS after a restart)
        // lists only those it has loaded: the others are missing, not deleted.
        if (answer.errorCode !== 0) {
          errors.add(
            `ListGroups to node ${nodeId}: ${named(answer.errorCode)}, the group list may be partial`,
            nodeId,
          );
        }
        return answer.groups;
      } catch (error) {
        errors.add(error, nodeId);
        return [];
      }
    }),
  );
  // Consumer groups, plus groups with an empty protocol type: standalone consumers that only
  // commit offsets (assign() without a group membership) show up that way.
  const listedGroups = new Map<string, ListedGroup>();
  for (const group of listed.flat()) {
    const consumer = group.protocolType === 'consumer' || group.protocolType === '';
    if (consumer && scope.includeGroup(group.groupId)) listedGroups.set(group.groupId, group);
  }
  const groupIds = [...listedGroups.keys()].sort();
  if (groupIds.length === 0) return errors.outcome([]);

  let coordinators: Awaited<ReturnType<SnapshotClient['findCoordinators']>>;
  try {
    coordinators = await client.findCoordinators(groupIds, signal);
  } catch (error) {
    errors.add(error);
    return errors.outcome([]);
  }
  const byCoordinator = new Map<number, string[]>();
  for (const groupId of groupIds) {
    const coordinator = coordinators.get(groupId);
    if (!coordinator || coordinator.errorCode !== 0 || coordinator.nodeId < 0) {
      errors.add(`no coordinator for group ${groupId}: ${whyNoCoordinator(coordinator)}`);
      continue;
    }
    const ids = byCoordinator.get(coordinator.nodeId);
    if (ids) ids.push(groupId);
    else byCoordinator.set(coordinator.nodeId, [groupId]);
  }

  const facts = new Map<string, GroupFacts>();
  const batches = [...byCoordinator].flatMap(([nodeId, ids]) =>
    chunk(ids, GROUPS_PER_REQUEST).map((batch) => ({ nodeId, batch })),
  );
  for (const { nodeId, batch } of batches) {
    for (const groupId of batch) {
      facts.set(groupId, {
        groupId,
        coordinator: nodeId,
        listedState: listedGroups.get(groupId)?.state,
      });
    }
  }
  await mapBounded(batches, scope.groupConcurrency, signal, async ({ nodeId, batch }) => {
    const classic = batch.filter((groupId) => listedGroups.get(groupId)?.type !== 'consumer');
    const [described, offsets] = await Promise.all([
      classic.length === 0
        ? []
        : client.describeGroups(nodeId, classic, signal).catch((error: unknown) => {
            errors.add(error, nodeId);
            return [];
          }),
      client.offsetFetch(nodeId, batch, signal).catch((error: unknown) => {
        errors.add(error, nodeId, 'group_offsets');
        return [];
      }),
    ]);
    for (const group of described) {
      const entry = facts.get(group.groupId);
      if (!entry) continue;
      if (group.errorCode !== 0) {
        // Its members are unknown: a gap in the snapshot, so a counted error.
        const message = group.errorMessage ? `: ${group.errorMessage}` : '';
        errors.add(
          `DescribeGroups to node ${nodeId}: group ${group.groupId}: ` +
            `${named(group.errorCode)}${message}`,
          nodeId,
        );
        continue;
      }
      entry.described = group;
    }
    for (const group of offsets) {
      const entry = facts.get(group.groupId);
      if (!entry) continue;
      if (group.errorCode !== 0) {
        errors.add(`group ${group.groupId}: ${named(group.errorCode)}`, nodeId, 'group_offsets');
        continue;
      }
      // A partition answered with an error (UNSTABLE_OFFSET_COMMIT while a transactional commit
      // is pending, say) has no known commit: a gap in the snapshot, counted, never a guess.
      for (const p of group.partitions) {
        if (p.errorCode === 0) continue;
        errors.add(
          `group ${group.groupId}: ${p.topic} partition ${p.partition}: ${named(p.errorCode)}`,
          nodeId,
          'group_offsets',
        );
      }
      entry.offsets = group;
    }
  });
  return errors.outcome([...facts.values()]);
}

/** Why FindCoordinator named no usable coordinator for a group, in the broker's words. */
function whyNoCoordinator(coordinator: Coordinator | undefined): string {
  if (coordinator === undefined) return 'the answer does not list the group';
  if (coordinator.errorCode === 0) return `node ${coordinator.nodeId}`;
  const message = coordinator.errorMessage ? `: ${coordinator.errorMessage}` : '';
  return `${named(coordinator.errorCode)}${message}`;
}
