/*
 * The generator of test/unit/collectors/protocol/fixtures/java-vectors.ts: every byte vector the
 * codec tests compare against, serialised by Apache Kafka's own code (the generated
 * `*RequestData` / `*ResponseData` classes, `MessageUtil` and the `MemoryRecords` builder of
 * kafka-clients), so the TypeScript codecs are checked against Kafka rather than against
 * themselves.
 *
 * Run it through `npm run vectors` (scripts/protocol-vectors/cli.ts), which puts the cached Kafka
 * jars on the classpath and starts this file with Java 17's single-file source launcher:
 *   java -cp '<jars>/*' scripts/protocol-vectors/VectorGen.java
 *
 * Output, one line per vector in the fixture's order: `<name> <hex>`, or `<name> unsupported`
 * when the kafka-clients on the classpath does not know that message version (the 4.4.0 jar
 * writes the fixture; 3.9.2, which lacks the newest versions, only cross-checks it).
 *
 * The values are the ones the codec tests in test/unit/collectors/protocol/ assert: change one
 * here and the tests that read it change with it.
 */
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ConsumerProtocolAssignment;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.apache.kafka.common.record.TimestampType;

public class VectorGen {
  /** t of the record and quorum vectors: 2023-11-14T22:13:20Z. */
  static final long T = 1_700_000_000_000L;

  /** The header of every request vector (v2: the header of flexible request versions). */
  static final short REQUEST_HEADER_VERSION = 2;
  static final String CLIENT_ID = "otel";
  static final int CORRELATION_ID = 7;

  static final Uuid TOPIC_ID = new Uuid(0x0123456789abcdefL, 0xfedcba9876543210L);
  static final Uuid INTERNAL_TOPIC_ID = new Uuid(1, 2);
  static final Uuid DIRECTORY_ID = new Uuid(3, 4);
  static final byte[] USER_DATA = {9, 8, 7};
  /** An offset above 2^32, so a codec that reads 64-bit numbers as 32-bit ones fails. */
  static final long BIG_OFFSET = (1L << 33) + 5;

  public static void main(String[] args) {
    metadata();
    listOffsets();
    findCoordinator();
    listGroups();
    describeGroups();
    offsetFetch();
    describeLogDirs();
    describeQuorum();
    describeConfigs();
    consumerProtocol();
    text();
    records();
    fetch();
  }

  // ---- Metadata (api key 3) ------------------------------------------------------------------

  static void metadata() {
    for (short version : new short[] {12, 13}) {
      request("metadata.request.v" + version + ".all", version,
          () -> new MetadataRequestData().setTopics(null).setAllowAutoTopicCreation(false));
      request("metadata.request.v" + version + ".named", version,
          () -> new MetadataRequestData()
              .setTopics(List.of(
                  new MetadataRequestData.MetadataRequestTopic().setName("orders"),
                  new MetadataRequestData.MetadataRequestTopic().setName("payments")))
              .setAllowAutoTopicCreation(false));
      response("metadata.response.v" + version, version, () -> metadataResponse((short) 0));
    }
    response("metadata.response.v13.error", (short) 13,
        () -> metadataResponse((short) 31)); // CLUSTER_AUTHORIZATION_FAILED
  }

  /** Two brokers (one without a rack), a leaderless partition, an internal and a denied topic. */
  static MetadataResponseData metadataResponse(short errorCode) {
    MetadataResponseData.MetadataResponseBrokerCollection brokers =
        new MetadataResponseData.MetadataResponseBrokerCollection();
    brokers.add(new MetadataResponseData.MetadataResponseBroker()
        .setNodeId(1).setHost("127.0.0.1").setPort(59092).setRack(null));
    brokers.add(new MetadataResponseData.MetadataResponseBroker()
        .setNodeId(2).setHost("kafka-2.example").setPort(9093).setRack("rack-b"));

    MetadataResponseData.MetadataResponsePartition healthy =
        metadataPartition(0, 0, 1, 3, List.of(1, 2), List.of(1, 2), List.of());
    // A tag no codec knows, so the decoder has to skip it.
    healthy.unknownTaggedFields().add(new RawTaggedField(7, bytes(0xde, 0xad, 0xbe)));

    MetadataResponseData.MetadataResponseTopicCollection topics =
        new MetadataResponseData.MetadataResponseTopicCollection();
    topics.add(new MetadataResponseData.MetadataResponseTopic()
        .setName("orders").setTopicId(TOPIC_ID).setIsInternal(false)
        .setPartitions(List.of(
            healthy,
            // LEADER_NOT_AVAILABLE:
            metadataPartition(1, 5, -1, 4, List.of(2, 3), List.of(3), List.of(2)),
            metadataPartition(2, 0, 2, 0, List.of(2, 1), List.of(2), List.of()))));
    topics.add(new MetadataResponseData.MetadataResponseTopic()
        .setName("__consumer_offsets").setTopicId(INTERNAL_TOPIC_ID).setIsInternal(true));
    topics.add(new MetadataResponseData.MetadataResponseTopic()
        .setName("secret").setErrorCode((short) 29)); // TOPIC_AUTHORIZATION_FAILED

    MetadataResponseData data = new MetadataResponseData()
        .setThrottleTimeMs(0)
        .setBrokers(brokers)
        .setClusterId("Kq8Ag2yXRGm2pQ1A0x-_Zw")
        .setControllerId(2)
        .setTopics(topics);
    setIfKnown(data, "setErrorCode", short.class, errorCode); // v13+
    data.unknownTaggedFields().add(new RawTaggedField(100, bytes(0x01)));
    data.unknownTaggedFields().add(new RawTaggedField(300, bytes(0xff, 0xfe)));
    return data;
  }

