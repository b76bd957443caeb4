/**
 * Every phase of a snapshot after Metadata, failing on its own against the real broker: one
 * API's requests fail at the socket (no answer, a reset connection, an answer cut short, a
 * broker's error answer, or an error code for the one partition, topic or group asked about)
 * while every other request reaches the broker untouched. Each failure is one
 * `kafka.collector.scrape.errors{phase, error.type}`, named in the one warning line; the series
 * that phase feeds are not exported (unknown, not 0) while every other series is what a
 * collector without the fault exports; the next snapshot, without the fault, is complete again.
 */
import { Kafka, logLevel } from 'kafkajs';
import type { MetricData } from '@opentelemetry/sdk-metrics';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KafkaClusterCollector } from '../../../src';
import type { ClusterSnapshot, SnapshotPhase } from '../../../src/collectors/cluster-snapshot';
import { DESCRIBE_CONFIGS_API } from '../../../src/collectors/protocol/describe-configs';
import { DESCRIBE_GROUPS_API } from '../../../src/collectors/protocol/describe-groups';
import { DESCRIBE_LOG_DIRS_API } from '../../../src/collectors/protocol/describe-log-dirs';
import { DESCRIBE_QUORUM_API } from '../../../src/collectors/protocol/describe-quorum';
import { FETCH_API } from '../../../src/collectors/protocol/fetch';
import { FIND_COORDINATOR_API } from '../../../src/collectors/protocol/find-coordinator';
import { LIST_GROUPS_API } from '../../../src/collectors/protocol/list-groups';
import { LIST_OFFSETS_API } from '../../../src/collectors/protocol/list-offsets';
import { OFFSET_FETCH_API } from '../../../src/collectors/protocol/offset-fetch';
import {
  configsRefusedFor,
  CONFIGS_REFUSAL,
  cutShort,
  groupLoadingFor,
  groupsLoading,
  logDirsRefused,
  noCoordinatorFor,
  NO_COORDINATOR,
  offsetsNotLeaderFor,
  offsetsRefusedFor,
  quorumNotLeader,
  QUORUM_NOT_LEADER,
  quorumRefused,
  QUORUM_REFUSAL,
} from '../../support/broker-error-answers';
import { FaultInjectingSockets, type Fault } from '../../support/fault-injecting-sockets';
import { errorCodeNamed } from '../../support/kafka-codes';
import type { RequestHeader } from '../../support/kafka-frames';
import { injectedBrokers } from '../../support/kafka-client';
import { randomGroup, randomTopic } from '../../support/names';
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { createTopicAndWait } from '../../support/topics';

const brokers = injectedBrokers();
const kafka = new Kafka({ clientId: 'scrape-error-phases', brokers, logLevel: logLevel.NOTHING });
const producer = kafka.producer(IDEMPOTENT_PRODUCER);
const admin = kafka.admin();
const collectors: KafkaClusterCollector[] = [];
/** Read by every test, changed by none: each test's collectors only read it. */
let sharedScene: Scene;

beforeAll(async () => {
  await Promise.all([producer.connect(), admin.connect()]);
  sharedScene = await makeScene();
});
afterEach(async () => {
  await Promise.all(collectors.splice(0).map((collector) => collector.stop()));
});
afterAll(async () => {
  await Promise.all([producer.disconnect(), admin.disconnect()]);
});

/** Messages in the topic, and the offset the group committed: 6 behind. */
const MESSAGES = 10;
const COMMITTED = 4;
/**
 * Deadline of every snapshot here: far above what the shared broker needs on a loaded machine,
 * so that each snapshot the tests expect complete is, and the only errors are the faults'.
 */
const SNAPSHOT_TIMEOUT_MS = 30_000;
/**
 * Time to wait for each answer where a fault silences a request: it fails after this long, well
 * within the deadline, so the snapshot still hears from every other phase. It applies to every
 * request of that collector, the recovered snapshot's included: still room for a loaded machine.
 * Elsewhere the default (half the deadline) applies.
 */
