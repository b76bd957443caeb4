/**
 * Brokers' own metrics over JMX on three real nodes, each with a Jolokia agent attached by the
 * launcher: every node reads up with its node id, per-API request counts grow by exactly the
 * requests sent, and stopping the KRaft quorum leader shows as an election in the Raft metrics
 * of the surviving nodes while the stopped node's endpoint reads up 0 with no other series.
 */
import type { MetricData } from '@opentelemetry/sdk-metrics';
import type { Admin, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startNode, stopNode } from '../../scripts/local-kafka';
import { KafkaBrokerJmxCollector } from '../../src/collectors/jmx/kafka-broker-jmx-collector';
import { createTestKafka, testProducerConfig } from '../support/kafka-client';
import { randomTopic } from '../support/names';
import { TelemetryHarness } from '../support/telemetry-harness';
import { createTopicAndWait } from '../support/topics';
import { waitFor } from '../support/wait-for';

const cluster = inject('localKafkaCluster') ?? 'test3';
/** Node N's agent is `jolokiaUrls[N - 1]` (the launcher lists them in node order). */
const jolokiaUrls = inject('jolokiaUrls');
const NODES = [1, 2, 3];

const harness = new TelemetryHarness();
const collector = new KafkaBrokerJmxCollector({
  endpoints: jolokiaUrls,
  minSnapshotIntervalMs: 0,
  warn: () => undefined,
});
const kafka = createTestKafka();
let admin: Admin;
let producer: Producer;

/** A point as `{ ...attributes, value }`. */
type SeriesPoint = Record<string, string | number | boolean | undefined> & { value: number };

/** One collection, as points per metric name. */
async function reading(): Promise<(name: string) => SeriesPoint[]> {
  const metrics: MetricData[] = await harness.metrics();
  return (name: string) =>
    (metrics.find((metric) => metric.descriptor.name === name)?.dataPoints ?? []).map((point) => ({
      ...point.attributes,
      value: point.value as number,
    }));
}

/** The value of the single point of `name` whose broker is `broker`. */
function valueOf(points: SeriesPoint[], broker: number): number | undefined {
  const matching = points.filter((point) => point.broker === broker);
  expect(matching.length).toBeLessThanOrEqual(1);
  return matching[0]?.value;
}

/** Produce requests served by all brokers together, every API version summed. */
async function produceRequests(): Promise<number> {
  const points = (await reading())('kafka.broker.request.count');
  return points
    .filter((point) => point['kafka.api.name'] === 'Produce')
    .reduce((sum, point) => sum + point.value, 0);
}

beforeAll(async () => {
  expect(jolokiaUrls).toHaveLength(3);
  harness.produceFrom(collector.start());
  admin = kafka.admin();
  producer = kafka.producer(testProducerConfig);
  await Promise.all([admin.connect(), producer.connect()]);
});
afterAll(async () => {
  await Promise.all([producer?.disconnect(), admin?.disconnect()]);
  await collector.stop();
  await harness.shutdown();
});