  static MetadataResponseData.MetadataResponsePartition metadataPartition(
      int partition, int errorCode, int leader, int leaderEpoch,
      List<Integer> replicas, List<Integer> isr, List<Integer> offline) {
    return new MetadataResponseData.MetadataResponsePartition()
        .setPartitionIndex(partition)
        .setErrorCode((short) errorCode)
        .setLeaderId(leader)
        .setLeaderEpoch(leaderEpoch)
        .setReplicaNodes(replicas)
        .setIsrNodes(isr)
        .setOfflineReplicas(offline);
  }

  // ---- ListOffsets (api key 2) ---------------------------------------------------------------

  static void listOffsets() {
    for (short version : new short[] {7, 8, 9}) {
      request("list-offsets.request.v" + version, version,
          () -> new ListOffsetsRequestData()
              .setReplicaId(-1)
              .setIsolationLevel((byte) 0)
              .setTopics(List.of(
                  new ListOffsetsRequestData.ListOffsetsTopic()
                      .setName("orders")
                      .setPartitions(List.of(
                          listOffsetsPartition(0, -1), // latest
                          listOffsetsPartition(1, -2))), // earliest
                  new ListOffsetsRequestData.ListOffsetsTopic()
                      .setName("payments")
                      .setPartitions(List.of(listOffsetsPartition(0, T))))));
      response("list-offsets.response.v" + version, version,
          () -> new ListOffsetsResponseData()
              .setTopics(List.of(
                  new ListOffsetsResponseData.ListOffsetsTopicResponse()
                      .setName("orders")
                      .setPartitions(List.of(
                          listOffsetsAnswer(0, 0, -1, 42, 3),
                          listOffsetsAnswer(1, 6, -1, -1, -1))), // NOT_LEADER_OR_FOLLOWER
                  new ListOffsetsResponseData.ListOffsetsTopicResponse()
                      .setName("payments")
                      .setPartitions(List.of(listOffsetsAnswer(0, 0, T + 123, BIG_OFFSET, 12))))));
    }
  }

  static ListOffsetsRequestData.ListOffsetsPartition listOffsetsPartition(
      int partition, long timestamp) {
    return new ListOffsetsRequestData.ListOffsetsPartition()
        .setPartitionIndex(partition)
        .setCurrentLeaderEpoch(-1)
        .setTimestamp(timestamp);
  }

  static ListOffsetsResponseData.ListOffsetsPartitionResponse listOffsetsAnswer(
      int partition, int errorCode, long timestamp, long offset, int leaderEpoch) {
    return new ListOffsetsResponseData.ListOffsetsPartitionResponse()
        .setPartitionIndex(partition)
        .setErrorCode((short) errorCode)
        .setTimestamp(timestamp)
        .setOffset(offset)
        .setLeaderEpoch(leaderEpoch);
  }

  // ---- FindCoordinator (api key 10) ----------------------------------------------------------

