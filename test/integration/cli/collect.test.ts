/**
 * `kafka-otel collect`, the built CLI, against the real Kafka of the integration suite: the
 * numbers it serves are checked against what the test set up; a closed port keeps it serving
 * `up` 0; SIGTERM ends it with exit code 0 after a last export.
 */
import { IDEMPOTENT_PRODUCER } from '../../support/producer-options';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { injectedBrokers } from '../../support/kafka-client';
import { randomGroup, randomTopic } from '../../support/names';
import { occupyPort } from '../../support/ports';
import { createTopicAndWait } from '../../support/topics';
import { waitFor } from '../../support/wait-for';
import { ensureBuilt } from '../../support/built-package';
import { OtlpReceiver } from '../register/support/otlp-receiver';
import { scrape, total, type Sample } from '../register/support/prometheus-text';
import { servingUrl } from '../register/support/short-job';
import { SpawnedProcess } from '../register/support/spawned-process';

const brokers = injectedBrokers();
const kafka = new Kafka({ clientId: 'collect-test', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const producer = kafka.producer(IDEMPOTENT_PRODUCER);
const running: SpawnedProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  await Promise.all([admin.connect(), producer.connect()]);
}, 120_000);
afterEach(() => running.splice(0).forEach((p) => p.kill()));
afterAll(async () => {
  await Promise.all([admin.disconnect(), producer.disconnect()]);
});

function collect(args: string[], env: Record<string, string> = {}): SpawnedProcess {
  const cli = new SpawnedProcess(['dist/cjs/cli.js', 'collect', ...args], env);
  running.push(cli);
  return cli;
}

/** The /metrics URL the CLI printed once it listened (it was started on port 0). */
async function metricsUrl(cli: SpawnedProcess): Promise<string> {
  return waitFor(() => servingUrl(cli), { description: 'the serving line on stderr' });
}

/** A topic of three partitions with 12 messages in partition 0, and a group that committed 4. */
async function setUpLaggingGroup() {
  const topic = randomTopic('collect');
  const group = randomGroup('collect');
  await createTopicAndWait(admin, { topic, numPartitions: 3 });
  await producer.send({
    topic,
    messages: Array.from({ length: 12 }, (_, i) => ({ value: `m${i}`, partition: 0 })),
  });
  await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '4' }] });
  return { topic, group };
}

