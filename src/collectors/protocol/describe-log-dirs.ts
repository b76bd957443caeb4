import { assertImplementedVersion, type ApiSpec } from './api-spec';
import { WireReader } from './wire-reader';
import { WireWriter } from './wire-writer';

/**
 * DescribeLogDirs (key 35), v3-v5: one broker's log directories with the size of every partition
 * replica in them. Each broker describes only its own directories, so send it to every broker.
 * v3 adds the top-level error code, v4 the volume's total and usable bytes, v5 (Kafka 4.x) the
 * cordoned flag.
 */
export const DESCRIBE_LOG_DIRS_API: ApiSpec = {
  key: 35,
  name: 'DescribeLogDirs',
  minVersion: 3,
  maxVersion: 5,
  firstFlexibleVersion: 2,
};

/** One partition replica in a log directory. */
export interface LogDirPartition {
  /** Partition index. */
  partition: number;
  /** Bytes of the replica's segments in this directory. */
  size: number;
  /** How far the log end lags the high watermark (or, for a future replica, the current one). */
  offsetLag: number;
  /** True for a replica being moved here by AlterReplicaLogDirs. */
  isFuture: boolean;
}

/** The replicas of one topic in a log directory. */
export interface LogDirTopic {
  /** Topic name. */
  topic: string;
  /** The topic's partitions in this directory. */
  partitions: LogDirPartition[];
}

/** One log directory of the broker. */
export interface LogDir {
  /** Absolute path of the directory. */
  logDir: string;
  /** 0, or e.g. 56 KAFKA_STORAGE_ERROR for an offline directory. */
  errorCode: number;
  /** Size of the volume in bytes (v4+); -1 if unknown. */
  totalBytes: number;
  /** Usable bytes left on the volume (v4+); -1 if unknown. */
  usableBytes: number;
  /** Whether the directory is cordoned (v5+, Kafka 4.x); undefined before v5. */
  isCordoned: boolean | undefined;
  /** Topics with replicas in this directory. */
  topics: LogDirTopic[];
}

/** A decoded DescribeLogDirs answer. */
export interface DescribeLogDirsResponse {
  /** Top-level error, e.g. 31 CLUSTER_AUTHORIZATION_FAILED (results are then empty). */
  errorCode: number;
  /** One entry per log directory. */
  logDirs: LogDir[];
}

/** Encodes a DescribeLogDirs request body for every topic (`Topics = null`). */
export function encodeDescribeLogDirsRequest(version: number): Buffer {
  assertImplementedVersion(DESCRIBE_LOG_DIRS_API, version);
  return new WireWriter().compactArrayLength(null).emptyTaggedFields().toBuffer();
}

/** Decodes a DescribeLogDirs response body. */
export function decodeDescribeLogDirsResponse(
  body: Buffer,
  version: number,
): DescribeLogDirsResponse {
  assertImplementedVersion(DESCRIBE_LOG_DIRS_API, version);
  const reader = new WireReader(body, `DescribeLogDirs v${version} response`);
  reader.int32(); // ThrottleTimeMs
  const errorCode = reader.int16();
  const count = reader.compactArrayCount(5);
  const logDirs = new Array<LogDir>(count);
  for (let i = 0; i < count; i++) logDirs[i] = readLogDir(reader, version);
  reader.skipTaggedFields();
  reader.end();
  return { errorCode, logDirs };
}

function readLogDir(reader: WireReader, version: number): LogDir {
  const errorCode = reader.int16();
  const logDir = reader.compactString();
  const topicCount = reader.compactArrayCount(3);
  const topics = new Array<LogDirTopic>(topicCount);
  for (let t = 0; t < topicCount; t++) {
    const topic = reader.compactString();
    const partitionCount = reader.compactArrayCount(22);
    const partitions = new Array<LogDirPartition>(partitionCount);
    for (let p = 0; p < partitionCount; p++) {
      const partition = reader.int32();
      const size = reader.int64();
      const offsetLag = reader.int64();
      const isFuture = reader.bool();
      reader.skipTaggedFields();
      partitions[p] = { partition, size, offsetLag, isFuture };
    }
    reader.skipTaggedFields();
    topics[t] = { topic, partitions };
  }
  const totalBytes = version >= 4 ? reader.int64() : -1;
  const usableBytes = version >= 4 ? reader.int64() : -1;
  const isCordoned = version >= 5 ? reader.bool() : undefined;
  reader.skipTaggedFields();
  return { logDir, errorCode, totalBytes, usableBytes, isCordoned, topics };
}
