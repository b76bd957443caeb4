/**
 * Issue 5, e2e 3: the standalone exporter, `kafka-otel collect --brokers ... --prometheus-port N`,
 * scraped directly by the stack's Prometheus. The test sets up a topic with known partitions
 * and a group that committed K of the M messages, and finds exactly those replica and lag
 * values through Prometheus's HTTP API.
 */
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freeSidePort, setScrapeTargets } from '../../scripts/otel-stack';
import { createTestKafka, testProducerConfig } from '../support/kafka-client';
import { randomGroup, randomTopic } from '../support/names';
import { promQuery, promTargets, promValue } from '../support/otel-stack-queries';
import '../support/otel-stack-context';
import { createTopicAndWait } from '../support/topics';
import { waitFor } from '../support/wait-for';
import { stopAll } from './support/child-process';
import { startCollectExporter, type CollectExporter } from './support/collect-process';

const stack = inject('otelStack');
const brokers = inject('kafkaBrokers');
const JOB = 'kafka-otel-collect';

/** Messages written to each partition, and the offset the group committed on each. */
const WRITTEN = [4, 3, 5];
const COMMITTED = [4, 1, 0];
const M = WRITTEN.reduce((a, b) => a + b, 0);
const K = COMMITTED.reduce((a, b) => a + b, 0);

describe('kafka-otel collect scraped by Prometheus', () => {
  const topic = randomTopic('e2e-collected');
  const group = randomGroup('e2e-collected-group');
  const processes: CollectExporter[] = [];
  let admin: Admin;

  beforeAll(async () => {
    const kafka = createTestKafka();
    admin = kafka.admin();
    await admin.connect();
    await createTopicAndWait(admin, { topic, numPartitions: WRITTEN.length, replicationFactor: 1 });
    const producer = kafka.producer(testProducerConfig);
    await producer.connect();
    await producer.send({
      topic,
      messages: WRITTEN.flatMap((count, partition) =>
        Array.from({ length: count }, (_, i) => ({ partition, value: `p${partition}-${i}` })),
      ),
    });
    await producer.disconnect();
    // A group with committed offsets and no members: what a stopped consumer leaves behind.
    await admin.setOffsets({
      groupId: group,
      topic,
      partitions: COMMITTED.map((offset, partition) => ({ partition, offset: String(offset) })),
    });

    const exporter = await startCollectExporter({
      brokers,
      port: await freeSidePort(),
      topics: topic,
      groups: group,
    });
    processes.push(exporter);
    await setScrapeTargets([{ job: JOB, target: exporter.target }], { name: stack.name });
    await waitFor(
      async () => (await promTargets(stack.prometheus)).find((t) => t.job === JOB)?.health === 'up',
      {
        timeoutMs: 30_000,
        intervalMs: 250,
        description: `Prometheus to scrape ${exporter.target}`,
      },
    );
  });

  afterAll(async () => {
    await setScrapeTargets([], { name: stack.name }).catch(() => undefined);
    await stopAll(processes);
    await admin?.disconnect();
  });

  /** Per-partition values of a gauge for the test's topic (and group), keyed by partition. */
  async function byPartition(metric: string, extra = ''): Promise<Record<string, number>> {
    const samples = await promQuery(
      stack.prometheus,
      `${metric}{job="${JOB}", topic="${topic}"${extra}}`,
    );
    return Object.fromEntries(samples.map((s) => [s.labels.partition ?? '?', s.value]));
  }

  const perPartition = (values: number[]): Record<string, number> =>
    Object.fromEntries(values.map((v, partition) => [String(partition), v]));

  it('reports the topic layout and the replicas of each partition', async () => {
    await waitFor(
      async () =>
        (await promValue(
          stack.prometheus,
          `kafka_topic_partitions{job="${JOB}", topic="${topic}"}`,
        )) === 3,
      { timeoutMs: 30_000, intervalMs: 500, description: `kafka_topic_partitions of ${topic} = 3` },
    );
    // One broker: every partition has one replica, in sync, led by it.
    expect(await byPartition('kafka_partition_replicas')).toEqual(perPartition([1, 1, 1]));
    expect(await byPartition('kafka_partition_replicas_in_sync')).toEqual(perPartition([1, 1, 1]));
    expect(await byPartition('kafka_partition_under_replicated')).toEqual(perPartition([0, 0, 0]));
    expect(await byPartition('kafka_partition_current_offset')).toEqual(perPartition(WRITTEN));
  });

  it('reports the lag the group left: written minus committed, per partition and summed', async () => {
    const lag = `, group="${group}"`;
    await waitFor(
      async () => {
        const values = await byPartition('kafka_consumer_group_lag', lag);
        expect(values).toEqual(perPartition(WRITTEN.map((w, p) => w - (COMMITTED[p] ?? 0))));
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'kafka_consumer_group_lag per partition' },
    );
    expect(await byPartition('kafka_consumer_group_offset', lag)).toEqual(perPartition(COMMITTED));
    expect(
      await promValue(
        stack.prometheus,
        `kafka_consumer_group_lag_sum{job="${JOB}", group="${group}", topic="${topic}"}`,
      ),
    ).toBe(M - K);
  });
});
