import { assertImplementedVersion, type ApiSpec } from './api-spec';
import { WireReader } from './wire-reader';
import { WireWriter } from './wire-writer';

/**
 * OffsetFetch (key 9), v8-v9: committed offsets of many groups in one request (v8 introduced the
 * `Groups` batch), every topic of each group, sent to the groups' coordinator. v9 only adds the
 * KIP-848 member id and epoch, which an admin leaves null / -1. v10 (Kafka 4.x) switches to topic
 * ids, which would need a Metadata lookup to name; v9 keeps names.
 */
export const OFFSET_FETCH_API: ApiSpec = {
  key: 9,
  name: 'OffsetFetch',
  minVersion: 8,
  maxVersion: 9,
  firstFlexibleVersion: 6,
};

/** An OffsetFetch request for all topics of each group. */
export interface OffsetFetchRequest {
  /** Group ids, all coordinated by the receiving broker. */
  readonly groupIds: readonly string[];
  /** True makes partitions with pending transactional commits answer 88 instead of an offset. */
  readonly requireStable: boolean;
}

/** The committed offset of one partition. */
export interface CommittedOffset {
  /** Topic name. */
  topic: string;
  /** Partition index. */
  partition: number;
  /** The committed offset, -1 if none. */
  committedOffset: number;
  /** Leader epoch of the committed offset, -1 if unknown. */
  committedLeaderEpoch: number;
  /** 0, or a partition-level error such as 88 UNSTABLE_OFFSET_COMMIT. */
  errorCode: number;
}

/** The committed offsets of one group. */
export interface GroupOffsets {
  /** Group id. */
  groupId: string;
  /** 0, or a group-level error such as 16 NOT_COORDINATOR, 14 COORDINATOR_LOAD_IN_PROGRESS. */
  errorCode: number;
  /** Every partition the group has an offset for, flattened over topics. */
  partitions: CommittedOffset[];
}

/** Encodes an OffsetFetch request body asking for every topic of each group. */
export function encodeOffsetFetchRequest(request: OffsetFetchRequest, version: number): Buffer {
  assertImplementedVersion(OFFSET_FETCH_API, version);
  const writer = new WireWriter().compactArrayLength(request.groupIds.length);
  for (const groupId of request.groupIds) {
    writer.compactString(groupId);
    if (version >= 9) {
      writer.compactNullableString(null).int32(-1); // MemberId, MemberEpoch: an admin, not a member
    }
    writer
      .compactArrayLength(null) // Topics: null = every topic with a committed offset
      .emptyTaggedFields();
  }
  return writer.bool(request.requireStable).emptyTaggedFields().toBuffer();
}

/** Decodes an OffsetFetch response body (v8-v9 share one layout): one entry per group. */
export function decodeOffsetFetchResponse(body: Buffer, version: number): GroupOffsets[] {
  assertImplementedVersion(OFFSET_FETCH_API, version);
  const reader = new WireReader(body, `OffsetFetch v${version} response`);
  reader.int32(); // ThrottleTimeMs
  const count = reader.compactArrayCount(5);
  const groups = new Array<GroupOffsets>(count);
  for (let g = 0; g < count; g++) {
    const groupId = reader.compactString();
    const partitions: CommittedOffset[] = [];
    const topicCount = reader.compactArrayCount(3);
    for (let t = 0; t < topicCount; t++) {
      const topic = reader.compactString();
      const partitionCount = reader.compactArrayCount(20);
      for (let p = 0; p < partitionCount; p++) {
        const partition = reader.int32();
        const committedOffset = reader.int64();
        const committedLeaderEpoch = reader.int32();
        reader.skipCompactBytes(); // Metadata: free-form commit metadata, not needed
        const errorCode = reader.int16();
        reader.skipTaggedFields();
        partitions.push({ topic, partition, committedOffset, committedLeaderEpoch, errorCode });
      }
      reader.skipTaggedFields();
    }
    const errorCode = reader.int16();
    reader.skipTaggedFields();
    groups[g] = { groupId, errorCode, partitions };
  }
  reader.skipTaggedFields();
  reader.end();
  return groups;
}
