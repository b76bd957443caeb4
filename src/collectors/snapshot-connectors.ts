import type { ClusterSnapshot, GroupSnapshot } from './cluster-snapshot';

/**
 * The snapshot with each group a Kafka Connect sink connector consumes as marked with that
 * connector, by the lookup a linked Connect collector gives (`connectorOfGroup`). The lookup is
 * someone else's code: one that throws marks no group, and never costs the snapshot.
 */
export function withConnectors(
  snapshot: ClusterSnapshot,
  connectorOfGroup: ((groupId: string) => string | undefined) | undefined,
): ClusterSnapshot {
  if (connectorOfGroup === undefined || snapshot.groups.length === 0) return snapshot;
  let marked = false;
  const groups = snapshot.groups.map((group): GroupSnapshot => {
    const connector = ask(connectorOfGroup, group.groupId);
    if (connector === undefined) return group;
    marked = true;
    return { ...group, connector };
  });
  return marked ? { ...snapshot, groups } : snapshot;
}

function ask(lookup: (groupId: string) => string | undefined, groupId: string): string | undefined {
  try {
    const connector = lookup(groupId);
    return typeof connector === 'string' && connector !== '' ? connector : undefined;
  } catch {
    return undefined;
  }
}
