import { assertImplementedVersion, type ApiSpec } from './api-spec';
import { indexByPartition } from './partition-rounds';
import { WireReader } from './wire-reader';
import { WireWriter } from './wire-writer';

/**
 * Fetch (key 1), v12 only: the first flexible version and the last that names topics (v13 asks
 * by topic id). The collector fetches a few hundred bytes at a committed offset to read the
 * header of the record batch that holds it, never to consume: no fetch session, no waiting.
 * Kafka 3.x and 4.x brokers accept v12.
 */
export const FETCH_API: ApiSpec = {
  key: 1,
  name: 'Fetch',
  minVersion: 12,
  maxVersion: 12,
  firstFlexibleVersion: 12,
};

/** One partition to read from. */
export interface FetchPartition {
  /** Partition index. */
  readonly partition: number;
  /** First offset wanted; the answer starts with the batch that holds it. */
  readonly offset: number;
}

/** The partitions of one topic to read from. */
export interface FetchTopic {
  /** Topic name. */
  readonly topic: string;
  /** Each partition at most once per request (brokers reject duplicates). */
  readonly partitions: readonly FetchPartition[];
}

/** A Fetch request, answered at once with what the log has. */
export interface FetchRequest {
  /** Most bytes of the whole answer (KIP-74: the first batch may exceed it). */
  readonly maxBytes: number;
  /** Most bytes per partition; a batch cut at this limit still carries its whole header. */
  readonly partitionMaxBytes: number;
  /** 0 READ_UNCOMMITTED (up to the high watermark), 1 READ_COMMITTED (up to the LSO). */
  readonly isolationLevel: 0 | 1;
  /** Topics and partitions to read. */
  readonly topics: readonly FetchTopic[];
}

/** One partition's answer. */
export interface FetchedPartition {
  /** Topic name. */
  topic: string;
  /** Partition index. */
  partition: number;
  /** The offset this partition was read at, as requested; NaN if it was not asked for. */
  fetchOffset: number;
  /** 0, or e.g. 1 OFFSET_OUT_OF_RANGE, 6 NOT_LEADER_OR_FOLLOWER, 3 UNKNOWN_TOPIC_OR_PARTITION. */
  errorCode: number;
  /** The partition's high watermark; -1 on error. */
  highWatermark: number;
  /** The partition's log start offset; -1 if unknown. */
  logStartOffset: number;
  /** Raw record batches (a view into the response, not copied); the last one may be cut off. */
  records: Buffer;
}

/** Encodes a Fetch v12 request body. */
export function encodeFetchRequest(request: FetchRequest, version: number): Buffer {
  assertImplementedVersion(FETCH_API, version);
  const writer = new WireWriter()
    .int32(-1) // ReplicaId: a consumer, not a follower
    .int32(0) // MaxWaitMs: answer with what is there
    .int32(0) // MinBytes
    .int32(request.maxBytes)
    .int8(request.isolationLevel)
    .int32(0) // SessionId: no fetch session
    .int32(-1) // SessionEpoch: -1 = a full fetch that opens no session
    .compactArrayLength(request.topics.length);
  for (const { topic, partitions } of request.topics) {
    writer.compactString(topic).compactArrayLength(partitions.length);
    for (const { partition, offset } of partitions) {
      writer
        .int32(partition)
        .int32(-1) // CurrentLeaderEpoch: -1 skips leader-epoch fencing
        .int64(offset)
        .int32(-1) // LastFetchedEpoch: none (only a follower's truncation check uses it)
        .int64(-1) // LogStartOffset: only followers send theirs
        .int32(request.partitionMaxBytes)
        .emptyTaggedFields();
    }
    writer.emptyTaggedFields();
  }
  return writer
    .compactArrayLength(0) // ForgottenTopicsData
    .compactString('') // RackId
    .emptyTaggedFields()
    .toBuffer();
}

/** A decoded Fetch answer. */
export interface FetchResponse {
  /** Top-level error, e.g. a fetch-session error (partitions are then empty). */
  errorCode: number;
  /** One entry per partition asked for. */
  partitions: FetchedPartition[];
}

/**
 * Decodes a Fetch v12 response body into one entry per partition; the request tells at which
 * offset each partition was read.
 */
export function decodeFetchResponse(
  body: Buffer,
  version: number,
  request: FetchRequest,
): FetchResponse {
  assertImplementedVersion(FETCH_API, version);
  const asked = indexByPartition(request.topics, (p) => p.offset);
  const reader = new WireReader(body, `Fetch v${version} response`);
  reader.int32(); // ThrottleTimeMs
  const errorCode = reader.int16();
  reader.int32(); // SessionId
  const results: FetchedPartition[] = [];
  const topicCount = reader.compactArrayCount(3);
  for (let t = 0; t < topicCount; t++) {
    const topic = reader.compactString();
    const byPartition = asked.get(topic);
    const count = reader.compactArrayCount(35);
    for (let p = 0; p < count; p++) {
      const partition = reader.int32();
      const partitionError = reader.int16();
      const highWatermark = reader.int64();
      reader.int64(); // LastStableOffset
      const logStartOffset = reader.int64();
      const aborted = reader.compactArrayCount(17);
      for (let a = 0; a < aborted; a++) {
        reader.skip(16); // ProducerId, FirstOffset
        reader.skipTaggedFields();
      }
      reader.int32(); // PreferredReadReplica
      const records = reader.compactBytes() ?? EMPTY;
      reader.skipTaggedFields(); // DivergingEpoch, CurrentLeader, SnapshotId
      results.push({
        topic,
        partition,
        fetchOffset: byPartition?.get(partition) ?? Number.NaN,
        errorCode: partitionError,
        highWatermark,
        logStartOffset,
        records,
      });
    }
    reader.skipTaggedFields();
  }
  reader.skipTaggedFields();
  reader.end();
  return { errorCode, partitions: results };
}

const EMPTY = Buffer.alloc(0);
