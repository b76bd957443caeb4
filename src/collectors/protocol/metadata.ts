import { assertImplementedVersion, type ApiSpec } from './api-spec';
import { WireReader } from './wire-reader';
import { WireWriter } from './wire-writer';

/**
 * Metadata (key 3), v12-v13: live brokers, the cluster id and every topic's partitions.
 * v12 is the highest on Kafka 3.9 and carries topic ids, leader epochs and offline replicas;
 * v13 (Kafka 4.x) only adds a top-level error code. Unlike KafkaJS's admin, a partition without
 * a leader (error 5, leader -1) is an ordinary entry here, not a reason to fail.
 */
export const METADATA_API: ApiSpec = {
  key: 3,
  name: 'Metadata',
  minVersion: 12,
  maxVersion: 13,
  firstFlexibleVersion: 9,
};

/** What to ask Metadata for. */
export interface MetadataRequest {
  /** Topic names, or null for every topic (the request never creates topics). */
  readonly topics: readonly string[] | null;
}

/** A live (registered, unfenced) broker. */
export interface BrokerMetadata {
  /** Broker id. */
  nodeId: number;
  /** Advertised host of the listener the request came in on. */
  host: string;
  /** Advertised port of that listener. */
  port: number;
  /** `broker.rack`, or null. */
  rack: string | null;
}

/** One partition as the answering broker's metadata cache sees it. */
export interface PartitionMetadata {
  /** Partition index. */
  partition: number;
  /** 0, or e.g. 5 LEADER_NOT_AVAILABLE (leader -1) or 72 LISTENER_NOT_FOUND. */
  errorCode: number;
  /** Leader broker id; -1 when the partition has no reachable leader (offline). */
  leader: number;
  /** Leader epoch, -1 if unknown. */
  leaderEpoch: number;
  /** Every assigned replica, live or not. */
  replicas: number[];
  /** In-sync replicas; fewer than `replicas` means under-replicated. */
  isr: number[];
  /** Replicas whose broker is down, fenced or lacks the listener, or whose log dir is offline. */
  offlineReplicas: number[];
}

/** One topic of a Metadata answer. */
export interface TopicMetadata {
  /** Topic name ('' only for unknown topic ids, which we never ask for). */
  name: string;
  /** Topic id in Kafka's base64 text form; undefined when the broker sent the zero UUID. */
  topicId: string | undefined;
  /** 0, or a topic error, e.g. 3 UNKNOWN_TOPIC_OR_PARTITION, 29 TOPIC_AUTHORIZATION_FAILED. */
  errorCode: number;
  /** Whether the topic is internal (`__consumer_offsets`, `__transaction_state`). */
  isInternal: boolean;
  /** The topic's partitions (empty when the topic has an error). */
  partitions: PartitionMetadata[];
}

/** A decoded Metadata answer. */
export interface MetadataResponse {
  /** Top-level error (v13+); always 0 before v13. */
  errorCode: number;
  /** The cluster id, or null if the broker did not send one. */
  clusterId: string | null;
  /** In KRaft mode a random live broker, not the active controller (see DescribeQuorum). */
  controllerId: number;
  /** Live brokers only: a broker that is down or fenced is absent. */
  brokers: BrokerMetadata[];
  /** Topics, in the broker's order. */
  topics: TopicMetadata[];
}

/** Encodes a Metadata request body (v12-v13 share one layout). */
export function encodeMetadataRequest(request: MetadataRequest, version: number): Buffer {
  assertImplementedVersion(METADATA_API, version);
  const writer = new WireWriter();
  const topics = request.topics;
  writer.compactArrayLength(topics === null ? null : topics.length);
  for (const name of topics ?? []) {
    writer.zeroUuid().compactNullableString(name).emptyTaggedFields();
  }
  return writer
    .bool(false) // AllowAutoTopicCreation: a metadata probe must never create topics
    .bool(false) // IncludeTopicAuthorizedOperations
    .emptyTaggedFields()
    .toBuffer();
}

/** Decodes a Metadata response body (after the response header). */
export function decodeMetadataResponse(body: Buffer, version: number): MetadataResponse {
  assertImplementedVersion(METADATA_API, version);
  const reader = new WireReader(body, `Metadata v${version} response`);
  reader.int32(); // ThrottleTimeMs
  const brokerCount = reader.compactArrayCount(10);
  const brokers = new Array<BrokerMetadata>(brokerCount);
  for (let i = 0; i < brokerCount; i++) {
    const nodeId = reader.int32();
    const host = reader.compactString();
    const port = reader.int32();
    const rack = reader.compactNullableString();
    reader.skipTaggedFields();
    brokers[i] = { nodeId, host, port, rack };
  }
  const clusterId = reader.compactNullableString();
  const controllerId = reader.int32();
  const topicCount = reader.compactArrayCount(26);
  const topics = new Array<TopicMetadata>(topicCount);
  for (let i = 0; i < topicCount; i++) topics[i] = readTopic(reader);
  const errorCode = version >= 13 ? reader.int16() : 0;
  reader.skipTaggedFields();
  reader.end();
  return { errorCode, clusterId, controllerId, brokers, topics };
}

function readTopic(reader: WireReader): TopicMetadata {
  const errorCode = reader.int16();
  const name = reader.compactString();
  const topicId = reader.uuid();
  const isInternal = reader.bool();
  const count = reader.compactArrayCount(18);
  const partitions = new Array<PartitionMetadata>(count);
  for (let i = 0; i < count; i++) {
    const partitionError = reader.int16();
    const partition = reader.int32();
    const leader = reader.int32();
    const leaderEpoch = reader.int32();
    const replicas = reader.compactInt32Array();
    const isr = reader.compactInt32Array();
    const offlineReplicas = reader.compactInt32Array();
    reader.skipTaggedFields();
    partitions[i] = {
      partition,
      errorCode: partitionError,
      leader,
      leaderEpoch,
      replicas,
      isr,
      offlineReplicas,
    };
  }
  reader.int32(); // TopicAuthorizedOperations (not requested)
  reader.skipTaggedFields();
  return { name, topicId, errorCode, isInternal, partitions };
}
