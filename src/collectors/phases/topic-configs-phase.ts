import type { ClusterSnapshot, SnapshotError } from '../cluster-snapshot';

import { messageOf } from './groups-phase';

import { type ClusterClient } from '../protocol';

/** min.insync.replicas of every reported topic, in one DescribeConfigs. */
export async function fillMinInsyncReplicas(
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
