import { ProtocolDecodeError } from './protocol-decode-error';
import { WireReader } from './wire-reader';

/** Partitions of one topic assigned to a group member. */
export interface TopicPartitions {
  /** Topic name. */
  topic: string;
  /** Assigned partition indexes. */
  partitions: number[];
}

/**
 * Decodes the `consumer` protocol's member assignment (`ConsumerProtocolAssignment`, the bytes
 * DescribeGroups returns as `MemberAssignment`): `int16 version`, then an old-style array of
 * (topic, []int32 partitions), then user data. Every version so far (0-3) starts with that
 * array and only appends fields, so anything after it is ignored, which also keeps assignments
 * of future versions readable.
 *
 * Tolerant by design: a member's assignment is informative, never a reason to fail a group
 * description. Empty bytes (a group that is not Stable) give []; bytes that are not a consumer
 * assignment give null.
 */
export function decodeConsumerAssignment(bytes: Buffer): TopicPartitions[] | null {
  if (bytes.length === 0) return [];
  const reader = new WireReader(bytes, 'consumer protocol assignment');
  try {
    if (reader.int16() < 0) return null;
    const count = reader.legacyArrayCount(6);
    const assignment = new Array<TopicPartitions>(count);
    for (let i = 0; i < count; i++) {
      const topic = reader.legacyNullableString() ?? '';
      const partitions = reader.legacyInt32Array();
      assignment[i] = { topic, partitions };
    }
    return assignment;
  } catch (error) {
    if (error instanceof ProtocolDecodeError) return null;
    throw error;
  }
}