  static void findCoordinator() {
    for (short version : new short[] {4, 5, 6}) {
      request("find-coordinator.request.v" + version, version,
          () -> new FindCoordinatorRequestData()
              .setKeyType((byte) 0) // group
              .setCoordinatorKeys(List.of("billing", "audit")));
      response("find-coordinator.response.v" + version, version,
          () -> new FindCoordinatorResponseData().setCoordinators(List.of(
              new FindCoordinatorResponseData.Coordinator()
                  .setKey("billing").setNodeId(1).setHost("127.0.0.1").setPort(59092)
                  .setErrorCode((short) 0).setErrorMessage(null),
              new FindCoordinatorResponseData.Coordinator()
                  .setKey("audit").setNodeId(-1).setHost("").setPort(-1)
                  .setErrorCode((short) 15) // COORDINATOR_NOT_AVAILABLE
                  .setErrorMessage("The coordinator is not available."))));
    }
  }

  // ---- ListGroups (api key 16) ---------------------------------------------------------------

  static void listGroups() {
    for (short version : new short[] {3, 4, 5}) {
      request("list-groups.request.v" + version, version, ListGroupsRequestData::new);
      // The same answer at every version: state (v4+) and type (v5+) are left out before.
      response("list-groups.response.v" + version, version, () -> listGroupsResponse((short) 0));
    }
    request("list-groups.request.v5.filtered", (short) 5,
        () -> new ListGroupsRequestData()
            .setStatesFilter(List.of("Stable", "Empty"))
            .setTypesFilter(List.of("classic")));
    response("list-groups.response.v5.loading", (short) 5,
        () -> listGroupsResponse((short) 14)); // COORDINATOR_LOAD_IN_PROGRESS
  }

  static ListGroupsResponseData listGroupsResponse(short errorCode) {
    return new ListGroupsResponseData()
        .setErrorCode(errorCode)
        .setGroups(List.of(
            listedGroup("billing", "consumer", "Stable", "classic"),
            listedGroup("connect-sink", "connect", "Empty", "classic"),
            listedGroup("new-style", "", "Assigning", "consumer")));
  }

  static ListGroupsResponseData.ListedGroup listedGroup(
      String groupId, String protocolType, String state, String type) {
    return new ListGroupsResponseData.ListedGroup()
        .setGroupId(groupId)
        .setProtocolType(protocolType)
        .setGroupState(state)
        .setGroupType(type);
  }

  // ---- DescribeGroups (api key 15) -----------------------------------------------------------

  static void describeGroups() {
    for (short version : new short[] {5, 6}) {
      request("describe-groups.request.v" + version, version,
          () -> new DescribeGroupsRequestData()
              .setGroups(List.of("billing", "audit"))
              .setIncludeAuthorizedOperations(false));
      // A v5 broker describes an unknown group as Dead with no error; v6 adds GROUP_ID_NOT_FOUND
      // and an error message (which v5 cannot carry: writing one at v5 throws).
      boolean v6 = version >= 6;
      response("describe-groups.response.v" + version, version,
          () -> describeGroupsResponse(
              v6 ? (short) 69 : (short) 0, v6 ? "Group audit not found." : null));
    }
  }

  static DescribeGroupsResponseData describeGroupsResponse(short auditError, String auditMessage) {
    byte[] subscription = MessageUtil.toVersionPrefixedBytes((short) 1, subscription());
    byte[] assignment = MessageUtil.toVersionPrefixedBytes((short) 3, assignment(USER_DATA));
    return new DescribeGroupsResponseData().setGroups(List.of(
        new DescribeGroupsResponseData.DescribedGroup()
            .setGroupId("billing").setGroupState("Stable")
            .setProtocolType("consumer").setProtocolData("range")
            .setMembers(List.of(
                new DescribeGroupsResponseData.DescribedGroupMember()
                    .setMemberId("consumer-1-5f0c").setGroupInstanceId(null)
                    .setClientId("consumer-1").setClientHost("/127.0.0.1")
                    .setMemberMetadata(subscription)
                    .setMemberAssignment(assignment),
                new DescribeGroupsResponseData.DescribedGroupMember()
                    .setMemberId("consumer-2-77aa").setGroupInstanceId("static-2")
                    .setClientId("consumer-2").setClientHost("/10.0.0.2")
                    .setMemberMetadata(new byte[0])
                    .setMemberAssignment(new byte[0]))),
        setIfKnown(
            new DescribeGroupsResponseData.DescribedGroup()
                .setGroupId("audit").setGroupState("Dead")
                .setErrorCode(auditError)
                .setProtocolType("").setProtocolData(""),
            "setErrorMessage", String.class, auditMessage), // v6+
        new DescribeGroupsResponseData.DescribedGroup()
            .setGroupId("elsewhere").setGroupState("")
            .setErrorCode((short) 16) // NOT_COORDINATOR
            .setProtocolType("").setProtocolData("")));
  }

  // ---- OffsetFetch (api key 9) ---------------------------------------------------------------