const SILENCE_TIMEOUT_MS = 8_000;

/** A topic of one partition holding `MESSAGES` stamped messages, and a group committed at 4. */
interface Scene {
  topic: string;
  groupId: string;
  /** Timestamp (ms) of each message, by offset. */
  stamps: number[];
}

async function makeScene(): Promise<Scene> {
  const topic = randomTopic('scrape-errors');
  const groupId = randomGroup('scrape-errors');
  await createTopicAndWait(admin, { topic, numPartitions: 1 });
  const firstStamp = Date.now() - 60_000;
  const stamps = Array.from({ length: MESSAGES }, (_, i) => firstStamp + i * 1_000);
  // One uncompressed batch: the time lag read at the committed offset is that record's stamp.
  await producer.send({
    topic,
    messages: stamps.map((stamp, i) => ({ value: `m${i}`, timestamp: String(stamp) })),
  });
  await admin.setOffsets({
    groupId,
    topic,
    partitions: [{ partition: 0, offset: String(COMMITTED) }],
  });
  return { topic, groupId, stamps };
}

/** A collector of the scene's topic and group; every collection takes a new snapshot. */
function collectorOf(
  { topic, groupId }: Scene,
  extra: {
    socketFactory?: FaultInjectingSockets['socketFactory'];
    requestTimeout?: number;
    warn?: (line: string) => void;
  },
): KafkaClusterCollector {
  const collector = new KafkaClusterCollector({
    brokers,
    topics: [topic],
    groups: [groupId],
    minSnapshotIntervalMs: 0,
    snapshotTimeoutMs: SNAPSHOT_TIMEOUT_MS,
    ...extra,
  }).start();
  collectors.push(collector);
  return collector;
}

/** One collection, as a metric reader makes it, and the snapshot it exported. */
interface Collection {
  snapshot: ClusterSnapshot;
  metrics: MetricData[];
}

/**
 * Collects once. The snapshot is asked for at the same moment, so both come from one snapshot
 * (readers collecting together share it; `kafka.collector.scrape.duration` counts the snapshots
 * taken, which the tests check).
 */
async function collect(collector: KafkaClusterCollector): Promise<Collection> {
  const [snapshot, result] = await Promise.all([collector.snapshot(), collector.collect()]);
  return { snapshot, metrics: result.resourceMetrics.scopeMetrics.flatMap((s) => s.metrics) };
}

/** `name{key=value,...}` of a data point, attributes sorted. */
function seriesKey(name: string, attributes: Record<string, unknown>): string {
  const pairs = Object.keys(attributes)
    .sort()
    .map((key) => `${key}=${String(attributes[key])}`);
  return `${name}{${pairs.join(',')}}`;
}

/** The series of a collection, by key, with their values; `include` picks the metrics. */
function seriesOf(
  { metrics }: Collection,
  include: (name: string) => boolean,
): Map<string, number> {
  const series = new Map<string, number>();
  for (const metric of metrics) {
    const { name } = metric.descriptor;
    if (!include(name)) continue;
    for (const point of metric.dataPoints) {
      const value = point.value;
      series.set(
        seriesKey(name, point.attributes),
        typeof value === 'number' ? value : (value as { count: number }).count,
      );
    }
  }
  return series;
}

const isSelfMetric = (name: string) => name.startsWith('kafka.collector.');
/** Cluster-wide values that other tests and the broker itself change from one moment to the next. */
const MOVING = new Set([
  'kafka.broker.log_dir.size',
  'kafka.broker.log_dir.usable',
  'kafka.quorum.high_watermark',
  'kafka.quorum.voter.lag',
  'kafka.quorum.voter.fetch_age',
]);
/** Seconds since a message was written: compared with the truth at each snapshot's time. */
const TIME_LAG = new Set(['kafka.consumer_group.time_lag', 'kafka.consumer_group.time_lag_max']);

