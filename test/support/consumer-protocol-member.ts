/**
 * A member of a KIP-848 consumer group: a group of the `consumer` rebalance protocol (Kafka 4.x),
 * which KafkaJS cannot join (it speaks the classic protocol only). The member joins and leaves
 * with ConsumerGroupHeartbeat requests, sent through a KafkaJS broker connection of its own with
 * this package's wire writer and reader. It subscribes, takes the assignment the broker's
 * assignor gives it and consumes nothing: the group has one member, Stable, until `leave()` (or
 * until the broker's session timeout, 45 s by default, expires it).
 */
import { randomUUID } from 'node:crypto';
import type { ApiSpec } from '../../src/collectors/protocol/api-spec';
import { negotiateVersion } from '../../src/collectors/protocol/api-spec';
import { parseBrokerAddress } from '../../src/collectors/protocol/broker-address';
import {
  kafkaJsInternals,
  type KafkaJsBroker,
} from '../../src/collectors/protocol/kafkajs-internals';
import { toKafkaJsRequest } from '../../src/collectors/protocol/kafkajs-request';
import { WireReader } from '../../src/collectors/protocol/wire-reader';
import { WireWriter } from '../../src/collectors/protocol/wire-writer';

/**
 * ConsumerGroupHeartbeat (key 68) v1 (Kafka 4.0+, KIP-1082): the member chooses its own id.
 * Flexible from v0.
 */
const CONSUMER_GROUP_HEARTBEAT_API: ApiSpec = {
  key: 68,
  name: 'ConsumerGroupHeartbeat',
  minVersion: 1,
  maxVersion: 1,
  firstFlexibleVersion: 0,
};

/** Member epoch 0 joins the group; -1 leaves it. */
const JOIN_EPOCH = 0;
const LEAVE_EPOCH = -1;

/** What a heartbeat answer says, as far as joining and leaving need. */
interface HeartbeatAnswer {
  errorCode: number;
  errorMessage: string | null;
  memberEpoch: number;
}

export class ConsumerProtocolMember {
  private constructor(
    private readonly broker: KafkaJsBroker,
    readonly groupId: string,
    readonly memberId: string,
    private readonly version: number,
  ) {}

  /**
   * Whether the broker at `address` (plaintext) offers the consumer rebalance protocol: lists
   * ConsumerGroupHeartbeat v1 in its ApiVersions (Kafka 4.0+; not Kafka 3.9 by default).
   */
  static async offeredBy(address: string): Promise<boolean> {
    const broker = connectionTo(address);
    try {
      await broker.connect();
      return negotiateVersion(CONSUMER_GROUP_HEARTBEAT_API, rangeOf(broker)) !== undefined;
    } finally {
      await broker.disconnect();
    }
  }

  /**
   * Joins `groupId` (creating it as a consumer group, or converting the empty classic group of
   * that name, committed offsets kept) subscribed to `topics`, through the broker at `address`,
   * which must be the group's coordinator (a single-node cluster's only broker).
   */
  static async join(
    address: string,
    groupId: string,
    topics: readonly string[],
  ): Promise<ConsumerProtocolMember> {
    const broker = connectionTo(address);
    await broker.connect();
    const version = negotiateVersion(CONSUMER_GROUP_HEARTBEAT_API, rangeOf(broker));
    if (version === undefined) {
      await broker.disconnect();
      throw new Error(`${address} does not offer ConsumerGroupHeartbeat v1 (Kafka 4.0+)`);
    }
    const member = new ConsumerProtocolMember(broker, groupId, randomUUID(), version);
    try {
      await member.heartbeat(JOIN_EPOCH, topics);
    } catch (error) {
      await broker.disconnect();
      throw error;
    }
    return member;
  }

  /** Leaves the group (it is Empty at once if this was its last member) and disconnects. */
  async leave(): Promise<void> {
    try {
      await this.heartbeat(LEAVE_EPOCH, null);
    } finally {
      await this.broker.disconnect();
    }
  }

  /** One heartbeat at `memberEpoch`; throws when the broker answers with an error code. */
  private async heartbeat(memberEpoch: number, topics: readonly string[] | null): Promise<void> {
    const joining = memberEpoch === JOIN_EPOCH;
    const call = {
      spec: CONSUMER_GROUP_HEARTBEAT_API,
      encode: () =>
        new WireWriter()
          .compactString(this.groupId)
          .compactString(this.memberId)
          .int32(memberEpoch)
          .compactNullableString(null) // InstanceId
          .compactNullableString(null) // RackId
          .int32(joining ? 60_000 : -1) // RebalanceTimeoutMs: required to join
          .compactStringArray(topics) // SubscribedTopicNames: required to join
          .compactNullableString(null) // SubscribedTopicRegex (v1)
          .compactNullableString(null) // ServerAssignor: the broker's default
          // TopicPartitions: what the member owns, nothing when it joins; unchanged after.
          .compactArrayLength(joining ? 0 : null)
          .emptyTaggedFields()
          .toBuffer(),
      decode: (body: Buffer, version: number): HeartbeatAnswer => {
        const reader = new WireReader(body, `ConsumerGroupHeartbeat v${version} response`);
        reader.int32(); // ThrottleTimeMs
        const errorCode = reader.int16();
        const errorMessage = reader.compactNullableString();
        reader.compactNullableString(); // MemberId
        // The assignment that follows is not needed: the member consumes nothing.
        return { errorCode, errorMessage, memberEpoch: reader.int32() };
      },
    };
    const internals = kafkaJsInternals();
    const answer = await this.broker.connectionPool.send(
      toKafkaJsRequest(call, this.version, internals.encoderOf),
    );
    if (answer.errorCode !== 0) {
      throw new Error(
        `ConsumerGroupHeartbeat of ${this.groupId} at epoch ${memberEpoch}: error ` +
          `${answer.errorCode}${answer.errorMessage ? `: ${answer.errorMessage}` : ''}`,
      );
    }
  }
}

/** A KafkaJS broker connection to a plaintext listener; ApiVersions is read when it connects. */
function connectionTo(address: string): KafkaJsBroker {
  const internals = kafkaJsInternals();
  const { host, port } = parseBrokerAddress(address);
  return internals.createBroker(
    {
      host,
      port,
      logger: internals.createLogger(0, undefined),
      socketFactory: internals.defaultSocketFactory(),
      clientId: 'kafka-otel-test-consumer-protocol-member',
      ssl: null,
      sasl: null,
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      enforceRequestTimeout: true,
    },
    10_000,
  );
}

function rangeOf(broker: KafkaJsBroker) {
  return broker.versions?.[CONSUMER_GROUP_HEARTBEAT_API.key];
}
