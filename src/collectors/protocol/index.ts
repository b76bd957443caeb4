/**
 * The protocol layer of the cluster collectors: `ClusterClient` and the types of its answers.
 * The codecs (`encode*Request` / `decode*Response`) live in one file per API.
 */
export { ClusterClient } from './cluster-client';
export type { ClusterClientOptions, QuorumDescription, TopicConfigs } from './cluster-client';
export type { KnownBroker } from './broker-directory';
export type { BrokerAddress } from './broker-address';
export {
  BrokerErrorResponse,
  BrokerRequestError,
  NoBrokerAvailableError,
  UnsupportedApiError,
} from './errors';
export type { RequestFailureReason, RequestTarget } from './errors';
export { ProtocolDecodeError } from './protocol-decode-error';
export type { ApiSpec, BrokerVersionRange } from './api-spec';
export type {
  BrokerMetadata,
  MetadataResponse,
  PartitionMetadata,
  TopicMetadata,
} from './metadata';
export {
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
  MAX_TIMESTAMP,
  type PartitionOffset,
  type PartitionTimestamp,
  type TopicPartitionTimestamps,
} from './list-offsets';
export type { FetchedPartition, FetchPartition } from './fetch';
export type { OffsetTime } from './record-batches';
export type { Coordinator } from './find-coordinator';
export type { ListedGroup, ListGroupsResponse } from './list-groups';
export type { DescribedGroup, GroupMember } from './describe-groups';
export type { TopicPartitions } from './consumer-assignment';
export type { CommittedOffset, GroupOffsets } from './offset-fetch';
export type { LogDir, LogDirPartition, LogDirTopic } from './describe-log-dirs';
export type { QuorumListener, QuorumNode, QuorumReplica } from './describe-quorum';
