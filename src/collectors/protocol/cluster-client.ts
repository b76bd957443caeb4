import type { KafkaConfig, logLevel } from 'kafkajs';
import { parseBrokerAddress, type BrokerAddress } from './broker-address';
import type { BrokerConnection, ConnectionSettings } from './broker-connection';
import { BrokerDirectory, type KnownBroker } from './broker-directory';
import {
  DESCRIBE_CONFIGS_API,
  TOPIC_RESOURCE_TYPE,
  decodeDescribeConfigsResponse,
  encodeDescribeConfigsRequest,
} from './describe-configs';
import {
  DESCRIBE_GROUPS_API,
  decodeDescribeGroupsResponse,
  encodeDescribeGroupsRequest,
  type DescribedGroup,
} from './describe-groups';
import {
  DESCRIBE_LOG_DIRS_API,
  decodeDescribeLogDirsResponse,
  encodeDescribeLogDirsRequest,
  type LogDir,
} from './describe-log-dirs';
import {
  DESCRIBE_QUORUM_API,
  METADATA_LOG_TOPIC,
  decodeDescribeQuorumResponse,
  encodeDescribeQuorumRequest,
  type QuorumNode,
  type QuorumPartition,
} from './describe-quorum';
import {
  BrokerErrorResponse,
  BrokerRequestError,
  NoBrokerAvailableError,
  type RequestFailureReason,
} from './errors';
import {
  FIND_COORDINATOR_API,
  GROUP_KEY_TYPE,
  decodeFindCoordinatorResponse,
  encodeFindCoordinatorRequest,
  type Coordinator,
} from './find-coordinator';
import {
  FETCH_API,
  decodeFetchResponse,
  encodeFetchRequest,
  type FetchedPartition,
  type FetchPartition,
  type FetchRequest,
} from './fetch';
import { kafkaJsInternals } from './kafkajs-internals';
import type { ApiCall } from './kafkajs-request';
import {
  LIST_GROUPS_API,
  decodeListGroupsResponse,
  encodeListGroupsRequest,
  type ListGroupsResponse,
} from './list-groups';
import {
  LIST_OFFSETS_API,
  decodeListOffsetsResponse,
  encodeListOffsetsRequest,
  type ListOffsetsRequest,
  type PartitionOffset,
  type TopicPartitionTimestamps,
} from './list-offsets';
import { splitIntoRounds } from './partition-rounds';
import { DEFAULT_MAX_REPLY_BYTES, guardReplies } from './reply-guard';
import { withGuardedTokenProvider } from './token-provider-guard';
import {
  METADATA_API,
  decodeMetadataResponse,
  encodeMetadataRequest,
  type MetadataResponse,
} from './metadata';
import {
  OFFSET_FETCH_API,
  decodeOffsetFetchResponse,
  encodeOffsetFetchRequest,
  type GroupOffsets,
} from './offset-fetch';
import type { ApiSpec } from './api-spec';

/** How to reach the cluster; the connection options mean what they mean for KafkaJS. */
export interface ClusterClientOptions {
  /** Seed brokers, `host:port`; Metadata answers name the rest. */
  readonly brokers: readonly string[];
  /** Client id in request headers (default `kafka-otel`). */
  readonly clientId?: string;
  /** TLS: `true` or Node `tls.connect` options. */
  readonly ssl?: KafkaConfig['ssl'];
  /** SASL mechanism and credentials, as for KafkaJS. */
  readonly sasl?: KafkaConfig['sasl'];
  /** TCP (and TLS) connect timeout in ms (default 3000). */
  readonly connectionTimeout?: number;
  /** SASL authentication timeout in ms (default 10000). */
  readonly authenticationTimeout?: number;
  /** Time to wait for each answer in ms (default 10000). */
  readonly requestTimeout?: number;
  /** KafkaJS log level of the connections (default NOTHING: failures are thrown, not logged). */
  readonly logLevel?: logLevel;
  /** KafkaJS log creator for the connections. */
  readonly logCreator?: KafkaConfig['logCreator'];
  /** KafkaJS socket factory (default: KafkaJS's TCP/TLS factory). */
  readonly socketFactory?: KafkaConfig['socketFactory'];
  /**
   * Largest reply frame accepted, in bytes (default 100 MiB): a peer announcing more is not
   * a broker answering our requests, and its connection is closed before the bytes are held.
   */
  readonly maxReplyBytes?: number;
  /**
   * False: the broker sockets do not keep the Node process alive (they are unref'd), for a
   * collector running inside an application that must still exit when its own work is done.
   * Default true.
   */
  readonly keepProcessAlive?: boolean;
}

