import { chunk, mapBounded } from '../bounded-concurrency';
import type { SnapshotError } from '../cluster-snapshot';
import type { NameFilter } from '../name-filter';
import type { ClusterClient, DescribedGroup, GroupOffsets } from '../protocol';

/** What the group phase learned about one group. */
export interface GroupFacts {
  groupId: string;
  coordinator: number;
  /** State from ListGroups: the fallback when DescribeGroups cannot describe the group. */
  listedState?: string;
  described?: DescribedGroup;
  offsets?: GroupOffsets;
}

/** Groups per DescribeGroups / OffsetFetch request: large enough to batch, small enough to answer fast. */
const GROUPS_PER_REQUEST = 100;

/**
 * Finds the consumer groups (ListGroups to every broker in parallel), their coordinators
 * (one batched FindCoordinator), then describes them and fetches their committed offsets, one
 * batched request per coordinator and chunk, at most `concurrency` in flight. Requests grow
 * with coordinators, not with groups. Failures are recorded per phase and broker; a group
 * whose requests failed is kept with what is known.
 */
export async function collectGroups(
  client: ClusterClient,
  brokerIds: readonly number[],
  include: NameFilter,
  concurrency: number,
  errors: SnapshotError[],
): Promise<GroupFacts[]> {
  const listed = await Promise.all(
    brokerIds.map(async (nodeId) => {
      try {
        return (await client.listGroups(nodeId)).groups;
      } catch (error) {
        errors.push({ phase: 'groups', broker: nodeId, message: messageOf(error) });
        return [];
      }
    }),
  );
  // Consumer groups, plus groups with an empty protocol type: standalone consumers that only
  // commit offsets (assign() without a group membership) show up that way.
  const groupIds = [
    ...new Set(
      listed
        .flat()
        .filter(
          (g) => (g.protocolType === 'consumer' || g.protocolType === '') && include(g.groupId),
        )
        .map((g) => g.groupId),
    ),
  ].sort();
  if (groupIds.length === 0) return [];

  let coordinators: Awaited<ReturnType<ClusterClient['findCoordinators']>>;
  try {
    coordinators = await client.findCoordinators(groupIds);
  } catch (error) {
    errors.push({ phase: 'groups', message: messageOf(error) });
    return [];
  }
  const byCoordinator = new Map<number, string[]>();
  for (const groupId of groupIds) {
    const coordinator = coordinators.get(groupId);
    if (!coordinator || coordinator.errorCode !== 0 || coordinator.nodeId < 0) {
      errors.push({ phase: 'groups', message: `no coordinator for group ${groupId}` });
      continue;
    }
    const ids = byCoordinator.get(coordinator.nodeId) ?? [];
    ids.push(groupId);
    byCoordinator.set(coordinator.nodeId, ids);
  }

  const listedStates = new Map(listed.flat().map((g) => [g.groupId, g.state]));
  const facts = new Map<string, GroupFacts>();
  const batches = [...byCoordinator].flatMap(([nodeId, ids]) =>
    chunk(ids, GROUPS_PER_REQUEST).map((batch) => ({ nodeId, batch })),
  );
  for (const { nodeId, batch } of batches) {
    for (const groupId of batch) {
      facts.set(groupId, { groupId, coordinator: nodeId, listedState: listedStates.get(groupId) });
    }
  }
  await mapBounded(batches, concurrency, async ({ nodeId, batch }) => {
    const [described, offsets] = await Promise.all([
      client.describeGroups(nodeId, batch).catch((error: unknown) => {
        errors.push({ phase: 'groups', broker: nodeId, message: messageOf(error) });
        return [];
      }),
      client.offsetFetch(nodeId, batch).catch((error: unknown) => {
        errors.push({ phase: 'group_offsets', broker: nodeId, message: messageOf(error) });
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
        errors.push({
          phase: 'group_offsets',
          broker: nodeId,
          message: `group ${group.groupId}: error code ${group.errorCode}`,
        });
        continue;
      }
      entry.offsets = group;
    }
  });
  return [...facts.values()];
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