describe('kafka-otel collect', () => {
  it('serves brokers, partitions and lag matching the cluster, and exits 0 on SIGTERM', async () => {
    const { topic, group } = await setUpLaggingGroup();
    const cli = collect(
      [
        `--brokers=${brokers.join(',')}`,
        '--prometheus-host',
        '127.0.0.1',
        '--prometheus-port',
        '0',
        '--interval',
        '1s',
        '--groups',
        group,
      ],
      { KAFKA_OTEL_TOPICS: topic },
    );
    const url = await metricsUrl(cli);
    const metrics: Sample[] = await waitFor(
      async () => {
        const samples = await scrape(url);
        return total(samples, 'kafka_consumer_group_lag', { group, topic, partition: '0' }) === 8
          ? samples
          : undefined;
      },
      { description: 'lag 8 on partition 0' },
    );
    expect(total(metrics, 'kafka_collector_up')).toBe(1);
    expect(total(metrics, 'kafka_brokers')).toBe(1);
    expect(total(metrics, 'kafka_topic_partitions', { topic })).toBe(3);
    expect(total(metrics, 'kafka_partition_current_offset', { topic, partition: '0' })).toBe(12);
    expect(total(metrics, 'kafka_consumer_group_lag_sum', { group, topic })).toBe(8);
    // --topics / --groups filter: nothing else is reported.
    expect(new Set(metrics.filter((s) => s.labels.topic).map((s) => s.labels.topic))).toEqual(
      new Set([topic]),
    );
    expect(new Set(metrics.filter((s) => s.labels.group).map((s) => s.labels.group))).toEqual(
      new Set([group]),
    );

    expect(await cli.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(cli.stderr).toContain('kafka-otel collect: stopped');
  });

  it('keeps serving up = 0 and retrying when the cluster is unreachable', async () => {
    const closed = await occupyPort(0);
    await closed.close();
    const cli = collect([
      '--brokers',
      `127.0.0.1:${closed.port}`,
      '--prometheus-host=127.0.0.1',
      '--prometheus-port=0',
      '--interval=1s',
    ]);
    const url = await metricsUrl(cli);
    expect(total(await scrape(url), 'kafka_collector_up')).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const later = await scrape(url);
    expect(total(later, 'kafka_collector_up')).toBe(0);
    expect(
      total(later, 'kafka_collector_scrape_errors_total', { phase: 'metadata' }),
    ).toBeGreaterThanOrEqual(2);
    expect(cli.child.exitCode).toBeNull();
    // One warning for the outage, not one per collection.
    expect(cli.stderr.match(/incomplete/g)).toHaveLength(1);
    expect(await cli.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('pushes OTLP every --interval to --otlp-endpoint', async () => {
    const receiver = new OtlpReceiver();
    const base = await receiver.start();
    try {
      const cli = collect(['--otlp-endpoint', base, '--otlp-protocol', 'http/json'], {
        KAFKA_OTEL_BROKERS: brokers.join(','),
        KAFKA_OTEL_INTERVAL: '1s',
        // The flag decides the mode: this variable is then ignored, not a conflict.
        KAFKA_OTEL_PROMETHEUS_PORT: '9',
        OTEL_SERVICE_NAME: 'collect-otlp-test',
      });
      const pushes = () => receiver.points.filter((p) => p.metric === 'kafka.brokers');
      await waitFor(() => pushes().length >= 2, { description: 'two periodic pushes' });
      expect(pushes()[0]).toMatchObject({
        value: 1,
        resource: { 'service.name': 'collect-otlp-test' },
      });
      expect(cli.stderr).toContain(`pushing OTLP (http/json) to ${base}/v1/metrics every 1s`);
      expect(await cli.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    } finally {
      await receiver.stop();
    }
  });

  it('pushes once more on SIGTERM, with lag matching the cluster', async () => {
    const { topic, group } = await setUpLaggingGroup();
    const receiver = new OtlpReceiver();
    const base = await receiver.start();
    try {
      // A one-minute interval: the only push within this test is the one on SIGTERM.
      const cli = collect([
        `--brokers=${brokers.join(',')}`,
        `--otlp-endpoint=${base}`,
        '--otlp-protocol=http/json',
        '--interval=1m',
        `--topics=${topic}`,
        `--groups=${group}`,
      ]);
      await waitFor(() => cli.stderr.includes('pushing OTLP'), { description: 'start line' });
      expect(receiver.points).toEqual([]);
      expect(await cli.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      const lag = receiver.points.filter((p) => p.metric === 'kafka.consumer_group.lag');
      expect(lag).toEqual([
        expect.objectContaining({ attributes: { group, topic, partition: 0 }, value: 8 }),
      ]);
    } finally {
      await receiver.stop();
    }
  });

  it('exits 1 with a clear message when the Prometheus port is taken', async () => {
    const taken = await occupyPort(0);
    try {
      const cli = collect([
        '--brokers=127.0.0.1:9092',
        '--prometheus-host=127.0.0.1',
        `--prometheus-port=${taken.port}`,
      ]);
      expect(await cli.exited).toEqual({ code: 1, signal: null });
      expect(cli.stderr).toContain(`cannot serve Prometheus on 127.0.0.1:${taken.port}`);
      expect(cli.stderr).toContain('EADDRINUSE');
    } finally {
      await taken.close();
    }
  });

  it('exits 2 for a bad flag, naming it', async () => {
    const cli = collect(['--brokers=127.0.0.1:9092', '--interval', '15x']);
    expect(await cli.exited).toEqual({ code: 2, signal: null });
    expect(cli.stderr).toContain("invalid --interval '15x'");
  });
});
