import type { ClusterClient } from '../protocol';

/** The requests a snapshot sends: `ClusterClient`'s, or a scripted stand-in in tests. */
export type SnapshotClient = Pick<
  ClusterClient,
  | 'metadata'
  | 'listOffsets'
  | 'fetchRecords'
  | 'listGroups'
  | 'findCoordinators'
  | 'describeGroups'
  | 'offsetFetch'
  | 'describeLogDirs'
  | 'describeQuorum'
  | 'describeTopicConfigs'
>;
