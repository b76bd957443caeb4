/**
 * The broker JMX collector against loopback agents answering as a real Kafka 4.4 broker's
 * Jolokia 2.6 does (shapes captured from one): exact values, units, counters as monotonic sums,
 * the active controller's view only, one-hot Raft state, a down broker, hostile values.
 */
import { DataPointType, type MetricData } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { BROKER_JMX_METRIC_FAMILIES } from '../../../../src/collectors/jmx/broker-jmx-metric-families';
import {
  KafkaBrokerJmxCollector,
  type KafkaBrokerJmxCollectorOptions,
} from '../../../../src/collectors/jmx/kafka-broker-jmx-collector';
import { emittedKeys, sortedDeclaration } from '../../../support/declared-attributes';
import { TelemetryHarness } from '../../../support/telemetry-harness';
import { waitFor } from '../../../support/wait-for';
import { FakeJolokia, ok } from './fake-jolokia';

const fakes: FakeJolokia[] = [];
const collectors: KafkaBrokerJmxCollector[] = [];
const harnesses: TelemetryHarness[] = [];

afterEach(async () => {
  await Promise.all(collectors.splice(0).map((collector) => collector.stop()));
  await Promise.all(harnesses.splice(0).map((harness) => harness.shutdown()));
  await Promise.all(fakes.splice(0).map((fake) => fake.stop()));
});

/** What node `id`'s agent answers; `active` runs the active controller. */
function brokerAnswers(id: number, active: boolean): Record<string, unknown> {
  const request = (name: string, keys: string) =>
    `kafka.network:type=RequestMetrics,name=${name},${keys}`;
  return {
    'kafka.server:type=app-info,id=*': ok({
      [`kafka.server:type=app-info,id=${id}`]: { Version: '4.4.0' },
    }),
    'kafka.network:type=RequestMetrics,name=RequestsPerSec,*': ok({
      [request('RequestsPerSec', 'request=Produce,version=11')]: { Count: 40 + id },
      [request('RequestsPerSec', 'request=Produce,version=9')]: { Count: 3 },
      [request('RequestsPerSec', 'request=Metadata,version=12')]: { Count: 5 },
    }),
    'kafka.network:type=RequestMetrics,name=TotalTimeMs,*': ok({
      [request('TotalTimeMs', 'request=Produce')]: {
        Count: 43,
        '50thPercentile': 2.5,
        '99thPercentile': 120,
      },
      // Never served: a histogram with no time in it is not a time of 0 s.
      [request('TotalTimeMs', 'request=DeleteTopics')]: {
        Count: 0,
        '50thPercentile': 0,
        '99thPercentile': 0,
      },
    }),
    'kafka.network:type=RequestMetrics,name=ErrorsPerSec,*': ok({
      [request('ErrorsPerSec', 'request=Produce,error=NONE')]: { Count: 41 },
      [request('ErrorsPerSec', 'request=Produce,error=NOT_LEADER_OR_FOLLOWER')]: { Count: 2 },
    }),
    'kafka.network:type=RequestChannel,name=RequestQueueSize': ok({ Value: 1 }),
    'kafka.server:type=KafkaRequestHandlerPool,name=RequestHandlerAvgIdlePercent': ok({
      OneMinuteRate: 0.75,
    }),
    'kafka.network:type=SocketServer,name=NetworkProcessorAvgIdlePercent': ok({ Value: 0.5 }),
    'kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions': ok({ Value: id - 1 }),
    'kafka.controller:type=KafkaController,name=ActiveControllerCount': ok({
      Value: active ? 1 : 0,
    }),
    'kafka.controller:type=KafkaController,name=OfflinePartitionsCount': ok({ Value: 4 }),
    'kafka.controller:type=KafkaController,name=GlobalPartitionCount': ok({ Value: 60 }),
    'kafka.controller:type=KafkaController,name=NewActiveControllersCount': ok({ Value: 2 }),
    'kafka.server:type=raft-metrics': ok({
      'current-state': active ? 'leader' : 'follower',
      'current-leader': 1,
      'current-epoch': 7,
      'high-watermark': 900,
      'log-end-offset': 901,
      'election-latency-avg': 250,
      'election-latency-max': 400,
      'commit-latency-avg': 3,
      'commit-latency-max': 12,
      'append-records-rate': 1.5,
      'fetch-records-rate': active ? 0 : 1.5,
      'number-unknown-voter-connections': 0,
    }),
    'kafka.server:type=SnapshotEmitter,name=LatestSnapshotGeneratedAgeMs': ok({ Value: 9_500 }),
    'kafka.server:type=SnapshotEmitter,name=LatestSnapshotGeneratedBytes': ok({ Value: 2_048 }),
  };
}

