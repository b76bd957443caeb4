/**
 * The three-node cluster from the launcher behaves like a real KRaft cluster: three brokers,
 * a node can be stopped and started again with the CLI, and RF 3 topics keep working.
 */
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clusterStatus, describeBrokerIds } from '../../scripts/local-kafka';
import { createTestKafka, testProducerConfig } from '../support/kafka-client';
import { brokersLine, runLocalKafkaCli } from '../support/local-kafka-cli';
import { randomGroup, randomTopic } from '../support/names';
import { ReceivedMessages } from '../support/received-messages';
import { createTopicAndWait } from '../support/topics';
import { waitFor } from '../support/wait-for';

const brokers = inject('kafkaBrokers');
const cluster = inject('localKafkaCluster') ?? 'test3';
const jolokiaUrls = inject('jolokiaUrls');

let admin: Admin;

beforeAll(async () => {
  admin = createTestKafka().admin();
  await admin.connect();
});

afterAll(async () => {
  await admin.disconnect();
});

/** Broker ids of a fresh metadata request, so a stale connection cannot hide a change. */
async function liveBrokerIds(): Promise<number[]> {
  return (await describeBrokerIds(brokers)).ids;
}

describe('three-node local cluster', () => {
  it('lists three brokers and a controller among them', async () => {
    const described = await admin.describeCluster();
    expect(described.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
    expect(described.brokers.map((b) => `${b.host}:${b.port}`).sort()).toEqual([...brokers].sort());
    expect([1, 2, 3]).toContain(described.controller);
    expect(described.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('stops node 2, shows it down, and brings it back with start --node 2', async () => {
    const stopped = await runLocalKafkaCli(['stop', '--cluster', cluster, '--node', '2']);
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toMatch(/node 2: (stopped|killed)/);

    const down = await runLocalKafkaCli(['status', '--cluster', cluster]);
    expect(down.code).toBe(3);
    expect(down.stdout).toMatch(/node 1 {2}up /);
    expect(down.stdout).toMatch(/node 2 {2}down/);
    expect(down.stdout).toMatch(/node 3 {2}up /);
    expect(brokersLine(down.stdout)).toEqual([brokers[0], brokers[2]]);

    await waitFor(async () => (await liveBrokerIds()).join(',') === '1,3', {
      timeoutMs: 60_000,
      intervalMs: 250,
      description: 'describeCluster to list brokers 1 and 3 only',
    });

    const started = await runLocalKafkaCli(['start', '--cluster', cluster, '--node', '2']);
    expect(started.stderr).toContain('node(s) 2 started');
    expect(started.code).toBe(0);
    expect(brokersLine(started.stdout)).toEqual(brokers);
    // start waits for describeCluster itself, so all three are listed right away.
    expect(await liveBrokerIds()).toEqual([1, 2, 3]);

    const up = await runLocalKafkaCli(['status', '--cluster', cluster]);
    expect(up.code).toBe(0);
    expect(up.stdout.match(/ up /g)).toHaveLength(3);
  });

  it('produces and consumes through a topic replicated to all three nodes', async () => {
    const kafka = createTestKafka();
    const topic = randomTopic('rf3');
    await createTopicAndWait(admin, { topic, numPartitions: 3, replicationFactor: 3 });
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(topics[0]?.partitions).toHaveLength(3);
    for (const partition of topics[0]?.partitions ?? []) {
      expect([...partition.replicas].sort()).toEqual([1, 2, 3]);
      expect([...partition.isr].sort()).toEqual([1, 2, 3]);
    }

    const producer = kafka.producer(testProducerConfig);
    const consumer = kafka.consumer({ groupId: randomGroup('rf3'), maxWaitTimeInMs: 250 });
    try {
      await producer.connect();
      const sent = Array.from({ length: 30 }, (_, i) => ({
        key: `k${String(i).padStart(2, '0')}`,
        value: `v${i}`,
      }));
      // acks=all with min.insync.replicas=2: every write is on at least two nodes.
      await producer.send({ topic, acks: -1, messages: sent });
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0)).toBe(sent.length);

      const received = new ReceivedMessages();
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: received.onMessage });
      await waitFor(() => received.size >= sent.length, {
        timeoutMs: 60_000,
        description: `${sent.length} messages on ${topic}`,
      });
      expect(received.distinct().map(({ key, value }) => ({ key, value }))).toEqual(sent);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });

  it('runs a Jolokia agent on every node (--jmx), each at BASE+60+N-1 and answering as that node', async () => {
    const kafkaVersion = clusterStatus({ cluster })?.kafkaVersion;
    expect(jolokiaUrls).toEqual(
      brokers.map((b) => `http://127.0.0.1:${Number(b.split(':')[1]) + 60}/jolokia/`),
    );
    for (const [index, url] of jolokiaUrls.entries()) {
      const version = (await (await fetch(`${url}version`)).json()) as {
        status: number;
        value: { agent: string };
      };
      expect(version.status).toBe(200);
      expect(version.value.agent).toBe('2.6.0');
      // The broker registers kafka.server:type=app-info,id=<node id>: this agent is node N's.
      const nodeId = index + 1;
      const own = (await (
        await fetch(`${url}read/kafka.server:type=app-info,id=${nodeId}/Version`)
      ).json()) as { status: number; value: string };
      expect(own).toMatchObject({ status: 200, value: kafkaVersion });
      const other = (await (
        await fetch(`${url}read/kafka.server:type=app-info,id=${(nodeId % 3) + 1}/Version`)
      ).json()) as { status: number; error_type: string };
      expect(other).toMatchObject({
        status: 404,
        error_type: 'javax.management.InstanceNotFoundException',
      });
    }
    const status = await runLocalKafkaCli(['status', '--cluster', cluster]);
    expect(status.stdout.split('\n')).toContain(`KAFKA_JOLOKIA_URLS=${jolokiaUrls.join(',')}`);
  });
});
