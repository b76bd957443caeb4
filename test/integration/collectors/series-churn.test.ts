/**
 * Exact export under churn, with a Prometheus endpoint as the reader (cumulative temporality,
 * the case where an observable gauge keeps a deleted series' last value for ever): 300 topics
 * and 300 consumer groups are created and deleted on a real broker, and the exported series
 * come back to the baseline, with no series left naming a deleted topic or group.
 */
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaClusterCollector } from '../../../src';
import { servePrometheus, type PrometheusEndpoint } from '../../../src/sdk/prometheus-endpoint';
import { createTestKafka, injectedBrokers } from '../../support/kafka-client';
import { uniqueName } from '../../support/names';
import { waitFor } from '../../support/wait-for';

const COUNT = 300;
const prefix = uniqueName('churn');
const topics = Array.from({ length: COUNT }, (_, i) => `${prefix}-topic-${i}`);
const groups = Array.from({ length: COUNT }, (_, i) => `${prefix}-group-${i}`);
const kafka = createTestKafka();
const admin = kafka.admin();
// Scoped to this file's names: other files' topics on the shared broker do not move the counts.
const collector = new KafkaClusterCollector({
  brokers: injectedBrokers(),
  topics: new RegExp(`${prefix}-.*`),
  groups: new RegExp(`${prefix}-.*`),
  minSnapshotIntervalMs: 0,
});
let endpoint: PrometheusEndpoint;
let meterProvider: MeterProvider;
let url: string;

beforeAll(async () => {
  endpoint = servePrometheus({ host: '127.0.0.1', port: 0, metricProducers: [collector] });
  meterProvider = new MeterProvider({ readers: [endpoint.reader] });
  collector.start();
  url = `http://127.0.0.1:${(await endpoint.listening).port}/metrics`;
  await admin.connect();
});
afterAll(async () => {
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
  await meterProvider.shutdown();
  await endpoint.close();
  await collector.stop();
});

/** The series of one scrape: every sample line. */
async function scrapeSeries(): Promise<string[]> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return (await response.text()).split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

const naming = (series: string[], names: readonly string[]) =>
  series.filter((line) => names.some((name) => line.includes(`"${name}"`)));

describe('series churn with a Prometheus reader', () => {
  it('returns to the baseline series count after 300 topics and groups come and go', async () => {
    const baseline = await scrapeSeries();
    expect(naming(baseline, [...topics, ...groups])).toEqual([]);

    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: 1 })),
      waitForLeaders: true,
    });
    // A group exists for the broker once it has committed offsets.
    for (let i = 0; i < COUNT; i += 25) {
      await Promise.all(
        groups.slice(i, i + 25).map((groupId, j) =>
          admin.setOffsets({
            groupId,
            topic: topics[i + j]!,
            partitions: [{ partition: 0, offset: '0' }],
          }),
        ),
      );
    }
    const full = await waitFor(
      async () => {
        const series = await scrapeSeries();
        const members = series.filter((line) => line.startsWith('kafka_consumer_group_members{'));
        const partitions = series.filter((line) => line.startsWith('kafka_topic_partitions{'));
        return members.length === COUNT && partitions.length === COUNT ? series : undefined;
      },
      { description: `${COUNT} topics and groups exported`, timeoutMs: 60_000, intervalMs: 1_000 },
    );
    // Every topic and group has its own series: far more than the baseline.
    expect(full.length).toBeGreaterThan(baseline.length + 4 * COUNT);
    await admin.deleteGroups(groups);
    await admin.deleteTopics({ topics });
    const after = await waitFor(
      async () => {
        const series = await scrapeSeries();
        return naming(series, [...topics, ...groups]).length === 0 ? series : undefined;
      },
      {
        description: 'no series naming a deleted topic or group',
        timeoutMs: 60_000,
        intervalMs: 1_000,
      },
    );
    // Same metric families as before the churn, series for series (values aside).
    const shape = (series: string[]) =>
      series.map((line) => line.slice(0, line.lastIndexOf(' '))).sort();
    expect(shape(after)).toEqual(shape(baseline));
  }, 240_000);
});