  static void offsetFetch() {
    for (short version : new short[] {8, 9}) {
      request("offset-fetch.request.v" + version, version,
          () -> new OffsetFetchRequestData()
              .setGroups(List.of(
                  new OffsetFetchRequestData.OffsetFetchRequestGroup()
                      .setGroupId("billing").setTopics(null), // every partition
                  new OffsetFetchRequestData.OffsetFetchRequestGroup()
                      .setGroupId("audit").setTopics(null)))
              .setRequireStable(false));
      response("offset-fetch.response.v" + version, version,
          () -> new OffsetFetchResponseData().setGroups(List.of(
              new OffsetFetchResponseData.OffsetFetchResponseGroup()
                  .setGroupId("billing")
                  .setTopics(List.of(new OffsetFetchResponseData.OffsetFetchResponseTopics()
                      .setName("orders")
                      .setPartitions(List.of(
                          committed(0, 10, 2, "", 0),
                          committed(1, -1, -1, null, 0), // no commit
                          committed(2, -1, -1, null, 88))))), // UNSTABLE_OFFSET_COMMIT
              new OffsetFetchResponseData.OffsetFetchResponseGroup()
                  .setGroupId("audit")
                  .setErrorCode((short) 16)))); // NOT_COORDINATOR
    }
  }

  static OffsetFetchResponseData.OffsetFetchResponsePartitions committed(
      int partition, long offset, int leaderEpoch, String metadata, int errorCode) {
    return new OffsetFetchResponseData.OffsetFetchResponsePartitions()
        .setPartitionIndex(partition)
        .setCommittedOffset(offset)
        .setCommittedLeaderEpoch(leaderEpoch)
        .setMetadata(metadata)
        .setErrorCode((short) errorCode);
  }

  // ---- DescribeLogDirs (api key 35) ----------------------------------------------------------

  static void describeLogDirs() {
    for (short version : new short[] {3, 4, 5}) {
      request("describe-log-dirs.request.v" + version, version,
          () -> new DescribeLogDirsRequestData().setTopics(null)); // every partition
      // The same answer at every version: sizes (v4+) and the cordon flag (v5+) are left out
      // before.
      response("describe-log-dirs.response.v" + version, version,
          VectorGen::describeLogDirsResponse);
    }
    response("describe-log-dirs.response.v4.unauthorized", (short) 4,
        () -> new DescribeLogDirsResponseData()
            .setErrorCode((short) 31)); // CLUSTER_AUTHORIZATION_FAILED
  }

  static DescribeLogDirsResponseData describeLogDirsResponse() {
    DescribeLogDirsResponseData.DescribeLogDirsResult healthy =
        new DescribeLogDirsResponseData.DescribeLogDirsResult()
            .setLogDir("/var/lib/kafka/data-0")
            .setTotalBytes(1L << 40)
            .setUsableBytes(1L << 39)
            .setTopics(List.of(new DescribeLogDirsResponseData.DescribeLogDirsTopic()
                .setName("orders")
                .setPartitions(List.of(
                    logDirPartition(0, 123_456, 0, false),
                    logDirPartition(1, 5L << 30, 17, true))))); // a future replica
    setIfKnown(healthy, "setIsCordoned", boolean.class, true); // v5+
    return new DescribeLogDirsResponseData().setResults(List.of(
        healthy,
        new DescribeLogDirsResponseData.DescribeLogDirsResult()
            .setLogDir("/var/lib/kafka/data-1")
            .setErrorCode((short) 56))); // KAFKA_STORAGE_ERROR
  }

  static DescribeLogDirsResponseData.DescribeLogDirsPartition logDirPartition(
      int partition, long size, long offsetLag, boolean future) {
    return new DescribeLogDirsResponseData.DescribeLogDirsPartition()
        .setPartitionIndex(partition)
        .setPartitionSize(size)
        .setOffsetLag(offsetLag)
        .setIsFutureKey(future);
  }

  // ---- DescribeQuorum (api key 55) -----------------------------------------------------------

  static void describeQuorum() {
    for (short version : new short[] {1, 2}) {
      request("describe-quorum.request.v" + version, version,
          () -> new DescribeQuorumRequestData().setTopics(List.of(
              new DescribeQuorumRequestData.TopicData()
                  .setTopicName("__cluster_metadata")
                  .setPartitions(List.of(
                      new DescribeQuorumRequestData.PartitionData().setPartitionIndex(0))))));
      boolean v2 = version >= 2;
      response("describe-quorum.response.v" + version, version,
          () -> describeQuorumResponse(v2, (short) 0, "", 1));
    }
    response("describe-quorum.response.v2.not-leader", (short) 2,
        // NOT_LEADER_OR_FOLLOWER:
        () -> describeQuorumResponse(true, (short) 6, "not the leader", -1));
  }