describe('broker JMX on three nodes', () => {
  it('reads every node up, identified by its node id, with one active controller', async () => {
    const points = await waitFor(
      async () => {
        const read = await reading();
        const active = read('kafka.broker.controller.active');
        // Right after start-up a node may not have its controller metrics yet.
        return active.length === 3 ? read : undefined;
      },
      {
        description: 'the controller metrics of three nodes',
        timeoutMs: 60_000,
        intervalMs: 1_000,
      },
    );
    expect(points('kafka.broker.jmx.up')).toEqual(
      jolokiaUrls.map((endpoint) => ({ endpoint, value: 1 })),
    );
    // Endpoint N reads node id N: the identity comes from the broker's own app-info bean.
    expect(points('kafka.broker.request.queue.size').map((point) => point.broker)).toEqual(NODES);
    expect(
      points('kafka.broker.controller.active')
        .map((point) => point.value)
        .sort(),
    ).toEqual([0, 0, 1]);
    const active = points('kafka.broker.controller.active').find((point) => point.value === 1)!;
    // Offline and global partition counts come from the active controller alone.
    expect(points('kafka.broker.controller.partitions.offline')).toEqual([
      { broker: active.broker, value: 0 },
    ]);
    expect(points('kafka.broker.jmx.skipped_values').map((point) => point.value)).toEqual([
      0, 0, 0,
    ]);
  });

  it('counts exactly the Produce requests sent, on the partition leader', async () => {
    const topic = randomTopic('broker-jmx');
    await createTopicAndWait(admin, { topic, numPartitions: 1, replicationFactor: 3 });
    // A first send brings the producer's id and metadata: what follows is one Produce each.
    await producer.send({ topic, messages: [{ value: 'warm-up' }] });
    const [partition] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions;
    const leader = partition!.leader;

    const before = await produceRequests();
    const beforeOnLeader = (await reading())('kafka.broker.request.count')
      .filter((point) => point.broker === leader && point['kafka.api.name'] === 'Produce')
      .reduce((sum, point) => sum + point.value, 0);
    const SENDS = 7;
    for (let i = 0; i < SENDS; i++) {
      await producer.send({ topic, messages: [{ value: `message ${i}` }] });
    }
    // Exact: nothing else produces on this cluster while the file runs (cluster files run one
    // at a time), brokers replicate with Fetch, and each awaited send of one message to the
    // single partition is one Produce request to its leader.
    expect((await produceRequests()) - before).toBe(SENDS);
    const read = await reading();
    const onLeader = read('kafka.broker.request.count')
      .filter((point) => point.broker === leader && point['kafka.api.name'] === 'Produce')
      .reduce((sum, point) => sum + point.value, 0);
    expect(onLeader - beforeOnLeader).toBe(SENDS);
    // The leader timed Produce requests: its total time percentiles exist, in seconds.
    const p99 = read('kafka.broker.request.total_time.p99').find(
      (point) => point.broker === leader && point['kafka.api.name'] === 'Produce',
    );
    expect(p99?.value).toBeGreaterThan(0);
    expect(p99!.value).toBeLessThan(60);
    // Followers replicate from the leader: FetchFollower time exists on the leader too.
    expect(
      read('kafka.broker.request.total_time.p50').some(
        (point) => point.broker === leader && point['kafka.api.name'] === 'FetchFollower',
      ),
    ).toBe(true);
    // Successful responses (error NONE) are not errors.
    expect(read('kafka.broker.request.errors').some((p) => p['error.type'] === 'NONE')).toBe(false);
  });

  it('shows a quorum leader election on the surviving nodes, the stopped node as up 0', async () => {
    // Before: every node agrees on the leader and the epoch.
    const agreed = await waitFor(
      async () => {
        const read = await reading();
        const leaders = NODES.map((node) => valueOf(read('kafka.raft.leader'), node));
        const epochs = NODES.map((node) => valueOf(read('kafka.raft.epoch'), node));
        const same = (values: Array<number | undefined>) =>
          values[0] !== undefined && values.every((value) => value === values[0]);
        return same(leaders) && same(epochs)
          ? { leader: leaders[0]!, epoch: epochs[0]!, read }
          : undefined;
      },
      {
        description: 'three nodes agreeing on leader and epoch',
        timeoutMs: 90_000,
        intervalMs: 1_000,
      },
    );
    const former = agreed.leader;
    expect(NODES).toContain(former);
    // One-hot state: the leader reads "leader", the others "follower".
    const states = agreed.read('kafka.raft.state').filter((point) => point.value === 1);
    expect(states.map((point) => [point.broker, point.state]).sort()).toEqual(
      NODES.map((node) => [node, node === former ? 'leader' : 'follower']),
    );
    const survivors = NODES.filter((node) => node !== former);
    const electionsBefore = survivors.map((node) =>
      valueOf(agreed.read('kafka.raft.elections'), node),
    );

    await stopNode({ cluster, node: former });
    try {
      const after = await waitFor(
        async () => {
          const read = await reading();
          const leaders = survivors.map((node) => valueOf(read('kafka.raft.leader'), node));
          const leader = leaders[0];
          if (leader === undefined || leader === former || leaders[1] !== leader) return undefined;
          // The Raft layer knows the new leader before the controller has handled the change
          // (its own event queue) and counted it: wait for that too.
          const before = electionsBefore[survivors.indexOf(leader)]!;
          return valueOf(read('kafka.raft.elections'), leader)! > before ? read : undefined;
        },
        { description: 'a new leader both survivors know', timeoutMs: 60_000, intervalMs: 1_000 },
      );
      const formerEndpoint = jolokiaUrls[former - 1];
      expect(after('kafka.broker.jmx.up').find((p) => p.endpoint === formerEndpoint)).toEqual({
        endpoint: formerEndpoint,
        value: 0,
      });
      // The stopped node has no series at all: nothing read is nothing exported.
      for (const name of ['kafka.raft.epoch', 'kafka.raft.leader', 'kafka.broker.request.count']) {
        expect(after(name).filter((point) => point.broker === former)).toEqual([]);
      }
      const newLeader = valueOf(after('kafka.raft.leader'), survivors[0]!)!;
      for (const node of survivors) {
        // Every election increases the epoch.
        expect(valueOf(after('kafka.raft.epoch'), node)).toBeGreaterThan(agreed.epoch);
        expect(
          after('kafka.raft.state').find((point) => point.broker === node && point.value === 1)
            ?.state,
        ).toBe(node === newLeader ? 'leader' : 'follower');
      }
      // The new active controller has seen exactly one more new active controller: itself.
      const leaderIndex = survivors.indexOf(newLeader);
      expect(valueOf(after('kafka.raft.elections'), newLeader)).toBe(
        electionsBefore[leaderIndex]! + 1,
      );
      expect(valueOf(after('kafka.broker.controller.active'), newLeader)).toBe(1);
    } finally {
      await startNode({ cluster, node: former });
    }
    // Back: the restarted node is read again (and later tests find three nodes).
    await waitFor(
      async () => {
        const read = await reading();
        return (
          read('kafka.broker.jmx.up').every((point) => point.value === 1) &&
          valueOf(read('kafka.raft.epoch'), former) !== undefined
        );
      },
      { description: 'the restarted node read again', timeoutMs: 90_000, intervalMs: 1_000 },
    );
  });
});