/** The time lag of the scene's group at `snapshot`: the age of the message at the commit. */
const trueTimeLag = (scene: Scene, snapshot: ClusterSnapshot) =>
  (snapshot.takenAt - scene.stamps[COMMITTED]!) / 1000;

/**
 * Checks that `actual` exports exactly the cluster series of `reference` except those of the
 * `lost` metrics, with the same values (moving ones: any number; time lag: the truth at its
 * own snapshot).
 */
function expectSeriesOfReference(
  actual: Collection,
  reference: Collection,
  lost: readonly string[],
  scene: Scene,
): void {
  const nameOf = (key: string) => key.slice(0, key.indexOf('{'));
  const expected = [...seriesOf(reference, (name) => !isSelfMetric(name) && !lost.includes(name))]
    .map(([key, value]): [string, unknown] => {
      const name = nameOf(key);
      if (MOVING.has(name)) return [key, expect.any(Number)];
      if (TIME_LAG.has(name)) return [key, trueTimeLag(scene, actual.snapshot)];
      return [key, value];
    })
    .sort(([a], [b]) => a.localeCompare(b));
  const exported = [...seriesOf(actual, (name) => !isSelfMetric(name))].sort(([a], [b]) =>
    a.localeCompare(b),
  );
  expect(exported).toEqual(expected);
}

/** The collector's own series: up, scrape errors, late results, time-lag sources, snapshots. */
function selfSeries(collection: Collection): Record<string, number> {
  return Object.fromEntries(seriesOf(collection, isSelfMetric));
}

/** What a snapshot without faults exports for the scene: the baseline of every comparison. */
async function referenceOf(scene: Scene): Promise<Collection> {
  const warnings: string[] = [];
  const reference = await collect(collectorOf(scene, { warn: (line) => warnings.push(line) }));
  expect(reference.snapshot.errors).toEqual([]);
  expect(warnings).toEqual([]);
  // The scene as the test made it: exact where the test decided the value.
  const { topic, groupId } = scene;
  const partition = `partition=0,topic=${topic}`;
  const group = `group=${groupId}`;
  const known: Record<string, number> = {
    'kafka.brokers{}': 1,
    [`kafka.topic.partitions{topic=${topic}}`]: 1,
    [`kafka.partition.current_offset{${partition}}`]: MESSAGES,
    [`kafka.partition.oldest_offset{${partition}}`]: 0,
    [`kafka.partition.leader{${partition}}`]: 1,
    [`kafka.partition.under_min_isr{${partition}}`]: 0,
    'kafka.cluster.partitions.under_min_isr{}': 0,
    'kafka.quorum.leader{}': 1,
    [`kafka.consumer_group.members{${group}}`]: 0,
    [`kafka.consumer_group.state{${group},state=Empty}`]: 1,
    [`kafka.consumer_group.offset{${group},${partition}}`]: COMMITTED,
    [`kafka.consumer_group.lag{${group},${partition}}`]: MESSAGES - COMMITTED,
    [`kafka.consumer_group.lag_sum{${group},topic=${topic}}`]: MESSAGES - COMMITTED,
    [`kafka.consumer_group.time_lag{${group},${partition}}`]: trueTimeLag(
      scene,
      reference.snapshot,
    ),
    'kafka.collector.up{}': 1,
    'kafka.collector.time_lag.reads{}': 1,
  };
  const series = seriesOf(reference, () => true);
  expect(Object.fromEntries(Object.keys(known).map((key) => [key, series.get(key)]))).toEqual(
    known,
  );
  return reference;
}

/** `NAME (code)`: an error code as the collector's messages name it. */
const coded = (name: string) => `${name} (${errorCodeNamed(name)})`;

/** What the tests know when they spell out an error message. */
interface MessageContext {
  /** `host:port` of the broker, as Metadata names it. */
  address: string;
  topic: string;
  groupId: string;
  /** The requests the fault hit. */
  hits: RequestHeader[];
}