  /** Directory ids and voter endpoints are v2+: writing them at v1 throws, so v1 has none. */
  static DescribeQuorumResponseData describeQuorumResponse(
      boolean v2, short errorCode, String errorMessage, int leaderId) {
    DescribeQuorumResponseData data = new DescribeQuorumResponseData()
        .setErrorCode((short) 0)
        .setErrorMessage(null) // v2+, no error
        .setTopics(List.of(new DescribeQuorumResponseData.TopicData()
            .setTopicName("__cluster_metadata")
            .setPartitions(List.of(new DescribeQuorumResponseData.PartitionData()
                .setPartitionIndex(0)
                .setErrorCode(errorCode)
                .setErrorMessage(errorMessage)
                .setLeaderId(leaderId)
                .setLeaderEpoch(5)
                .setHighWatermark(1495)
                .setCurrentVoters(List.of(
                    replica(1, v2 ? DIRECTORY_ID : Uuid.ZERO_UUID, 1500, -1, T + 500),
                    replica(2, Uuid.ZERO_UUID, 1490, T + 400, T + 300)))
                .setObservers(List.of(replica(4, Uuid.ZERO_UUID, -1, -1, -1)))))));
    if (v2) {
      DescribeQuorumResponseData.ListenerCollection listeners =
          new DescribeQuorumResponseData.ListenerCollection();
      listeners.add(new DescribeQuorumResponseData.Listener()
          .setName("CONTROLLER").setHost("127.0.0.1").setPort(59192));
      DescribeQuorumResponseData.NodeCollection nodes =
          new DescribeQuorumResponseData.NodeCollection();
      nodes.add(new DescribeQuorumResponseData.Node().setNodeId(1).setListeners(listeners));
      data.setNodes(nodes);
    }
    return data;
  }

  static DescribeQuorumResponseData.ReplicaState replica(
      int id, Uuid directoryId, long logEndOffset, long lastFetch, long lastCaughtUp) {
    return new DescribeQuorumResponseData.ReplicaState()
        .setReplicaId(id)
        .setReplicaDirectoryId(directoryId)
        .setLogEndOffset(logEndOffset)
        .setLastFetchTimestamp(lastFetch)
        .setLastCaughtUpTimestamp(lastCaughtUp);
  }

  // ---- DescribeConfigs (api key 32) ----------------------------------------------------------

  static void describeConfigs() {
    List<String> keys = List.of("min.insync.replicas", "retention.ms");
    byte topic = 2;
    request("describe-configs.request.v4", (short) 4,
        () -> new DescribeConfigsRequestData()
            .setResources(List.of(
                new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType(topic).setResourceName("orders").setConfigurationKeys(keys),
                new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType(topic).setResourceName("payments").setConfigurationKeys(keys)))
            .setIncludeSynonyms(false)
            .setIncludeDocumentation(false));
    response("describe-configs.response.v4", (short) 4,
        () -> new DescribeConfigsResponseData().setResults(List.of(
            new DescribeConfigsResponseData.DescribeConfigsResult()
                .setErrorCode((short) 0).setErrorMessage(null)
                .setResourceType(topic).setResourceName("orders")
                .setConfigs(List.of(
                    new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                        .setName("min.insync.replicas").setValue("2")
                        .setReadOnly(false)
                        .setConfigSource((byte) 1) // TOPIC_CONFIG: a per-topic override
                        .setIsSensitive(false)
                        .setSynonyms(List.of(
                            new DescribeConfigsResponseData.DescribeConfigsSynonym()
                                .setName("min.insync.replicas").setValue("2").setSource((byte) 1)))
                        .setConfigType((byte) 3) // INT
                        .setDocumentation(null),
                    new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                        .setName("retention.ms").setValue(null) // sensitive: value withheld
                        .setReadOnly(false)
                        .setConfigSource((byte) 5) // DEFAULT_CONFIG
                        .setIsSensitive(true)
                        .setSynonyms(List.of())
                        .setConfigType((byte) 5) // LONG
                        .setDocumentation("How long to keep."))),
            new DescribeConfigsResponseData.DescribeConfigsResult()
                .setErrorCode((short) 3) // UNKNOWN_TOPIC_OR_PARTITION
                .setErrorMessage("Topic payments does not exist.")
                .setResourceType(topic).setResourceName("payments")
                .setConfigs(List.of()))));
  }

