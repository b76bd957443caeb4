import type { SnapshotClient } from './snapshot-client';

import type { ClusterMetadata } from './metadata-phase';
import { PhaseErrors, type PhaseOutcome } from './phase-outcome';

/** min.insync.replicas of every topic in scope, in one DescribeConfigs; by topic name. */
export async function topicConfigsPhase(
  client: SnapshotClient,
  metadata: ClusterMetadata,
  signal: AbortSignal,
): Promise<PhaseOutcome<Map<string, number>>> {
  const errors = new PhaseErrors('configs');
  const minInsyncReplicas = new Map<string, number>();
  if (metadata.topics.length === 0) return errors.outcome(minInsyncReplicas);
  try {
    const configs = await client.describeTopicConfigs(
      metadata.topics.map((t) => t.name),
      ['min.insync.replicas'],
      signal,
    );
    for (const [topic, config] of configs) {
      const value = Number(config.values.get('min.insync.replicas'));
      if (Number.isInteger(value)) minInsyncReplicas.set(topic, value);
    }
  } catch (error) {
    errors.add(error);
  }
  return errors.outcome(minInsyncReplicas);
}