/**
 * The KRaft metadata quorum: `__cluster_metadata`-0 per its leader (`errorCode` 0: an error
 * throws), and voter endpoints.
 */
export interface QuorumDescription extends QuorumPartition {
  /** Voter endpoints (DescribeQuorum v2+; may be empty). */
  nodes: QuorumNode[];
}

/** Configuration values of one topic. */
export interface TopicConfigs {
  /** 0, or e.g. 3 UNKNOWN_TOPIC_OR_PARTITION, 29 TOPIC_AUTHORIZATION_FAILED (values then empty). */
  errorCode: number;
  /** The broker's explanation of the error, or null. */
  errorMessage: string | null;
  /** Effective value by config name; null for sensitive values. */
  values: Map<string, string | null>;
}

const DEFAULT_CLIENT_ID = 'kafka-otel';
const LOG_NOTHING: logLevel = 0;
/** Failures worth trying another broker for; other failures would repeat on every broker. */
const FAILOVER_REASONS: ReadonlySet<RequestFailureReason> = new Set([
  'connection_refused',
  'tls',
  'authentication',
  'connection',
  'timeout',
  'malformed_reply',
  'unsupported_version',
]);

/**
 * The Kafka requests the cluster collectors need, encoded and decoded by this package over
 * KafkaJS connections (one per broker, reused, reconnected on failure). Tolerant by contract: a
 * partition- or group-level error is a value (`errorCode`) in the result, never an exception;
 * only a request that fails as a whole throws, as a `BrokerRequestError` naming API and broker
 * (so does DescribeQuorum's one partition, which is its whole answer).
 *
 * Batch-oriented: one request per broker (or per coordinator, or for the whole cluster) covers
 * every topic and group, so the request count of a snapshot grows with brokers, not with
 * topics x groups. Requests to different brokers may run in parallel; the caller bounds that.
 * Call `metadata()` first in each snapshot: it is what maps broker ids to addresses.
 */
export class ClusterClient {
  private readonly seeds: readonly BrokerAddress[];
  private directory: BrokerDirectory | undefined;

  /** Validates the seed list; nothing connects (and KafkaJS is not loaded) until first use. */
  constructor(private readonly options: ClusterClientOptions) {
    if (options.brokers.length === 0) {
      throw new TypeError('ClusterClient needs at least one broker');
    }
    this.seeds = options.brokers.map(parseBrokerAddress);
  }

  /** Brokers by id, from the last Metadata answer (plus coordinators learned since). */
  get knownBrokers(): ReadonlyMap<number, KnownBroker> {
    return this.directory?.knownBrokers ?? new Map<number, KnownBroker>();
  }

  /** Closes every connection; the client may connect again later. */
  async disconnect(): Promise<void> {
    await this.directory?.disconnectAll();
  }

  /**
   * Metadata of all topics (or the named ones) from any live broker, failing over to the next
   * known or seed broker. Also refreshes the broker id -> address map the other requests use.
   */
  async metadata(signal?: AbortSignal): Promise<MetadataResponse> {
    const { value, connection } = await this.anyBroker(
      {
        spec: METADATA_API,
        encode: (version) => encodeMetadataRequest({ topics: null }, version),
        decode: decodeMetadataResponse,
      },
      signal,
    );
    if (value.errorCode !== 0) throw errorResponse(METADATA_API, connection, value.errorCode);
    this.brokers().replaceBrokers(value.brokers);
    return value;
  }