  // ---- Consumer group protocol (member metadata and assignment bytes) ------------------------

  static void consumerProtocol() {
    for (short version = 0; version <= 3; version++) {
      // v0 without user data, the later versions with some, so both shapes are covered.
      byte[] userData = version == 0 ? null : USER_DATA;
      versionPrefixed("consumer-assignment.v" + version, version, () -> assignment(userData));
    }
    versionPrefixed("consumer-subscription.v1", (short) 1, VectorGen::subscription);
  }

  static ConsumerProtocolAssignment assignment(byte[] userData) {
    ConsumerProtocolAssignment.TopicPartitionCollection partitions =
        new ConsumerProtocolAssignment.TopicPartitionCollection();
    partitions.add(new ConsumerProtocolAssignment.TopicPartition()
        .setTopic("orders").setPartitions(List.of(0, 2)));
    partitions.add(new ConsumerProtocolAssignment.TopicPartition()
        .setTopic("payments").setPartitions(List.of(1)));
    return new ConsumerProtocolAssignment()
        .setAssignedPartitions(partitions)
        .setUserData(userData == null ? null : ByteBuffer.wrap(userData));
  }

  static ConsumerProtocolSubscription subscription() {
    return new ConsumerProtocolSubscription().setTopics(List.of("orders", "payments"));
  }

  // ---- Strings Kafka prints (Uuid.toString()), stored as UTF-8 -------------------------------

  static void text() {
    emit("text.topic-id", utf8(TOPIC_ID.toString()));
    emit("text.internal-topic-id", utf8(INTERNAL_TOPIC_ID.toString()));
    emit("text.directory-id", utf8(DIRECTORY_ID.toString()));
  }

  // ---- Record batches (as a Fetch answer carries them) ---------------------------------------

  static void records() {
    emit("records.plain", plainBatch());
    emit("records.gzip", RecordsApi.batch(Compression.gzip().build(), TimestampType.CREATE_TIME,
        -1, 40, new long[] {T, T + 250, T + 900}, "a", "bb", "ccc"));
    emit("records.log-append-time", RecordsApi.batch(Compression.NONE,
        TimestampType.LOG_APPEND_TIME, T + 5_000, 40, new long[] {T, T + 250}, "a", "bb"));
    byte[] marker = RecordsApi.commitMarker(43, T + 1_000, 9, (short) 0);
    byte[] next = RecordsApi.batch(Compression.NONE, TimestampType.CREATE_TIME,
        -1, 44, new long[] {T + 2_000}, "d");
    emit("records.marker-then-batch", concat(marker, next));
    emit("records.marker-only", marker);
  }

  /** Three records at offsets 40-42, stamped t, t+250 ms, t+900 ms. */
  static byte[] plainBatch() {
    return RecordsApi.batch(Compression.NONE, TimestampType.CREATE_TIME,
        -1, 40, new long[] {T, T + 250, T + 900}, "a", "bb", "ccc");
  }

  // ---- Fetch (api key 1) ---------------------------------------------------------------------

  static void fetch() {
    request("fetch.request.v12", (short) 12,
        () -> new FetchRequestData()
            .setReplicaId(-1)
            .setMaxWaitMs(0)
            .setMinBytes(0)
            .setMaxBytes(1 << 20)
            .setIsolationLevel((byte) 0)
            .setSessionId(0)
            .setSessionEpoch(-1) // no fetch session
            .setTopics(List.of(
                new FetchRequestData.FetchTopic()
                    .setTopic("orders")
                    .setPartitions(List.of(fetchPartition(0, 42), fetchPartition(3, BIG_OFFSET))),
                new FetchRequestData.FetchTopic()
                    .setTopic("payments")
                    .setPartitions(List.of(fetchPartition(1, 0)))))
            .setForgottenTopicsData(List.of())
            .setRackId(""));
    response("fetch.response.v12", (short) 12,
        () -> new FetchResponseData()
            .setErrorCode((short) 0)
            .setSessionId(0)
            .setResponses(List.of(
                new FetchResponseData.FetchableTopicResponse()
                    .setTopic("orders")
                    .setPartitions(List.of(
                        fetchAnswer(0, 0, 43, 43, 5,
                            List.of(new FetchResponseData.AbortedTransaction()
                                .setProducerId(77).setFirstOffset(12)),
                            plainBatch())
                            .setCurrentLeader(new FetchResponseData.LeaderIdAndEpoch()
                                .setLeaderId(2).setLeaderEpoch(9)),
                        // OFFSET_OUT_OF_RANGE:
                        fetchAnswer(3, 1, -1, -1, -1, List.of(), new byte[0]))),
                new FetchResponseData.FetchableTopicResponse()
                    .setTopic("payments")
                    .setPartitions(List.of(
                        fetchAnswer(1, 0, BIG_OFFSET + 3, BIG_OFFSET + 3, 0, List.of(), null))))));
    response("fetch.response.v12.error", (short) 12,
        () -> new FetchResponseData()
            .setErrorCode((short) 70) // FETCH_SESSION_ID_NOT_FOUND
            .setResponses(List.of()));
  }

