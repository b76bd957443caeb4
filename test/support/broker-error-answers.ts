/**
 * Answers a broker gives instead of the one asked for: the error answers of the APIs a cluster
 * collector calls, byte for byte as Kafka lays them out, for `FaultInjectingSockets`' `answer`
 * faults. Each is what follows the correlation id in the reply frame: the response header's
 * tagged fields (every API here is sent at a flexible version, whose response header is an empty
 * tagged-field section, one 0 byte), then the body.
 *
 * Layouts are those of the versions the collector sends the suite's Kafka (3.x and 4.x); where
 * a field exists only from some version on, the builder reads the version from the request.
 */
import { TOPIC_RESOURCE_TYPE } from '../../src/collectors/protocol/describe-configs';
import { WireWriter } from '../../src/collectors/protocol/wire-writer';
import { errorCodeNamed } from './kafka-codes';
import type { RequestHeader } from './kafka-frames';

/** An answer for `FaultInjectingSockets`: what follows the correlation id. */
export type ErrorAnswer = (request: RequestHeader) => Buffer;

/** The response header of a flexible version: no tagged fields. */
const HEADER = Buffer.from([0]);
const answerOf = (body: WireWriter) => Buffer.concat([HEADER, body.toBuffer()]);
/** Throttle time of every answer here: not throttled. */
const NO_THROTTLE = 0;
/** DescribeGroups' AuthorizedOperations when the request did not ask for them. */
const OPERATIONS_NOT_REQUESTED = -2147483648;

/** An answer that ends after its header: the body the client expects is not there. */
export const cutShort: ErrorAnswer = () => HEADER;

/** DescribeLogDirs v3+ refused as a whole: CLUSTER_AUTHORIZATION_FAILED, no results. */
export const logDirsRefused: ErrorAnswer = () =>
  answerOf(
    new WireWriter()
      .int32(NO_THROTTLE)
      .int16(errorCodeNamed('CLUSTER_AUTHORIZATION_FAILED'))
      .compactArrayLength(0) // Results
      .emptyTaggedFields(),
  );

/** The message of {@link quorumRefused} (v2+, which has one). */
export const QUORUM_REFUSAL = 'Cluster authorization failed.';

/** DescribeQuorum refused as a whole: CLUSTER_AUTHORIZATION_FAILED, no topics, no nodes. */
export const quorumRefused: ErrorAnswer = ({ apiVersion }) => {
  const body = new WireWriter().int16(errorCodeNamed('CLUSTER_AUTHORIZATION_FAILED'));
  if (apiVersion >= 2) body.compactNullableString(QUORUM_REFUSAL);
  body.compactArrayLength(0); // Topics
  if (apiVersion >= 2) body.compactArrayLength(0); // Nodes
  return answerOf(body.emptyTaggedFields());
};

/** The message of {@link quorumNotLeader}'s partition (v2+, which has one). */
export const QUORUM_NOT_LEADER = 'The controller is not the leader.';

/**
 * DescribeQuorum from a controller that is not the quorum's leader (during an election): no
 * top-level error, the `__cluster_metadata` partition answered NOT_LEADER_OR_FOLLOWER, with the
 * leader and epoch that controller last knew (not the quorum's).
 */
export const quorumNotLeader: ErrorAnswer = ({ apiVersion }) => {
  const body = new WireWriter().int16(errorCodeNamed('NONE'));
  if (apiVersion >= 2) body.compactNullableString(null);
  body.compactArrayLength(1).compactString('__cluster_metadata').compactArrayLength(1);
  body.int32(0).int16(errorCodeNamed('NOT_LEADER_OR_FOLLOWER')); // PartitionIndex, ErrorCode
  if (apiVersion >= 2) body.compactNullableString(QUORUM_NOT_LEADER);
  body
    .int32(1) // LeaderId
    .int32(1) // LeaderEpoch
    .int64(0) // HighWatermark
    .compactArrayLength(0) // CurrentVoters
    .compactArrayLength(0) // Observers
    .emptyTaggedFields()
    .emptyTaggedFields();
  if (apiVersion >= 2) body.compactArrayLength(0); // Nodes
  return answerOf(body.emptyTaggedFields());
};

/**
 * ListGroups v4+ from a broker still loading its group metadata (after a restart):
 * COORDINATOR_LOAD_IN_PROGRESS and the groups it has loaded, none yet.
 */
