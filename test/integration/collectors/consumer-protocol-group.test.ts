/**
 * A KIP-848 consumer group (the `consumer` rebalance protocol of Kafka 4.x) on the real broker,
 * as the cluster collector exports it. DescribeGroups does not describe such a group (it answers
 * GROUP_ID_NOT_FOUND, "not a classic group"), so its member count is unknown: no
 * `kafka.consumer_group.members` series (not a 0), and no scrape error either, since nothing
 * failed. Its state is ListGroups', its offsets and lag OffsetFetch's and ListOffsets', and its
 * lag status tells STALL (a member holds it, stuck) from STOP (nobody) by that state.
 */
import type { Attributes } from '@opentelemetry/api';
import type { DataPoint, MetricData } from '@opentelemetry/sdk-metrics';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KafkaClusterCollector } from '../../../src';
import type { ClusterSnapshot } from '../../../src/collectors/cluster-snapshot';
import { LAG_STATUSES } from '../../../src/collectors/lag/lag-status';
import { ClusterClient } from '../../../src/collectors/protocol/cluster-client';
import { ConsumerProtocolMember } from '../../support/consumer-protocol-member';
import { injectedBrokers } from '../../support/kafka-client';
import { randomGroup, randomTopic } from '../../support/names';
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { createTopicAndWait } from '../../support/topics';
import { waitFor } from '../../support/wait-for';

const brokers = injectedBrokers();
const kafka = new Kafka({
  clientId: 'consumer-protocol-group',
  brokers,
  logLevel: logLevel.NOTHING,
});
const producer = kafka.producer(IDEMPOTENT_PRODUCER);
const admin = kafka.admin();
const client = new ClusterClient({ brokers });
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  await Promise.all([producer.connect(), admin.connect()]);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await Promise.all([producer.disconnect(), admin.disconnect(), client.disconnect()]);
});

/** Messages in the topic, and the offset the group committed: 6 behind. */
const MESSAGES = 10;
const COMMITTED = 4;
/** Classic group states: the collector reports each of them, 1 for the current one. */
const CLASSIC_STATES = ['Stable', 'Empty', 'PreparingRebalance', 'CompletingRebalance', 'Dead'];

/** One collection and the snapshot it exported. */
interface Collection {
  snapshot: ClusterSnapshot;
  metrics: MetricData[];
}

async function collect(collector: KafkaClusterCollector): Promise<Collection> {
  const [snapshot, result] = await Promise.all([collector.snapshot(), collector.collect()]);
  return { snapshot, metrics: result.resourceMetrics.scopeMetrics.flatMap((s) => s.metrics) };
}

/** The points of `name` whose attributes include `where`. */
function pointsOf(
  { metrics }: Collection,
  name: string,
  where: Attributes = {},
): { attributes: Attributes; value: number }[] {
  return metrics
    .filter((metric) => metric.descriptor.name === name)
    .flatMap((metric) => metric.dataPoints as DataPoint<unknown>[])
    .filter((point) => Object.entries(where).every(([k, v]) => point.attributes[k] === v))
    .map((point) => ({ attributes: point.attributes, value: point.value as number }));
}

/** The values of the points of `name` matching `where`, by their attribute `key`. */
function valuesBy(
  collection: Collection,
  name: string,
  key: string,
  where: Attributes,
): Record<string, number> {
  return Object.fromEntries(
    pointsOf(collection, name, where).map((point) => [String(point.attributes[key]), point.value]),
  );
}

/** One series per value of `all`, 1 for `current`, 0 for the others. */
const oneHot = (all: readonly string[], current: string) =>
  Object.fromEntries(all.map((value) => [value, value === current ? 1 : 0]));

/** The group's state as ListGroups gives it, once it is `state`. */
async function untilListed(groupId: string, state: string): Promise<void> {
  await client.metadata();
  const [broker] = client.knownBrokers.keys();
  await waitFor(
    async () =>
      (await client.listGroups(broker!)).groups.some(
        (g) => g.groupId === groupId && g.type === 'consumer' && g.state === state,
      ),
    { description: `${groupId} listed as a ${state} consumer group` },
  );
}