  static FetchRequestData.FetchPartition fetchPartition(int partition, long offset) {
    return new FetchRequestData.FetchPartition()
        .setPartition(partition)
        .setCurrentLeaderEpoch(-1)
        .setFetchOffset(offset)
        .setLastFetchedEpoch(-1)
        .setLogStartOffset(-1)
        .setPartitionMaxBytes(512);
  }

  /** `records` null writes a null records field; empty writes a present, empty one. */
  static FetchResponseData.PartitionData fetchAnswer(
      int partition, int errorCode, long highWatermark, long lastStableOffset, long logStartOffset,
      List<FetchResponseData.AbortedTransaction> aborted, byte[] records) {
    FetchResponseData.PartitionData data = new FetchResponseData.PartitionData()
        .setPartitionIndex(partition)
        .setErrorCode((short) errorCode)
        .setHighWatermark(highWatermark)
        .setLastStableOffset(lastStableOffset)
        .setLogStartOffset(logStartOffset)
        .setAbortedTransactions(aborted)
        .setPreferredReadReplica(-1);
    RecordsApi.setRecords(data, records);
    return data;
  }

  // ---- Serialisation -------------------------------------------------------------------------

  /** A whole request frame without its size prefix: header v2, then the body. */
  static void request(String name, short version, Supplier<ApiMessage> body) {
    emit(name, version, body, message -> {
      RequestHeaderData header = new RequestHeaderData()
          .setRequestApiKey(message.apiKey())
          .setRequestApiVersion(version)
          .setCorrelationId(CORRELATION_ID)
          .setClientId(CLIENT_ID);
      return concat(serialise(header, REQUEST_HEADER_VERSION), serialise(message, version));
    });
  }

  /** A response body: what follows the response header. */
  static void response(String name, short version, Supplier<ApiMessage> body) {
    emit(name, version, body, message -> serialise(message, version));
  }

  /** Consumer-protocol bytes: an int16 version, then the message (as group members send them). */
  static void versionPrefixed(String name, short version, Supplier<Message> body) {
    emit(name, version, body, message -> MessageUtil.toVersionPrefixedBytes(version, message));
  }

  /**
   * Prints one vector, or `unsupported` when this kafka-clients does not know the version. A
   * failure is rethrown with the vector's name: Kafka's UnsupportedVersionException carries no
   * stack trace, which Java 17's source launcher reports only as an unrelated
   * IllegalArgumentException.
   */
  static <M extends Message> void emit(
      String name, short version, Supplier<M> body, Function<M, byte[]> serialiser) {
    byte[] bytes;
    try {
      M message = body.get();
      if (!knows(message, version)) {
        System.out.println(name + " unsupported");
        return;
      }
      bytes = serialiser.apply(message);
    } catch (RuntimeException e) {
      throw new IllegalStateException(name + ": " + e, e);
    }
    emit(name, bytes);
  }

  static boolean knows(Message message, short version) {
    return version >= message.lowestSupportedVersion()
        && version <= message.highestSupportedVersion();
  }

  /**
   * The generated `size` + `write` pair, which MessageUtil's helpers wrap (under names that
   * differ between 3.9 and 4.x, hence called directly).
   */
  static byte[] serialise(Message message, short version) {
    ObjectSerializationCache cache = new ObjectSerializationCache();
    ByteBuffer buffer = ByteBuffer.allocate(message.size(cache, version));
    message.write(new ByteBufferAccessor(buffer), cache, version);
    if (buffer.hasRemaining()) throw new IllegalStateException("size() and write() disagree");
    return buffer.array();
  }

  /**
   * Calls the setter of a field that kafka-clients 3.9 does not have yet. Without the field that
   * jar writes no version carrying it, so leaving the value out changes nothing it can produce
   * (the vectors that need the field come out `unsupported` there).
   */
  static <T extends Message> T setIfKnown(T message, String setter, Class<?> type, Object value) {
    Method method;
    try {
      method = message.getClass().getMethod(setter, type);
    } catch (NoSuchMethodException e) {
      return message;
    }
    try {
      method.invoke(message, value);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(setter, e);
    }
    return message;
  }

