import type { SnapshotClient } from './snapshot-client';

import type { ClusterMetadata } from './metadata-phase';
import { PhaseErrors, namedErrorCode, type PhaseOutcome } from './phase-outcome';

const MIN_INSYNC_REPLICAS = 'min.insync.replicas';

/**
 * min.insync.replicas of every topic in scope, in one DescribeConfigs; by topic name. A topic
 * the answer gives no value for (answered with an error code, such as TOPIC_AUTHORIZATION_FAILED,
 * or left out) is one error of the phase, its value unknown.
 */
export async function topicConfigsPhase(
  client: SnapshotClient,
  metadata: ClusterMetadata,
  signal: AbortSignal,
): Promise<PhaseOutcome<Map<string, number>>> {
  const errors = new PhaseErrors('configs');
  const minInsyncReplicas = new Map<string, number>();
  if (metadata.topics.length === 0) return errors.outcome(minInsyncReplicas);
  try {
    const topics = metadata.topics.map((t) => t.name);
    const configs = await client.describeTopicConfigs(topics, [MIN_INSYNC_REPLICAS], signal);
    for (const topic of topics) {
      const config = configs.get(topic);
      if (config === undefined) {
        errors.add(`DescribeConfigs for topic ${topic}: the answer does not list the topic`);
      } else if (config.errorCode !== 0) {
        const message = config.errorMessage ? `: ${config.errorMessage}` : '';
        errors.add(
          `DescribeConfigs for topic ${topic}: ${namedErrorCode(config.errorCode)}${message}`,
        );
      } else {
        const raw = config.values.get(MIN_INSYNC_REPLICAS);
        if (raw != null && /^\d+$/.test(raw)) {
          minInsyncReplicas.set(topic, Number(raw));
        } else {
          const value = raw === undefined ? 'missing' : JSON.stringify(raw);
          errors.add(`DescribeConfigs for topic ${topic}: ${MIN_INSYNC_REPLICAS} is ${value}`);
        }
      }
    }
  } catch (error) {
    errors.add(error);
  }
  return errors.outcome(minInsyncReplicas);
}