/** One phase failing on its own, and everything the collector must then say and export. */
interface PhaseFailure {
  /** Test title: what fails, and how. */
  title: string;
  apiKey: number;
  fault: (scene: Scene) => Fault;
  phase: SnapshotPhase;
  /** The broker the failed request went to, when the phase asked one broker in particular. */
  broker: number | undefined;
  errorType: string;
  /** Requests of `apiKey` the fault hits in the one snapshot (each failing call is one error). */
  requests: number;
  message: (context: MessageContext) => string;
  /** Metrics the phase feeds: none of their series is exported while it fails. */
  lost: readonly string[];
  /** `kafka.collector.time_lag.reads` of the failed snapshot (a read that fails was asked). */
  timeLagReads: number;
}

const CONSUMER_GROUP_OFFSETS = [
  'kafka.consumer_group.offset',
  'kafka.consumer_group.offset_sum',
  'kafka.consumer_group.lag',
  'kafka.consumer_group.lag_sum',
  'kafka.consumer_group.lag_max',
  'kafka.consumer_group.time_lag',
  'kafka.consumer_group.time_lag_max',
  'kafka.consumer_group.status',
];
const CONSUMER_GROUP = [
  'kafka.consumer_group.members',
  'kafka.consumer_group.state',
  ...CONSUMER_GROUP_OFFSETS,
];
/** What ListOffsets feeds: the partitions' offsets, and the group lag measured against them. */
const OFFSETS = [
  'kafka.partition.current_offset',
  'kafka.partition.oldest_offset',
  'kafka.consumer_group.lag',
  'kafka.consumer_group.lag_sum',
  'kafka.consumer_group.lag_max',
  'kafka.consumer_group.time_lag',
  'kafka.consumer_group.time_lag_max',
  'kafka.consumer_group.status',
];
/** What DescribeConfigs feeds: min.insync.replicas, per partition and summed over the cluster. */
const MIN_ISR = ['kafka.partition.under_min_isr', 'kafka.cluster.partitions.under_min_isr'];
const QUORUM = [
  'kafka.quorum.leader',
  'kafka.quorum.epoch',
  'kafka.quorum.high_watermark',
  'kafka.quorum.voter.lag',
  'kafka.quorum.voter.fetch_age',
];
const versionOf = (hits: RequestHeader[]) => hits[0]!.apiVersion;

/** What the collector says of an answer cut short (`cutShort`) to an API of node 1. */
const cutShortMessage =
  (api: string): PhaseFailure['message'] =>
  ({ address, hits }) =>
    `${api} to node 1 at ${address} failed (decode): Cannot decode ${api} ` +
    `v${versionOf(hits)} response at byte 0: truncated: needs 4 more byte(s), 0 left`;

