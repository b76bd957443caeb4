import type { SnapshotClient } from './snapshot-client';
import { errorName } from '../../kafka-names/error-names';
import { chunk, mapBounded } from '../bounded-concurrency';
import type { NameFilter } from '../name-filter';
import type { Coordinator, DescribedGroup, GroupOffsets } from '../protocol';
import type { ClusterMetadata } from './metadata-phase';
import { PhaseErrors, type PhaseOutcome } from './phase-outcome';

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
  const listedStates = new Map<string, string>();
  for (const group of listed.flat()) {
    const consumer = group.protocolType === 'consumer' || group.protocolType === '';
    if (consumer && scope.includeGroup(group.groupId)) {
      listedStates.set(group.groupId, group.state);
    }
  }
  const groupIds = [...listedStates.keys()].sort();
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
      facts.set(groupId, { groupId, coordinator: nodeId, listedState: listedStates.get(groupId) });
    }
  }
  await mapBounded(batches, scope.groupConcurrency, signal, async ({ nodeId, batch }) => {
    const [described, offsets] = await Promise.all([
      client.describeGroups(nodeId, batch, signal).catch((error: unknown) => {
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
      // KIP-848 consumer groups answer GROUP_ID_NOT_FOUND here (Kafka 4.x): ListGroups' state
      // and OffsetFetch's offsets still describe them.
      if (entry && group.errorCode === 0) entry.described = group;
    }
    for (const group of offsets) {
      const entry = facts.get(group.groupId);
      if (!entry) continue;
      if (group.errorCode !== 0) {
        errors.add(`group ${group.groupId}: ${named(group.errorCode)}`, nodeId, 'group_offsets');
        continue;
      }
      entry.offsets = group;
    }
  });
  return errors.outcome([...facts.values()]);
}

/** A Kafka error code as an operator looks it up: `COORDINATOR_NOT_AVAILABLE (15)`. */
function named(errorCode: number): string {
  return `${errorName(errorCode)} (${errorCode})`;
}

/** Why FindCoordinator named no usable coordinator for a group, in the broker's words. */
function whyNoCoordinator(coordinator: Coordinator | undefined): string {
  if (coordinator === undefined) return 'the answer does not list the group';
  if (coordinator.errorCode === 0) return `node ${coordinator.nodeId}`;
  const message = coordinator.errorMessage ? `: ${coordinator.errorMessage}` : '';
  return `${named(coordinator.errorCode)}${message}`;
}