  static void emit(String name, byte[] bytes) {
    System.out.println(name + " " + HexFormat.of().formatHex(bytes));
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
    return out;
  }

  static byte[] concat(byte[] first, byte[] second) {
    byte[] out = new byte[first.length + second.length];
    System.arraycopy(first, 0, out, 0, first.length);
    System.arraycopy(second, 0, out, first.length, second.length);
    return out;
  }

  /**
   * The record classes, reached by name: kafka-clients 4.x moved `MemoryRecords` and its
   * companions from org.apache.kafka.common.record to org.apache.kafka.common.record.internal,
   * and this one source file has to compile against both lines (4.4.0 writes the fixture, 3.9.2
   * cross-checks it). The methods called are the same in both.
   */
  static final class RecordsApi {
    static final String PACKAGE = packageOf("MemoryRecords");
    static final byte MAGIC_V2 = 2;
    static final int NO_PARTITION_LEADER_EPOCH = -1;

    /** One batch from `MemoryRecords.builder`: values as UTF-8, keys null, no producer id. */
    static byte[] batch(Compression compression, TimestampType timestampType, long logAppendTime,
        long baseOffset, long[] timestamps, String... values) {
      Object builder = call(null, type("MemoryRecords"), "builder",
          new Class<?>[] {
            ByteBuffer.class, byte.class, Compression.class, TimestampType.class,
            long.class, long.class
          },
          ByteBuffer.allocate(1024), MAGIC_V2, compression, timestampType, baseOffset,
          logAppendTime);
      Class<?>[] append = {long.class, byte[].class, byte[].class};
      for (int i = 0; i < values.length; i++) {
        call(builder, builder.getClass(), "append", append, timestamps[i], null, utf8(values[i]));
      }
      return bufferBytes(call(builder, builder.getClass(), "build", new Class<?>[0]));
    }

    /** A transaction COMMIT marker batch, as the partition leader writes it. */
    static byte[] commitMarker(long offset, long timestamp, long producerId, short producerEpoch) {
      Class<?> controlType = type("ControlRecordType");
      Object commit = call(null, controlType, "valueOf", new Class<?>[] {String.class}, "COMMIT");
      Object marker;
      try {
        int coordinatorEpoch = 0;
        marker = type("EndTransactionMarker")
            .getConstructor(controlType, int.class)
            .newInstance(commit, coordinatorEpoch);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      Object records = call(null, type("MemoryRecords"), "withEndTransactionMarker",
          new Class<?>[] {
            long.class, long.class, int.class, long.class, short.class, marker.getClass()
          },
          offset, timestamp, NO_PARTITION_LEADER_EPOCH, producerId, producerEpoch, marker);
      return bufferBytes(records);
    }

    /** `PartitionData.setRecords(MemoryRecords)`; null leaves the records field null. */
    static void setRecords(FetchResponseData.PartitionData data, byte[] records) {
      Object value = records == null
          ? null
          : call(null, type("MemoryRecords"), "readableRecords",
              new Class<?>[] {ByteBuffer.class}, ByteBuffer.wrap(records));
      call(data, data.getClass(), "setRecords", new Class<?>[] {type("BaseRecords")}, value);
    }

    static byte[] bufferBytes(Object memoryRecords) {
      ByteBuffer buffer =
          (ByteBuffer) call(memoryRecords, memoryRecords.getClass(), "buffer", new Class<?>[0]);
      byte[] out = new byte[buffer.remaining()];
      buffer.duplicate().get(out);
      return out;
    }

    static String packageOf(String simpleName) {
      for (String candidate :
          List.of("org.apache.kafka.common.record.internal", "org.apache.kafka.common.record")) {
        try {
          Class.forName(candidate + "." + simpleName);
          return candidate;
        } catch (ClassNotFoundException e) {
          // not this kafka-clients line
        }
      }
      throw new IllegalStateException("no " + simpleName + " in this kafka-clients");
    }

    static Class<?> type(String simpleName) {
      try {
        return Class.forName(PACKAGE + "." + simpleName);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }

    static Object call(
        Object target, Class<?> owner, String method, Class<?>[] parameters, Object... args) {
      try {
        Method m = owner.getMethod(method, parameters);
        return m.invoke(target, args);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(owner.getName() + "." + method, e);
      }
    }
  }
}