const FAILURES: PhaseFailure[] = [
  {
    title: 'offsets: ListOffsets answered cut short',
    apiKey: LIST_OFFSETS_API.key,
    fault: () => ({ kind: 'answer', answer: cutShort }),
    phase: 'offsets',
    broker: 1,
    errorType: 'decode',
    // Earliest and latest of the partition: two requests, one failed call to the leader.
    requests: 2,
    message: cutShortMessage('ListOffsets'),
    lost: OFFSETS,
    timeLagReads: 0,
  },
  {
    title: 'offsets: ListOffsets answers the partition NOT_LEADER_OR_FOLLOWER',
    apiKey: LIST_OFFSETS_API.key,
    fault: ({ topic }) => ({ kind: 'answer', answer: offsetsNotLeaderFor(topic) }),
    phase: 'offsets',
    broker: 1,
    errorType: 'error_response',
    // Earliest and latest both answered with the error: one error for the one partition.
    requests: 2,
    message: ({ topic }) =>
      `ListOffsets to node 1: ${topic} partition 0: ${coded('NOT_LEADER_OR_FOLLOWER')}`,
    lost: OFFSETS,
    timeLagReads: 0,
  },
  {
    title: 'configs: DescribeConfigs never answered',
    apiKey: DESCRIBE_CONFIGS_API.key,
    fault: () => ({ kind: 'silence' }),
    phase: 'configs',
    broker: undefined,
    errorType: 'timeout',
    requests: 1,
    message: ({ address, hits }) =>
      `DescribeConfigs failed (timeout): no broker answered (1 tried: ${address} timeout: ` +
      `Request DescribeConfigs(key: ${DESCRIBE_CONFIGS_API.key}, version: ${versionOf(hits)}) timed out)`,
    lost: MIN_ISR,
    timeLagReads: 1,
  },
  {
    title: 'configs: DescribeConfigs refuses the topic (TOPIC_AUTHORIZATION_FAILED)',
    apiKey: DESCRIBE_CONFIGS_API.key,
    fault: ({ topic }) => ({ kind: 'answer', answer: configsRefusedFor(topic) }),
    phase: 'configs',
    broker: undefined,
    errorType: 'error_response',
    requests: 1,
    message: ({ topic }) =>
      `DescribeConfigs for topic ${topic}: ${coded('TOPIC_AUTHORIZATION_FAILED')}: ${CONFIGS_REFUSAL}`,
    lost: MIN_ISR,
    timeLagReads: 1,
  },
  {
    title: 'log_dirs: DescribeLogDirs refused (CLUSTER_AUTHORIZATION_FAILED)',
    apiKey: DESCRIBE_LOG_DIRS_API.key,
    fault: () => ({ kind: 'answer', answer: logDirsRefused }),
    phase: 'log_dirs',
    broker: 1,
    errorType: 'error_response',
    requests: 1,
    message: ({ address }) =>
      `DescribeLogDirs to node 1 at ${address} failed (error_response): ` +
      coded('CLUSTER_AUTHORIZATION_FAILED'),
    lost: [
      'kafka.partition.size',
      'kafka.topic.size',
      'kafka.broker.log_dir.size',
      'kafka.broker.log_dir.total',
      'kafka.broker.log_dir.usable',
    ],
    timeLagReads: 1,
  },
  {
    title: 'quorum: DescribeQuorum refused (CLUSTER_AUTHORIZATION_FAILED)',
    apiKey: DESCRIBE_QUORUM_API.key,
    fault: () => ({ kind: 'answer', answer: quorumRefused }),
    phase: 'quorum',
    broker: undefined,
    errorType: 'error_response',
    requests: 1,
    message: ({ address, hits }) =>
      `DescribeQuorum to node 1 at ${address} failed (error_response): ` +
      `${coded('CLUSTER_AUTHORIZATION_FAILED')}${versionOf(hits) >= 2 ? `: ${QUORUM_REFUSAL}` : ''}`,
    lost: QUORUM,
    timeLagReads: 1,
  },
  {
    title: 'quorum: DescribeQuorum answers its partition NOT_LEADER_OR_FOLLOWER',
    apiKey: DESCRIBE_QUORUM_API.key,
    fault: () => ({ kind: 'answer', answer: quorumNotLeader }),
    phase: 'quorum',
    broker: undefined,
    errorType: 'error_response',
    requests: 1,
    message: ({ address, hits }) =>
      `DescribeQuorum to node 1 at ${address} failed (error_response): ` +
      `${coded('NOT_LEADER_OR_FOLLOWER')}${versionOf(hits) >= 2 ? `: ${QUORUM_NOT_LEADER}` : ''}`,
    lost: QUORUM,
    timeLagReads: 1,
  },
  {
    title: 'groups: ListGroups never answered',
    apiKey: LIST_GROUPS_API.key,
    fault: () => ({ kind: 'silence' }),
    phase: 'groups',
    broker: 1,
    errorType: 'timeout',
    requests: 1,
    message: ({ address, hits }) =>
      `ListGroups to node 1 at ${address} failed (timeout): ` +
      `Request ListGroups(key: ${LIST_GROUPS_API.key}, version: ${versionOf(hits)}) timed out`,
    lost: CONSUMER_GROUP,
    timeLagReads: 0,
  },
  {
    title: 'groups: ListGroups answered while the coordinator loads (COORDINATOR_LOAD_IN_PROGRESS)',
    apiKey: LIST_GROUPS_API.key,
    fault: () => ({ kind: 'answer', answer: groupsLoading }),
    phase: 'groups',
    broker: 1,
    errorType: 'error_response',
    requests: 1,
    message: () =>
      `ListGroups to node 1: ${coded('COORDINATOR_LOAD_IN_PROGRESS')}, ` +
      'the group list may be partial',
    lost: CONSUMER_GROUP,
    timeLagReads: 0,
  },
  {
    title: 'groups: FindCoordinator finds no coordinator (COORDINATOR_NOT_AVAILABLE)',
    apiKey: FIND_COORDINATOR_API.key,
    fault: ({ groupId }) => ({ kind: 'answer', answer: noCoordinatorFor(groupId) }),
    phase: 'groups',
    broker: undefined,
    errorType: 'error_response',
    requests: 1,
    message: ({ groupId }) =>
      `no coordinator for group ${groupId}: ${coded('COORDINATOR_NOT_AVAILABLE')}: ` +
      NO_COORDINATOR,
    lost: CONSUMER_GROUP,
    timeLagReads: 0,
  },
  {
    title: 'groups: DescribeGroups answered cut short',
    apiKey: DESCRIBE_GROUPS_API.key,
    fault: () => ({ kind: 'answer', answer: cutShort }),
    phase: 'groups',
    broker: 1,
    errorType: 'decode',
    requests: 1,
    message: cutShortMessage('DescribeGroups'),
    // The state falls back to ListGroups', offsets come from OffsetFetch; the member count is
    // unknown (not 0).
    lost: ['kafka.consumer_group.members'],
    timeLagReads: 1,
  },
  {
    title: 'groups: DescribeGroups answers the group COORDINATOR_LOAD_IN_PROGRESS',
    apiKey: DESCRIBE_GROUPS_API.key,
    fault: ({ groupId }) => ({ kind: 'answer', answer: groupLoadingFor(groupId) }),
    phase: 'groups',
    broker: 1,
    errorType: 'error_response',
    requests: 1,
    message: ({ groupId }) =>
      `DescribeGroups to node 1: group ${groupId}: ${coded('COORDINATOR_LOAD_IN_PROGRESS')}`,
    lost: ['kafka.consumer_group.members'],
    timeLagReads: 1,
  },
  {
    title: 'group_offsets: OffsetFetch answered cut short',
    apiKey: OFFSET_FETCH_API.key,
    fault: () => ({ kind: 'answer', answer: cutShort }),
    phase: 'group_offsets',
    broker: 1,
    errorType: 'decode',
    requests: 1,
    message: cutShortMessage('OffsetFetch'),
    lost: CONSUMER_GROUP_OFFSETS,
    timeLagReads: 0,
  },
  {
    title: 'group_offsets: OffsetFetch refuses the group (GROUP_AUTHORIZATION_FAILED)',
    apiKey: OFFSET_FETCH_API.key,
    fault: ({ groupId }) => ({ kind: 'answer', answer: offsetsRefusedFor(groupId) }),
    phase: 'group_offsets',
    broker: 1,
    errorType: 'error_response',
    requests: 1,
    message: ({ groupId }) => `group ${groupId}: ${coded('GROUP_AUTHORIZATION_FAILED')}`,
    lost: CONSUMER_GROUP_OFFSETS,
    timeLagReads: 0,
  },
  {
    title: 'time_lag: the connection reset under the Fetch',
    apiKey: FETCH_API.key,
    fault: () => ({ kind: 'reset' }),
    phase: 'time_lag',
    broker: 1,
    errorType: 'connection',
    requests: 1,
    message: ({ address }) => `Fetch to node 1 at ${address} failed (connection): read ECONNRESET`,
    // Nothing to interpolate from in a collector's first snapshot: unknown, not exported.
    lost: ['kafka.consumer_group.time_lag', 'kafka.consumer_group.time_lag_max'],
    timeLagReads: 1,
  },
];

