import { assertImplementedVersion, type ApiSpec } from './api-spec';
import { WireReader } from './wire-reader';
import { WireWriter } from './wire-writer';

/**
 * DescribeQuorum (key 55), v1-v2: the KRaft metadata quorum (leader, epoch, high watermark and
 * every voter's and observer's log end offset and fetch times). Flexible in every version. A
 * broker forwards it to the active controller. v1 (KIP-836) adds the fetch timestamps; v2
 * (KIP-853) adds error messages, directory ids and voter endpoints.
 */
export const DESCRIBE_QUORUM_API: ApiSpec = {
  key: 55,
  name: 'DescribeQuorum',
  minVersion: 1,
  maxVersion: 2,
  firstFlexibleVersion: 0,
};

/** The only partition DescribeQuorum describes: the cluster metadata log. */
export const METADATA_LOG_TOPIC = '__cluster_metadata';

/** One voter or observer of the quorum, as the leader sees it. */
export interface QuorumReplica {
  /** Node id. */
  replicaId: number;
  /** The replica's metadata log directory id (v2+); undefined if unknown or before v2. */
  replicaDirectoryId: string | undefined;
  /** Its log end offset, -1 if unknown. */
  logEndOffset: number;
  /** Leader wall-clock ms of its last fetch; -1 for the leader itself or if unknown. */
  lastFetchTimestamp: number;
  /** Leader wall-clock ms when it was last caught up; -1 if unknown. */
  lastCaughtUpTimestamp: number;
}

/** The state of one quorum partition. */
export interface QuorumPartition {
  /** Topic name (`__cluster_metadata`). */
  topic: string;
  /** Partition index (0). */
  partition: number;
  /** 0, or e.g. 6 NOT_LEADER_OR_FOLLOWER when the answering controller is not the leader. */
  errorCode: number;
  /** The broker's explanation of the error (v2+), or null. */
  errorMessage: string | null;
  /** Node id of the quorum leader (the active controller), -1 if unknown. */
  leaderId: number;
  /** Current leader epoch. */
  leaderEpoch: number;
  /** High watermark of the metadata log. */
  highWatermark: number;
  /** The voters (controllers that vote). */
  voters: QuorumReplica[];
  /** The observers (brokers, and controllers that are not voters). */
  observers: QuorumReplica[];
}

/** A listener endpoint of a voter (v2+). */
export interface QuorumListener {
  /** Listener name, e.g. `CONTROLLER`. */
  name: string;
  /** Host. */
  host: string;
  /** Port. */
  port: number;
}

/** Endpoints of one voter (v2+). */
export interface QuorumNode {
  /** Voter node id. */
  nodeId: number;
  /** Its listeners. */
  listeners: QuorumListener[];
}

/** A decoded DescribeQuorum answer. */
export interface DescribeQuorumResponse {
  /** Top-level error, e.g. 31 CLUSTER_AUTHORIZATION_FAILED. */
  errorCode: number;
  /** The broker's explanation of the top-level error (v2+), or null. */
  errorMessage: string | null;
  /** Every partition in the answer (normally just `__cluster_metadata`-0). */
  partitions: QuorumPartition[];
  /** Voter endpoints (v2+; may be empty, e.g. with a static quorum); [] before v2. */
  nodes: QuorumNode[];
}

/** Encodes the DescribeQuorum request body for `__cluster_metadata` partition 0. */
export function encodeDescribeQuorumRequest(version: number): Buffer {
  assertImplementedVersion(DESCRIBE_QUORUM_API, version);
  return new WireWriter()
    .compactArrayLength(1)
    .compactString(METADATA_LOG_TOPIC)
    .compactArrayLength(1)
    .int32(0)
    .emptyTaggedFields() // partition
    .emptyTaggedFields() // topic
    .emptyTaggedFields()
    .toBuffer();
}

/** Decodes a DescribeQuorum response body. */
export function decodeDescribeQuorumResponse(
  body: Buffer,
  version: number,
): DescribeQuorumResponse {
  assertImplementedVersion(DESCRIBE_QUORUM_API, version);
  const reader = new WireReader(body, `DescribeQuorum v${version} response`);
  const errorCode = reader.int16();
  const errorMessage = version >= 2 ? reader.compactNullableString() : null;
  const partitions: QuorumPartition[] = [];
  const topicCount = reader.compactArrayCount(3);
  for (let t = 0; t < topicCount; t++) {
    const topic = reader.compactString();
    const count = reader.compactArrayCount(25);
    for (let p = 0; p < count; p++) partitions.push(readPartition(reader, version, topic));
    reader.skipTaggedFields();
  }
  const nodes = version >= 2 ? readNodes(reader) : [];
  reader.skipTaggedFields();
  reader.end();
  return { errorCode, errorMessage, partitions, nodes };
}

function readPartition(reader: WireReader, version: number, topic: string): QuorumPartition {
  const partition = reader.int32();
  const errorCode = reader.int16();
  const errorMessage = version >= 2 ? reader.compactNullableString() : null;
  const leaderId = reader.int32();
  const leaderEpoch = reader.int32();
  const highWatermark = reader.int64();
  const voters = readReplicas(reader, version);
  const observers = readReplicas(reader, version);
  reader.skipTaggedFields();
  return {
    topic,
    partition,
    errorCode,
    errorMessage,
    leaderId,
    leaderEpoch,
    highWatermark,
    voters,
    observers,
  };
}

function readReplicas(reader: WireReader, version: number): QuorumReplica[] {
  const count = reader.compactArrayCount(29);
  const replicas = new Array<QuorumReplica>(count);
  for (let i = 0; i < count; i++) {
    const replicaId = reader.int32();
    const replicaDirectoryId = version >= 2 ? reader.uuid() : undefined;
    const logEndOffset = reader.int64();
    const lastFetchTimestamp = reader.int64();
    const lastCaughtUpTimestamp = reader.int64();
    reader.skipTaggedFields();
    replicas[i] = {
      replicaId,
      replicaDirectoryId,
      logEndOffset,
      lastFetchTimestamp,
      lastCaughtUpTimestamp,
    };
  }
  return replicas;
}

function readNodes(reader: WireReader): QuorumNode[] {
  const count = reader.compactArrayCount(6);
  const nodes = new Array<QuorumNode>(count);
  for (let i = 0; i < count; i++) {
    const nodeId = reader.int32();
    const listenerCount = reader.compactArrayCount(5);
    const listeners = new Array<QuorumListener>(listenerCount);
    for (let l = 0; l < listenerCount; l++) {
      const name = reader.compactString();
      const host = reader.compactString();
      const port = reader.uint16();
      reader.skipTaggedFields();
      listeners[l] = { name, host, port };
    }
    reader.skipTaggedFields();
    nodes[i] = { nodeId, listeners };
  }
  return nodes;
}