export const groupsLoading: ErrorAnswer = () =>
  answerOf(
    new WireWriter()
      .int32(NO_THROTTLE)
      .int16(errorCodeNamed('COORDINATOR_LOAD_IN_PROGRESS'))
      .compactArrayLength(0) // Groups
      .emptyTaggedFields(),
  );

/** The message of {@link noCoordinatorFor}. */
export const NO_COORDINATOR = 'The coordinator is not available.';

/** FindCoordinator v4+ with no coordinator for `groupId`: COORDINATOR_NOT_AVAILABLE. */
export const noCoordinatorFor =
  (groupId: string): ErrorAnswer =>
  () =>
    answerOf(
      new WireWriter()
        .int32(NO_THROTTLE)
        .compactArrayLength(1) // Coordinators
        .compactString(groupId)
        .int32(-1) // NodeId
        .compactString('') // Host
        .int32(-1) // Port
        .int16(errorCodeNamed('COORDINATOR_NOT_AVAILABLE'))
        .compactNullableString(NO_COORDINATOR)
        .emptyTaggedFields()
        .emptyTaggedFields(),
    );

/**
 * DescribeGroups v5+ from a coordinator still loading `groupId` (after a restart or a
 * coordinator move): COORDINATOR_LOAD_IN_PROGRESS for the group, nothing of its members.
 */
export const groupLoadingFor =
  (groupId: string): ErrorAnswer =>
  ({ apiVersion }) => {
    const body = new WireWriter()
      .int32(NO_THROTTLE)
      .compactArrayLength(1) // Groups
      .int16(errorCodeNamed('COORDINATOR_LOAD_IN_PROGRESS'));
    if (apiVersion >= 6) body.compactNullableString(null); // ErrorMessage
    return answerOf(
      body
        .compactString(groupId)
        .compactString('') // GroupState
        .compactString('') // ProtocolType
        .compactString('') // ProtocolData
        .compactArrayLength(0) // Members
        .int32(OPERATIONS_NOT_REQUESTED)
        .emptyTaggedFields()
        .emptyTaggedFields(),
    );
  };

/** OffsetFetch v8+ refusing `groupId` its committed offsets: GROUP_AUTHORIZATION_FAILED. */
export const offsetsRefusedFor =
  (groupId: string): ErrorAnswer =>
  () =>
    answerOf(
      new WireWriter()
        .int32(NO_THROTTLE)
        .compactArrayLength(1) // Groups
        .compactString(groupId)
        .compactArrayLength(0) // Topics
        .int16(errorCodeNamed('GROUP_AUTHORIZATION_FAILED'))
        .emptyTaggedFields()
        .emptyTaggedFields(),
    );

/**
 * ListOffsets v7+ from a broker that no longer leads partition 0 of `topic` (leadership moved
 * since the Metadata the collector asked it by): the partition's answer is an error code alone.
 */
export const offsetsNotLeaderFor =
  (topic: string): ErrorAnswer =>
  () =>
    answerOf(
      new WireWriter()
        .int32(NO_THROTTLE)
        .compactArrayLength(1) // Topics
        .compactString(topic)
        .compactArrayLength(1) // Partitions
        .int32(0) // PartitionIndex
        .int16(errorCodeNamed('NOT_LEADER_OR_FOLLOWER'))
        .int64(-1) // Timestamp
        .int64(-1) // Offset
        .int32(-1) // LeaderEpoch
        .emptyTaggedFields()
        .emptyTaggedFields()
        .emptyTaggedFields(),
    );

/** The message of {@link configsRefusedFor}. */
export const CONFIGS_REFUSAL = 'Authorization failed.';

/** DescribeConfigs v4 refusing `topic` its configuration: TOPIC_AUTHORIZATION_FAILED. */
export const configsRefusedFor =
  (topic: string): ErrorAnswer =>
  () =>
    answerOf(
      new WireWriter()
        .int32(NO_THROTTLE)
        .compactArrayLength(1) // Results
        .int16(errorCodeNamed('TOPIC_AUTHORIZATION_FAILED'))
        .compactNullableString(CONFIGS_REFUSAL)
        .int8(TOPIC_RESOURCE_TYPE)
        .compactString(topic)
        .compactArrayLength(0) // Configs
        .emptyTaggedFields()
        .emptyTaggedFields(),
    );