async function agent(
  answers: Record<string, unknown>,
): Promise<{ fake: FakeJolokia; url: string }> {
  const fake = new FakeJolokia(answers);
  fakes.push(fake);
  return { fake, url: await fake.start() };
}

async function collect(options: KafkaBrokerJmxCollectorOptions): Promise<MetricData[]> {
  const collector = new KafkaBrokerJmxCollector({ minSnapshotIntervalMs: 0, ...options });
  collectors.push(collector.start());
  const harness = new TelemetryHarness();
  harnesses.push(harness);
  harness.produceFrom(collector);
  return harness.metrics();
}

/** Every point of a metric as `{ ...attributes, value }`. */
function points(metrics: MetricData[], name: string): Array<Record<string, unknown>> {
  const metric = metrics.find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((p) => ({ ...p.attributes, value: p.value }));
}

describe('KafkaBrokerJmxCollector', () => {
  it('exports each broker exactly, with its node id, counters as sums and ms as seconds', async () => {
    const one = await agent(brokerAnswers(1, true));
    const two = await agent(brokerAnswers(2, false));
    const metrics = await collect({ endpoints: [one.url, { url: two.url }] });

    expect(one.fake.sent).toHaveLength(1);
    expect(points(metrics, 'kafka.broker.jmx.up')).toEqual([
      { endpoint: one.url, value: 1 },
      { endpoint: two.url, value: 1 },
    ]);
    const count = metrics.find((m) => m.descriptor.name === 'kafka.broker.request.count')!;
    expect(count.dataPointType).toBe(DataPointType.SUM);
    expect(count.dataPointType === DataPointType.SUM && count.isMonotonic).toBe(true);
    expect(points(metrics, 'kafka.broker.request.count')).toEqual(
      [1, 2].flatMap((broker) => [
        { broker, 'kafka.api.name': 'Produce', 'kafka.api.version': 11, value: 40 + broker },
        { broker, 'kafka.api.name': 'Produce', 'kafka.api.version': 9, value: 3 },
        { broker, 'kafka.api.name': 'Metadata', 'kafka.api.version': 12, value: 5 },
      ]),
    );
    expect(points(metrics, 'kafka.broker.request.total_time.p50')).toEqual([
      { broker: 1, 'kafka.api.name': 'Produce', value: 0.0025 },
      { broker: 2, 'kafka.api.name': 'Produce', value: 0.0025 },
    ]);
    expect(points(metrics, 'kafka.broker.request.total_time.p99')).toEqual([
      { broker: 1, 'kafka.api.name': 'Produce', value: 0.12 },
      { broker: 2, 'kafka.api.name': 'Produce', value: 0.12 },
    ]);
    expect(points(metrics, 'kafka.broker.request.errors')).toEqual([
      { broker: 1, 'kafka.api.name': 'Produce', 'error.type': 'NOT_LEADER_OR_FOLLOWER', value: 2 },
      { broker: 2, 'kafka.api.name': 'Produce', 'error.type': 'NOT_LEADER_OR_FOLLOWER', value: 2 },
    ]);
    expect(points(metrics, 'kafka.broker.request.queue.size')).toEqual([
      { broker: 1, value: 1 },
      { broker: 2, value: 1 },
    ]);
    expect(points(metrics, 'kafka.broker.request_handler.idle_ratio')[0]).toEqual({
      broker: 1,
      value: 0.75,
    });
    expect(points(metrics, 'kafka.broker.network_processor.idle_ratio')[1]).toEqual({
      broker: 2,
      value: 0.5,
    });
    expect(points(metrics, 'kafka.broker.partitions.under_replicated')).toEqual([
      { broker: 1, value: 0 },
      { broker: 2, value: 1 },
    ]);
    expect(points(metrics, 'kafka.broker.controller.active')).toEqual([
      { broker: 1, value: 1 },
      { broker: 2, value: 0 },
    ]);
    // The active controller's view only: broker 2 reports the same numbers and is not counted.
    expect(points(metrics, 'kafka.broker.controller.partitions.offline')).toEqual([
      { broker: 1, value: 4 },
    ]);
    expect(points(metrics, 'kafka.broker.controller.partitions')).toEqual([
      { broker: 1, value: 60 },
    ]);
    expect(points(metrics, 'kafka.raft.state').filter((p) => p.value === 1)).toEqual([
      { broker: 1, state: 'leader', value: 1 },
      { broker: 2, state: 'follower', value: 1 },
    ]);
    expect(points(metrics, 'kafka.raft.state')).toHaveLength(16);
    expect(points(metrics, 'kafka.raft.leader')).toEqual([
      { broker: 1, value: 1 },
      { broker: 2, value: 1 },
    ]);
    expect(points(metrics, 'kafka.raft.epoch')[0]).toEqual({ broker: 1, value: 7 });
    expect(points(metrics, 'kafka.raft.elections')[0]).toEqual({ broker: 1, value: 2 });
    expect(points(metrics, 'kafka.raft.election.latency.avg')[0]).toEqual({
      broker: 1,
      value: 0.25,
    });
    expect(points(metrics, 'kafka.raft.election.latency.max')[0]).toEqual({
      broker: 1,
      value: 0.4,
    });
    expect(points(metrics, 'kafka.raft.commit.latency.avg')[0]).toEqual({
      broker: 1,
      value: 0.003,
    });
    expect(points(metrics, 'kafka.raft.commit.latency.max')[0]).toEqual({
      broker: 1,
      value: 0.012,
    });
    expect(points(metrics, 'kafka.raft.fetch_records.rate')).toEqual([
      { broker: 1, value: 0 },
      { broker: 2, value: 1.5 },
    ]);
    expect(points(metrics, 'kafka.raft.high_watermark')[0]).toEqual({ broker: 1, value: 900 });
    expect(points(metrics, 'kafka.raft.log_end_offset')[0]).toEqual({ broker: 1, value: 901 });
    expect(points(metrics, 'kafka.raft.snapshot.age')[0]).toEqual({ broker: 1, value: 9.5 });
    expect(points(metrics, 'kafka.raft.snapshot.size')[0]).toEqual({ broker: 1, value: 2_048 });
    expect(points(metrics, 'kafka.broker.jmx.skipped_values')).toEqual([
      { endpoint: one.url, value: 0 },
      { endpoint: two.url, value: 0 },
    ]);

    // Every declared metric has points, with exactly its declared keys.
    const declared = BROKER_JMX_METRIC_FAMILIES.flatMap((family) =>
      Object.values(family.metrics).map((spec) => ({
        name: spec.name,
        always: spec.attributes,
        conditional: [],
      })),
    );
    expect(emittedKeys(declared, metrics)).toEqual(declared.map(sortedDeclaration));
  });

  it('uses a configured broker identity over the node id', async () => {
    const one = await agent(brokerAnswers(1, true));
    const metrics = await collect({ endpoints: [{ url: one.url, broker: '11' }] });
    expect(points(metrics, 'kafka.raft.epoch')).toEqual([{ broker: 11, value: 7 }]);
  });

  it('reads a broker that is down as up 0 with no other series, and the others as they are', async () => {
    const one = await agent(brokerAnswers(1, true));
    const two = await agent(brokerAnswers(2, false));
    await two.fake.stop();
    const warnings: string[] = [];
    const metrics = await collect({
      endpoints: [one.url, two.url],
      warn: (line) => warnings.push(line),
    });
    expect(points(metrics, 'kafka.broker.jmx.up')).toEqual([
      { endpoint: one.url, value: 1 },
      { endpoint: two.url, value: 0 },
    ]);
    const brokers = new Set(
      metrics.flatMap((m) => m.dataPoints.map((p) => p.attributes.broker)).filter(Boolean),
    );
    expect([...brokers]).toEqual([1]);
    expect(points(metrics, 'kafka.broker.jmx.skipped_values')).toEqual([
      { endpoint: one.url, value: 0 },
    ]);
    expect(warnings).toEqual([
      // The endpoint named once (the client's error message starts with it too).
      `broker JMX read of ${two.url} failed (connection_refused: connection refused); kafka.broker.jmx.up=0, retrying every collection`,
    ]);
  });

  it('reads a refused query as up 0 and still exports what was read', async () => {
    const answers = brokerAnswers(3, false);
    answers['kafka.server:type=raft-metrics'] = {
      request: { type: 'read' },
      status: 403,
      error_type: 'java.lang.SecurityException',
      error: 'forbidden by policy',
    };
    const one = await agent(answers);
    const metrics = await collect({ endpoints: [one.url], warn: () => undefined });
    expect(points(metrics, 'kafka.broker.jmx.up')).toEqual([{ endpoint: one.url, value: 0 }]);
    expect(points(metrics, 'kafka.raft.epoch')).toEqual([]);
    expect(points(metrics, 'kafka.broker.request.queue.size')).toEqual([{ broker: 3, value: 1 }]);
  });

  it('stop() during a read: no outage logged, and a later start() reads afresh', async () => {
    const one = await agent(brokerAnswers(1, true));
    let release!: () => void;
    one.fake.hold = new Promise<void>((resolve) => (release = resolve));
    const warnings: string[] = [];
    // A long sharing interval: a read kept from before stop() would be served after start().
    const collector = new KafkaBrokerJmxCollector({
      endpoints: [one.url],
      minSnapshotIntervalMs: 60_000,
      warn: (line) => warnings.push(line),
    });
    collectors.push(collector.start());
    const during = collector.collect();
    await waitFor(() => one.fake.sent.length === 1, {
      timeoutMs: 10_000,
      description: 'the read to be under way',
    });
    await collector.stop();
    expect((await during).resourceMetrics.scopeMetrics).toEqual([]);
    one.fake.hold = undefined;
    release();
    collector.start();
    const { resourceMetrics } = await collector.collect();
    const metrics = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    expect(points(metrics, 'kafka.broker.jmx.up')).toEqual([{ endpoint: one.url, value: 1 }]);
    expect(points(metrics, 'kafka.raft.epoch')).toEqual([{ broker: 1, value: 7 }]);
    expect(one.fake.sent).toHaveLength(2);
    expect(warnings).toEqual([]);
  });

  it('skips and counts hostile values, and never throws', async () => {
    const request = (keys: string) =>
      `kafka.network:type=RequestMetrics,name=RequestsPerSec,${keys}`;
    const answers = brokerAnswers(1, true);
    answers['kafka.network:type=RequestMetrics,name=RequestsPerSec,*'] = ok({
      [request('request=Produce,version=11')]: { Count: '12' },
      [request('request=Produce,version=eleven')]: { Count: 1 },
      [request('request=<script>,version=1')]: { Count: 1 },
      [request('request=Fetch,version=17')]: { Count: 9 },
      [request('request=Fetch,version=16')]: { Count: { nested: 1 } },
    });
    answers['kafka.server:type=raft-metrics'] = ok({
      'current-state': 'LEADER; DROP TABLE',
      'current-leader': -1,
      'current-epoch': true,
    });
    answers['kafka.network:type=RequestChannel,name=RequestQueueSize'] = ok([1]);
    const one = await agent(answers);
    const metrics = await collect({ endpoints: [one.url], warn: () => undefined });
    expect(points(metrics, 'kafka.broker.request.count')).toEqual([
      { broker: 1, 'kafka.api.name': 'Fetch', 'kafka.api.version': 17, value: 9 },
    ]);
    // No state, leader or epoch: a bad state name, -1 (no leader known), a boolean epoch.
    expect(points(metrics, 'kafka.raft.state')).toEqual([]);
    expect(points(metrics, 'kafka.raft.leader')).toEqual([]);
    expect(points(metrics, 'kafka.raft.epoch')).toEqual([]);
    expect(points(metrics, 'kafka.broker.request.queue.size')).toEqual([]);
    // '12', version 'eleven', '<script>', the nested Count, the state name, the boolean epoch.
    expect(points(metrics, 'kafka.broker.jmx.skipped_values')).toEqual([
      { endpoint: one.url, value: 6 },
    ]);
    // The malformed queue answer is a failed query: the endpoint is not healthy.
    expect(points(metrics, 'kafka.broker.jmx.up')).toEqual([{ endpoint: one.url, value: 0 }]);
  });

  it('rejects invalid options', () => {
    expect(() => new KafkaBrokerJmxCollector({ endpoints: [] })).toThrow(TypeError);
    expect(() => new KafkaBrokerJmxCollector({ endpoints: ['ftp://x/'] })).toThrow(TypeError);
    expect(
      () => new KafkaBrokerJmxCollector({ endpoints: ['http://a:1/j/', 'http://a:1/j/'] }),
    ).toThrow('listed twice');
    expect(
      () => new KafkaBrokerJmxCollector({ endpoints: ['http://a:1/j/'], snapshotTimeoutMs: 0 }),
    ).toThrow('snapshotTimeoutMs');
  });
});
