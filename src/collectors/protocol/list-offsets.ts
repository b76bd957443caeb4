import { assertImplementedVersion, type ApiSpec } from './api-spec';
import { indexByPartition } from './partition-rounds';
import { WireReader } from './wire-reader';
import { WireWriter } from './wire-writer';

/**
 * ListOffsets (key 2), v7-v9: offsets by timestamp, sent to each partition's leader. v7 is the
 * first version that accepts MAX_TIMESTAMP (-3); v8 and v9 only allow newer special timestamps
 * and are the same on the wire. v10 (Kafka 4.x) adds a tiered-storage timeout we do not need.
 */
export const LIST_OFFSETS_API: ApiSpec = {
  key: 2,
  name: 'ListOffsets',
  minVersion: 7,
  maxVersion: 9,
  firstFlexibleVersion: 6,
};

/** Timestamp that asks for the log start offset (the answer's timestamp is then -1). */
export const EARLIEST_TIMESTAMP = -2;
/** Timestamp that asks for the high watermark, or the last stable offset under read_committed. */
export const LATEST_TIMESTAMP = -1;
/** Timestamp that asks for the offset and time of the record with the largest timestamp (v7+). */
export const MAX_TIMESTAMP = -3;

/** One partition to look up: a special timestamp (-1, -2, -3) or a time in ms. */
export interface PartitionTimestamp {
  /** Partition index. */
  readonly partition: number;
  /** -2 earliest, -1 latest, -3 max timestamp, or a wall-clock time in ms. */
  readonly timestamp: number;
}

/** The partitions of one topic to look up. */
export interface TopicPartitionTimestamps {
  /** Topic name. */
  readonly topic: string;
  /** Each partition at most once per request (brokers reject duplicates). */
  readonly partitions: readonly PartitionTimestamp[];
}

/** A ListOffsets request. */
export interface ListOffsetsRequest {
  /** 0 READ_UNCOMMITTED (latest = high watermark), 1 READ_COMMITTED (latest = LSO). */
  readonly isolationLevel: 0 | 1;
  /** Topics and partitions to look up. */
  readonly topics: readonly TopicPartitionTimestamps[];
}

/** One partition's answer. */
export interface PartitionOffset {
  /** Topic name. */
  topic: string;
  /** Partition index. */
  partition: number;
  /** The timestamp this answer is for, as requested (-2, -1, -3 or ms); NaN if not requested. */
  requestedTimestamp: number;
  /** 0, or e.g. 6 NOT_LEADER_OR_FOLLOWER, 3 UNKNOWN_TOPIC_OR_PARTITION, 78 OFFSET_NOT_AVAILABLE. */
  errorCode: number;
  /** The offset, -1 if none (error, or no record at or after the timestamp). */
  offset: number;
  /** The found record's timestamp; always -1 for earliest and latest. */
  timestamp: number;
  /** Leader epoch of the returned offset, -1 if unknown. */
  leaderEpoch: number;
}

/** Encodes a ListOffsets request body (v7-v9 share one layout). */
export function encodeListOffsetsRequest(request: ListOffsetsRequest, version: number): Buffer {
  assertImplementedVersion(LIST_OFFSETS_API, version);
  const writer = new WireWriter()
    .int32(-1) // ReplicaId: a normal client, not a follower
    .int8(request.isolationLevel)
    .compactArrayLength(request.topics.length);
  for (const { topic, partitions } of request.topics) {
    writer.compactString(topic).compactArrayLength(partitions.length);
    for (const { partition, timestamp } of partitions) {
      writer
        .int32(partition)
        .int32(-1) // CurrentLeaderEpoch: -1 skips leader-epoch fencing
        .int64(timestamp)
        .emptyTaggedFields();
    }
    writer.emptyTaggedFields();
  }
  return writer.emptyTaggedFields().toBuffer();
}

/**
 * Decodes a ListOffsets response body into one flat entry per partition. The request tells
 * which timestamp each answer is for (the answer's own timestamp is -1 for earliest and latest).
 */
export function decodeListOffsetsResponse(
  body: Buffer,
  version: number,
  request: ListOffsetsRequest,
): PartitionOffset[] {
  assertImplementedVersion(LIST_OFFSETS_API, version);
  const asked = indexByPartition(request.topics, (p) => p.timestamp);
  const reader = new WireReader(body, `ListOffsets v${version} response`);
  reader.int32(); // ThrottleTimeMs
  const results: PartitionOffset[] = [];
  const topicCount = reader.compactArrayCount(3);
  for (let t = 0; t < topicCount; t++) {
    const topic = reader.compactString();
    const byPartition = asked.get(topic);
    const count = reader.compactArrayCount(27);
    for (let p = 0; p < count; p++) {
      const partition = reader.int32();
      const errorCode = reader.int16();
      const timestamp = reader.int64();
      const offset = reader.int64();
      const leaderEpoch = reader.int32();
      reader.skipTaggedFields();
      const requestedTimestamp = byPartition?.get(partition) ?? Number.NaN;
      results.push({
        topic,
        partition,
        requestedTimestamp,
        errorCode,
        offset,
        timestamp,
        leaderEpoch,
      });
    }
    reader.skipTaggedFields();
  }
  reader.skipTaggedFields();
  reader.end();
  return results;
}
