/**
 * Sink-connector lag: groups a linked Connect collector names are exported again per connector
 * (`kafka.connect.sink.lag`, `kafka.connect.sink.time_lag`), from the same snapshot numbers as
 * the group's own sums; no other group is, and a lookup that throws marks none.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot, GroupSnapshot } from '../../../src/collectors/cluster-snapshot';
import { withConnectors } from '../../../src/collectors/snapshot-connectors';
import { TelemetryHarness } from '../../support/telemetry-harness';
import { snapshotProducer } from './snapshot-producer';

const group = (
  groupId: string,
  lags: Array<[number, number | undefined, number | undefined]>,
): GroupSnapshot => ({
  groupId,
  state: 'Stable',
  protocolType: 'consumer',
  members: 1,
  offsetsComplete: true,
  partitions: lags.map(([partition, lag, timeLagSeconds]) => ({
    topic: partition < 10 ? 'orders' : 'refunds',
    partition,
    committedOffset: 1,
    lag,
    timeLagSeconds,
  })),
});

const snapshot: ClusterSnapshot = {
  takenAt: 100_000,
  durationSeconds: 0.01,
  complete: true,
  errors: [],
  brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092 }],
  topics: [],
  logDirs: [],
  groups: [
    group('connect-orders-sink', [
      [0, 3, 1.5],
      [1, 4, 7],
      [10, 2, undefined],
    ]),
    group('connect-not-a-connector', [[0, 9, 9]]),
    group('billing', [[0, 5, 5]]),
  ],
};

const CONNECTORS: Record<string, string> = { 'connect-orders-sink': 'orders-sink' };

let harness: TelemetryHarness | undefined;
afterEach(() => harness?.shutdown());

async function sinkPoints(lookup?: (groupId: string) => string | undefined) {
  const marked = withConnectors(snapshot, lookup);
  harness = new TelemetryHarness(undefined, [
    snapshotProducer(() => marked, { perPartition: true, maxSeries: 10_000 }),
  ]);
  const metrics = await harness.metrics();
  return Object.fromEntries(
    ['kafka.connect.sink.lag', 'kafka.connect.sink.time_lag'].map((name) => [
      name,
      (metrics.find((m) => m.descriptor.name === name)?.dataPoints ?? []).map((p) => [
        p.attributes,
        p.value,
      ]),
    ]),
  );
}

describe('sink-connector lag', () => {
  it('is the named group lag summed per topic and its largest time lag, labelled with the connector', async () => {
    const orders = {
      'kafka.connect.connector': 'orders-sink',
      group: 'connect-orders-sink',
      topic: 'orders',
    };
    const refunds = { ...orders, topic: 'refunds' };
    expect(await sinkPoints((groupId) => CONNECTORS[groupId])).toEqual({
      'kafka.connect.sink.lag': [
        [orders, 7],
        [refunds, 2],
      ],
      // The refunds partition's time lag is unknown: no maximum from partial data.
      'kafka.connect.sink.time_lag': [[orders, 7]],
    });
  });

  it('is not exported without a lookup, nor for groups it names none for, nor when it throws', async () => {
    const none = { 'kafka.connect.sink.lag': [], 'kafka.connect.sink.time_lag': [] };
    expect(await sinkPoints(undefined)).toEqual(none);
    await harness?.shutdown();
    expect(await sinkPoints(() => undefined)).toEqual(none);
    await harness?.shutdown();
    expect(
      await sinkPoints(() => {
        throw new Error('lookup bug');
      }),
    ).toEqual(none);
  });

  it('leaves the snapshot as it was when no group is a connector', () => {
    expect(withConnectors(snapshot, () => undefined)).toBe(snapshot);
    expect(withConnectors(snapshot, (g) => CONNECTORS[g]).groups[0]?.connector).toBe('orders-sink');
  });
});