describe('a KIP-848 consumer group', () => {
  it('is exported without a member count, STALL while a member holds it, STOP once it left', async () => {
    const [address] = brokers;
    if (!(await ConsumerProtocolMember.offeredBy(address!))) {
      // Kafka 3.9 does not offer the consumer protocol (not by default): no such group can
      // exist there. It is 3.x: DescribeGroups v5 at most, which answers an unknown group
      // `Dead` where 4.0's v6 answers GROUP_ID_NOT_FOUND.
      await client.metadata();
      const [broker] = client.knownBrokers.keys();
      const [unknown] = await client.describeGroups(broker!, [randomGroup('unknown')]);
      expect(unknown).toMatchObject({ errorCode: 0, state: 'Dead' });
      return;
    }
    const topic = randomTopic('consumer-protocol');
    const groupId = randomGroup('consumer-protocol');
    await createTopicAndWait(admin, { topic, numPartitions: 1 });
    await producer.send({
      topic,
      messages: Array.from({ length: MESSAGES }, (_, i) => ({ value: `m${i}` })),
    });
    // Committed while the group is an empty classic group; the member's join converts it to a
    // consumer group, offsets kept.
    await admin.setOffsets({
      groupId,
      topic,
      partitions: [{ partition: 0, offset: String(COMMITTED) }],
    });
    const member = await ConsumerProtocolMember.join(address!, groupId, [topic]);
    let left = false;
    cleanups.push(async () => {
      if (!left) await member.leave();
    });
    await untilListed(groupId, 'Stable');

    const warnings: string[] = [];
    const collector = new KafkaClusterCollector({
      brokers,
      topics: [topic],
      groups: [groupId],
      minSnapshotIntervalMs: 0,
      lagStatusWindow: 2,
      warn: (line) => warnings.push(line),
    }).start();
    cleanups.push(() => collector.stop());
    const group = { group: groupId };
    const partition = { ...group, topic, partition: 0 };
    const expectExported = (collection: Collection, state: string, status: string) => {
      // Complete: nothing failed, nothing is missing but what nobody asked.
      expect(collection.snapshot.errors).toEqual([]);
      expect(pointsOf(collection, 'kafka.collector.up')).toEqual([{ attributes: {}, value: 1 }]);
      expect(pointsOf(collection, 'kafka.collector.scrape.errors')).toEqual([]);
      // Unknown, so not exported: not 0, although a member holds the group.
      expect(pointsOf(collection, 'kafka.consumer_group.members', group)).toEqual([]);
      expect(collection.snapshot.groups).toMatchObject([{ groupId, state }]);
      expect(collection.snapshot.groups[0]).not.toHaveProperty('members');
      expect(valuesBy(collection, 'kafka.consumer_group.state', 'state', group)).toEqual(
        oneHot(CLASSIC_STATES, state),
      );
      expect(pointsOf(collection, 'kafka.consumer_group.offset', group)).toEqual([
        { attributes: partition, value: COMMITTED },
      ]);
      expect(pointsOf(collection, 'kafka.consumer_group.lag', group)).toEqual([
        { attributes: partition, value: MESSAGES - COMMITTED },
      ]);
      expect(valuesBy(collection, 'kafka.consumer_group.status', 'status', group)).toEqual(
        oneHot(LAG_STATUSES, status),
      );
    };

    // One observation: too few for a trend.
    expectExported(await collect(collector), 'Stable', 'OK');
    // The window of 2 is full, the offset has not moved, lag 6: the member holds it, stuck.
    expectExported(await collect(collector), 'Stable', 'STALL');
    await member.leave();
    left = true;
    await untilListed(groupId, 'Empty');
    // Nobody consumes any more.
    expectExported(await collect(collector), 'Empty', 'STOP');
    expect(warnings).toEqual([]);
  });
});
