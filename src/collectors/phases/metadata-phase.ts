import type { SnapshotClient } from './snapshot-client';
import type { BrokerSnapshot, SnapshotError } from '../cluster-snapshot';
import type { NameFilter } from '../name-filter';
import type { TopicMetadata } from '../protocol';
import { isCutOff, snapshotError } from './phase-outcome';

/** Which topics a snapshot covers. */
export interface TopicScope {
  includeTopic: NameFilter;
  includeInternalTopics: boolean;
}

/** The cluster's shape from one Metadata answer: the base every other phase starts from. */
export interface ClusterMetadata {
  readonly clusterId?: string;
  readonly controllerId: number;
  readonly brokers: readonly BrokerSnapshot[];
  /** The topics in scope, as Metadata described them. */
  readonly topics: readonly TopicMetadata[];
}

/**
 * Metadata from any broker (failing over through the known and seed brokers). Without it
 * nothing else can be asked: the outcome is then undefined with the failure.
 */
export async function metadataPhase(
  client: SnapshotClient,
  scope: TopicScope,
  signal: AbortSignal,
): Promise<{ value?: ClusterMetadata; error?: SnapshotError; cutOff?: boolean }> {
  try {
    const metadata = await client.metadata(signal);
    return {
      value: {
        clusterId: metadata.clusterId ?? undefined,
        controllerId: metadata.controllerId,
        brokers: metadata.brokers.map((b) => ({
          nodeId: b.nodeId,
          host: b.host,
          port: b.port,
          ...(b.rack === null ? {} : { rack: b.rack }),
        })),
        topics: metadata.topics.filter(
          (t) =>
            (scope.includeInternalTopics || !(t.isInternal || t.name.startsWith('__'))) &&
            scope.includeTopic(t.name),
        ),
      },
    };
  } catch (error) {
    return {
      error: snapshotError('metadata', error),
      cutOff: isCutOff(error),
    };
  }
}