  /**
   * Offsets of partitions led by broker `nodeId`, one flat entry per lookup. A partition may be
   * looked up several times (e.g. earliest and latest): that takes one request per repetition.
   * "Latest" is the high watermark (read-uncommitted), what consumers' lag is measured against.
   */
  async listOffsets(
    nodeId: number,
    topics: readonly TopicPartitionTimestamps[],
    signal?: AbortSignal,
  ): Promise<PartitionOffset[]> {
    const connection = this.brokers().forNode(nodeId, apiOf(LIST_OFFSETS_API));
    const answers = await Promise.all(
      splitIntoRounds(topics).map((round) => {
        const request: ListOffsetsRequest = { isolationLevel: 0, topics: round };
        return connection.send(
          {
            spec: LIST_OFFSETS_API,
            encode: (version) => encodeListOffsetsRequest(request, version),
            decode: (body, version) => decodeListOffsetsResponse(body, version, request),
          },
          signal,
        );
      }),
    );
    return answers.length === 1 ? answers[0]! : answers.flat();
  }

  /**
   * The first bytes of partitions led by broker `nodeId`, each read at its offset, to look at
   * record batch headers (not to consume: no fetch session, no wait). A partition read at
   * several offsets takes one request per repetition. At most `partitionMaxBytes` per partition
   * (a cut batch keeps its header) and `maxBytes` per request; partitions past `maxBytes` come
   * back with no records. Partition errors (1 OFFSET_OUT_OF_RANGE, 6 NOT_LEADER_OR_FOLLOWER)
   * are in the entries; a top-level error throws `BrokerErrorResponse`.
   */
  async fetchRecords(
    nodeId: number,
    topics: readonly { topic: string; partitions: readonly FetchPartition[] }[],
    limits: { maxBytes: number; partitionMaxBytes: number },
    signal?: AbortSignal,
  ): Promise<FetchedPartition[]> {
    const connection = this.brokers().forNode(nodeId, apiOf(FETCH_API));
    const answers = await Promise.all(
      splitIntoRounds(topics).map(async (round) => {
        const request: FetchRequest = { ...limits, isolationLevel: 0, topics: round };
        const answer = await connection.send(
          {
            spec: FETCH_API,
            encode: (version) => encodeFetchRequest(request, version),
            decode: (body, version) => decodeFetchResponse(body, version, request),
          },
          signal,
        );
        if (answer.errorCode !== 0) throw errorResponse(FETCH_API, connection, answer.errorCode);
        return answer.partitions;
      }),
    );
    return answers.length === 1 ? answers[0]! : answers.flat();
  }