describe('a scrape error in each phase after Metadata, on the real broker', () => {
  // One test per failure, named by its whole title (it.each would cut it short), so that
  // `-t` can pick any one.
  for (const failure of FAILURES) {
    it(failure.title, async () => {
      const scene = sharedScene;
      const reference = await referenceOf(scene);
      for (const name of failure.lost) {
        // The reference exports what the failure must take away, else its absence proves nothing.
        expect([...seriesOf(reference, (n) => n === name).keys()], name).not.toEqual([]);
      }
      const { host, port } = reference.snapshot.brokers[0]!;
      const address = `${host}:${port}`;

      const faults = new FaultInjectingSockets();
      const fault = failure.fault(scene);
      faults.inject(failure.apiKey, fault);
      const warnings: string[] = [];
      const collector = collectorOf(scene, {
        socketFactory: faults.socketFactory,
        ...(fault.kind === 'silence' ? { requestTimeout: SILENCE_TIMEOUT_MS } : {}),
        warn: (line) => warnings.push(line),
      });

      const failed = await collect(collector);
      const timeLagLost = failure.lost.includes('kafka.consumer_group.time_lag');
      const hits = faults.hits(failure.apiKey);
      expect(hits).toHaveLength(failure.requests);
      const message = failure.message({
        address,
        topic: scene.topic,
        groupId: scene.groupId,
        hits,
      });
      expect(failed.snapshot.errors).toEqual([
        {
          phase: failure.phase,
          ...(failure.broker === undefined ? {} : { broker: failure.broker }),
          errorType: failure.errorType,
          message,
        },
      ]);
      expect(selfSeries(failed)).toEqual({
        'kafka.collector.up{}': 0,
        [`kafka.collector.scrape.errors{error.type=${failure.errorType},phase=${failure.phase}}`]: 1,
        'kafka.collector.scrape.duration{}': 1,
        'kafka.collector.series.dropped{}': 0,
        'kafka.collector.time_lag.reads{}': failure.timeLagReads,
        'kafka.collector.time_lag.partitions{source=log}': timeLagLost ? 0 : 1,
        'kafka.collector.time_lag.partitions{source=interpolated}': 0,
      });
      expectSeriesOfReference(failed, reference, failure.lost, scene);
      expect(warnings).toEqual([
        `cluster snapshot of ${brokers.join(',')} incomplete (${failure.phase}, ` +
          `${failure.errorType}: ${message}); kafka.collector.up=0, retrying every collection`,
      ]);

      // The fault gone, the next snapshot is whole again; the error stays counted, once.
      faults.clear();
      const recovered = await collect(collector);
      expect(faults.hits(failure.apiKey)).toHaveLength(failure.requests);
      expect(recovered.snapshot.errors).toEqual([]);
      expect(selfSeries(recovered)).toEqual({
        'kafka.collector.up{}': 1,
        [`kafka.collector.scrape.errors{error.type=${failure.errorType},phase=${failure.phase}}`]: 1,
        'kafka.collector.scrape.duration{}': 2,
        'kafka.collector.series.dropped{}': 0,
        // Read now where the failed snapshot could not; else known from it, not read again.
        'kafka.collector.time_lag.reads{}': timeLagLost ? 1 : 0,
        'kafka.collector.time_lag.partitions{source=log}': 1,
        'kafka.collector.time_lag.partitions{source=interpolated}': 0,
      });
      expectSeriesOfReference(recovered, reference, [], scene);
      expect(warnings.slice(1)).toEqual([
        `cluster snapshot of ${brokers.join(',')} complete again`,
      ]);
    });
  }
});
