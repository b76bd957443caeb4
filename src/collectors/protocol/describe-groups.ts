import { assertImplementedVersion, type ApiSpec } from './api-spec';
import { decodeConsumerAssignment, type TopicPartitions } from './consumer-assignment';
import { WireReader } from './wire-reader';
import { WireWriter } from './wire-writer';

/**
 * DescribeGroups (key 15), v5-v6: state, protocol and members of classic groups, sent to their
 * coordinator. v5 is the highest on Kafka 3.9; v6 (Kafka 4.x) adds an error message and answers
 * 69 GROUP_ID_NOT_FOUND where v5 says `Dead` for unknown groups and for groups of another type
 * (KIP-848 `consumer` groups are described by ConsumerGroupDescribe instead).
 */
export const DESCRIBE_GROUPS_API: ApiSpec = {
  key: 15,
  name: 'DescribeGroups',
  minVersion: 5,
  maxVersion: 6,
  firstFlexibleVersion: 5,
};

/** The protocol type of classic consumer groups, whose assignments we can decode. */
const CONSUMER_PROTOCOL_TYPE = 'consumer';
const NO_BYTES = Buffer.alloc(0);

/** A DescribeGroups request. */
export interface DescribeGroupsRequest {
  /** Group ids, all coordinated by the receiving broker. */
  readonly groupIds: readonly string[];
}

/** One member of a described group. */
export interface GroupMember {
  /** Member id assigned by the coordinator. */
  memberId: string;
  /** `group.instance.id` of a static member, or null. */
  groupInstanceId: string | null;
  /** The member's client id. */
  clientId: string;
  /** The member's address as the broker saw it, e.g. `/127.0.0.1`. */
  clientHost: string;
  /**
   * Partitions assigned to the member: [] when the group is not Stable (no assignment yet), null
   * when the group's protocol is not `consumer` or the bytes could not be decoded.
   */
  assignment: TopicPartitions[] | null;
}

/** One described group. */
export interface DescribedGroup {
  /** Group id. */
  groupId: string;
  /** 0, or e.g. 16 NOT_COORDINATOR, 15 COORDINATOR_NOT_AVAILABLE, 69 GROUP_ID_NOT_FOUND (v6). */
  errorCode: number;
  /** The broker's explanation of the error (v6+), or null. */
  errorMessage: string | null;
  /** `Stable`, `Empty`, `PreparingRebalance`, `CompletingRebalance` or `Dead`. */
  state: string;
  /** `consumer` for consumer groups, '' if none. */
  protocolType: string;
  /** The assignor (e.g. `range`) when Stable, else ''. */
  protocol: string;
  /** Current members. */
  members: GroupMember[];
}

/** Encodes a DescribeGroups request body (v5-v6 share one layout). */
export function encodeDescribeGroupsRequest(
  request: DescribeGroupsRequest,
  version: number,
): Buffer {
  assertImplementedVersion(DESCRIBE_GROUPS_API, version);
  return new WireWriter()
    .compactStringArray(request.groupIds)
    .bool(false) // IncludeAuthorizedOperations
    .emptyTaggedFields()
    .toBuffer();
}

/** Decodes a DescribeGroups response body: one entry per group asked. */
export function decodeDescribeGroupsResponse(body: Buffer, version: number): DescribedGroup[] {
  assertImplementedVersion(DESCRIBE_GROUPS_API, version);
  const reader = new WireReader(body, `DescribeGroups v${version} response`);
  reader.int32(); // ThrottleTimeMs
  const count = reader.compactArrayCount(12);
  const groups = new Array<DescribedGroup>(count);
  for (let i = 0; i < count; i++) groups[i] = readGroup(reader, version);
  reader.skipTaggedFields();
  reader.end();
  return groups;
}

function readGroup(reader: WireReader, version: number): DescribedGroup {
  const errorCode = reader.int16();
  const errorMessage = version >= 6 ? reader.compactNullableString() : null;
  const groupId = reader.compactString();
  const state = reader.compactString();
  const protocolType = reader.compactString();
  const protocol = reader.compactString();
  const decodeAssignments = protocolType === CONSUMER_PROTOCOL_TYPE;
  const count = reader.compactArrayCount(7);
  const members = new Array<GroupMember>(count);
  for (let i = 0; i < count; i++) {
    const memberId = reader.compactString();
    const groupInstanceId = reader.compactNullableString();
    const clientId = reader.compactString();
    const clientHost = reader.compactString();
    reader.skipCompactBytes(); // MemberMetadata (the subscription): not needed
    const bytes = reader.compactBytes();
    reader.skipTaggedFields();
    const assignment = decodeAssignments ? decodeConsumerAssignment(bytes ?? NO_BYTES) : null;
    members[i] = { memberId, groupInstanceId, clientId, clientHost, assignment };
  }
  reader.int32(); // AuthorizedOperations (not requested)
  reader.skipTaggedFields();
  return { groupId, errorCode, errorMessage, state, protocolType, protocol, members };
}