  /**
   * Coordinators of many groups in one FindCoordinator request to any broker; per-group errors
   * (e.g. 15 COORDINATOR_NOT_AVAILABLE) are in the entries.
   */
  async findCoordinators(
    groupIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, Coordinator>> {
    const keys = [...new Set(groupIds)];
    if (keys.length === 0) return new Map();
    const { value } = await this.anyBroker(
      {
        spec: FIND_COORDINATOR_API,
        encode: (version) =>
          encodeFindCoordinatorRequest({ keyType: GROUP_KEY_TYPE, keys }, version),
        decode: decodeFindCoordinatorResponse,
      },
      signal,
    );
    const directory = this.brokers();
    for (const { nodeId, host, port, errorCode } of value) {
      if (errorCode === 0 && nodeId >= 0) directory.addBroker({ nodeId, host, port });
    }
    return new Map(value.map((coordinator) => [coordinator.key, coordinator]));
  }

  /**
   * The groups broker `nodeId` coordinates (ask every broker for the whole cluster). A top-level
   * 14 COORDINATOR_LOAD_IN_PROGRESS comes back in `errorCode`: the list may then be partial.
   */
  async listGroups(nodeId: number, signal?: AbortSignal): Promise<ListGroupsResponse> {
    return this.brokers()
      .forNode(nodeId, apiOf(LIST_GROUPS_API))
      .send(
        {
          spec: LIST_GROUPS_API,
          encode: (version) =>
            encodeListGroupsRequest({ statesFilter: [], typesFilter: [] }, version),
          decode: decodeListGroupsResponse,
        },
        signal,
      );
  }

  /**
   * Describes groups coordinated by broker `nodeId`, members and assignments included. The
   * broker answers in no particular order: match entries by `groupId`.
   */
  async describeGroups(
    nodeId: number,
    groupIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<DescribedGroup[]> {
    if (groupIds.length === 0) return [];
    return this.brokers()
      .forNode(nodeId, apiOf(DESCRIBE_GROUPS_API))
      .send(
        {
          spec: DESCRIBE_GROUPS_API,
          encode: (version) => encodeDescribeGroupsRequest({ groupIds }, version),
          decode: decodeDescribeGroupsResponse,
        },
        signal,
      );
  }

  /**
   * Committed offsets (all topics) of groups coordinated by broker `nodeId`, in one request;
   * match entries by `groupId`, as for `describeGroups`.
   */
  async offsetFetch(
    nodeId: number,
    groupIds: readonly string[],
    signal?: AbortSignal,
  ): Promise<GroupOffsets[]> {
    if (groupIds.length === 0) return [];
    // requireStable false: a pending transactional commit must not stall the whole snapshot.
    const request = { groupIds, requireStable: false };
    return this.brokers()
      .forNode(nodeId, apiOf(OFFSET_FETCH_API))
      .send(
        {
          spec: OFFSET_FETCH_API,
          encode: (version) => encodeOffsetFetchRequest(request, version),
          decode: decodeOffsetFetchResponse,
        },
        signal,
      );
  }

  /**
   * Log directories of broker `nodeId` with every replica's size. Throws `BrokerErrorResponse`
   * for a top-level error (e.g. 31 CLUSTER_AUTHORIZATION_FAILED); an offline directory is an
   * entry with its own error code.
   */
  async describeLogDirs(nodeId: number, signal?: AbortSignal): Promise<LogDir[]> {
    const connection = this.brokers().forNode(nodeId, apiOf(DESCRIBE_LOG_DIRS_API));
    const answer = await connection.send(
      {
        spec: DESCRIBE_LOG_DIRS_API,
        encode: encodeDescribeLogDirsRequest,
        decode: decodeDescribeLogDirsResponse,
      },
      signal,
    );
    if (answer.errorCode !== 0) {
      throw errorResponse(DESCRIBE_LOG_DIRS_API, connection, answer.errorCode);
    }
    return answer.logDirs;
  }

  /**
   * The KRaft metadata quorum, asked of any broker (brokers forward it to the active
   * controller). A top-level error throws `BrokerErrorResponse`, and so does an error of the
   * `__cluster_metadata` partition (6 NOT_LEADER_OR_FOLLOWER when the answering controller is not
   * the leader): that partition is the whole answer, and its leader and epoch are then not the
   * quorum's.
   */
  async describeQuorum(signal?: AbortSignal): Promise<QuorumDescription> {
    const { value, connection } = await this.anyBroker(
      {
        spec: DESCRIBE_QUORUM_API,
        encode: encodeDescribeQuorumRequest,
        decode: decodeDescribeQuorumResponse,
      },
      signal,
    );
    if (value.errorCode !== 0) {
      throw errorResponse(DESCRIBE_QUORUM_API, connection, value.errorCode, value.errorMessage);
    }
    const partition = value.partitions.find(
      (p) => p.topic === METADATA_LOG_TOPIC && p.partition === 0,
    );
    if (partition === undefined) {
      throw new BrokerRequestError(
        { ...apiOf(DESCRIBE_QUORUM_API), nodeId: connection.nodeId, broker: connection.address },
        'decode',
        `the answer has no ${METADATA_LOG_TOPIC}-0 partition`,
      );
    }
    if (partition.errorCode !== 0) {
      throw errorResponse(
        DESCRIBE_QUORUM_API,
        connection,
        partition.errorCode,
        partition.errorMessage,
      );
    }
    return { ...partition, nodes: value.nodes };
  }

  /**
   * Effective values of `configNames` (null: all) for many topics in one DescribeConfigs request
   * to any broker; per-topic errors are in the entries.
   */
  async describeTopicConfigs(
    topics: readonly string[],
    configNames: readonly string[] | null,
    signal?: AbortSignal,
  ): Promise<Map<string, TopicConfigs>> {
    const names = [...new Set(topics)];
    if (names.length === 0) return new Map();
    const resources = names.map((name) => ({ type: TOPIC_RESOURCE_TYPE, name, configNames }));
    const { value } = await this.anyBroker(
      {
        spec: DESCRIBE_CONFIGS_API,
        encode: (version) => encodeDescribeConfigsRequest({ resources }, version),
        decode: decodeDescribeConfigsResponse,
      },
      signal,
    );
    const result = new Map<string, TopicConfigs>();
    for (const { resourceName, errorCode, errorMessage, configs } of value) {
      const values = new Map(configs.map((entry) => [entry.name, entry.value]));
      result.set(resourceName, { errorCode, errorMessage, values });
    }
    return result;
  }

  /** Sends a request any broker can answer: the last one that answered, then the others. */
  private async anyBroker<T>(
    call: ApiCall<T>,
    signal: AbortSignal | undefined,
  ): Promise<{ value: T; connection: BrokerConnection }> {
    const directory = this.brokers();
    const errors: BrokerRequestError[] = [];
    for (const connection of directory.anyBrokerCandidates()) {
      try {
        const value = await connection.send(call, signal);
        directory.answeredBy(connection);
        return { value, connection };
      } catch (error) {
        if (!(error instanceof BrokerRequestError) || !FAILOVER_REASONS.has(error.reason)) {
          throw error;
        }
        errors.push(error);
      }
    }
    throw new NoBrokerAvailableError(apiOf(call.spec), errors);
  }

  /** The broker directory, created (and KafkaJS loaded) on first use. */
  private brokers(): BrokerDirectory {
    this.directory ??= new BrokerDirectory(this.seeds, this.connectionSettings());
    return this.directory;
  }

  private connectionSettings(): ConnectionSettings {
    const { options } = this;
    const internals = kafkaJsInternals();
    return {
      internals,
      logger: internals.createLogger(options.logLevel ?? LOG_NOTHING, options.logCreator),
      socketFactory: withProcessLifetime(
        guardReplies(
          options.socketFactory ?? internals.defaultSocketFactory(),
          options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES,
        ),
        options.keepProcessAlive !== false,
      ),
      clientId: options.clientId ?? DEFAULT_CLIENT_ID,
      ssl: options.ssl,
      sasl: withGuardedTokenProvider(options.sasl, options.authenticationTimeout ?? 10_000),
      connectionTimeout: options.connectionTimeout ?? 3_000,
      authenticationTimeout: options.authenticationTimeout ?? 10_000,
      requestTimeout: options.requestTimeout ?? 10_000,
    };
  }
}

function apiOf(spec: ApiSpec): { apiName: string; apiKey: number } {
  return { apiName: spec.name, apiKey: spec.key };
}

function errorResponse(
  spec: ApiSpec,
  connection: BrokerConnection,
  errorCode: number,
  errorMessage: string | null = null,
): BrokerErrorResponse {
  const target = { ...apiOf(spec), nodeId: connection.nodeId, broker: connection.address };
  const error = new BrokerErrorResponse(target, errorCode, errorMessage);
  // Not authenticated: reusing the connection would fail the same way, even with a new token.
  if (error.reason === 'authentication') connection.discard();
  return error;
}

/** The socket factory as given, or one whose sockets do not hold the event loop open. */
function withProcessLifetime(
  factory: NonNullable<KafkaConfig['socketFactory']>,
  keepAlive: boolean,
): NonNullable<KafkaConfig['socketFactory']> {
  if (keepAlive) return factory;
  return (args) => {
    const socket = factory(args);
    socket.unref();
    return socket;
  };
}
