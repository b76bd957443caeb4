/**
 * The attribute keys each collector metric declares (what docs/metrics.md lists) are exactly
 * those its exported points carry: a snapshot in which every metric has points is exported
 * through a real reader, and the collector's self-metrics are read after a snapshot with errors,
 * a late result and dropped series. Collector attributes have no conditional keys: every point
 * of a metric carries the same set.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../../src/collectors/cluster-snapshot';
import {
  COLLECTOR_SELF_METRICS,
  CollectorSelfMetrics,
} from '../../../src/collectors/collector-self-metrics';
import {
  emittedKeys,
  sortedDeclaration,
  type DeclaredKeys,
} from '../../support/declared-attributes';
import { TelemetryHarness } from '../../support/telemetry-harness';
import { ALL_FAMILIES, snapshotProducer } from './snapshot-producer';

/**
 * Two brokers, one topic of two healthy partitions, a quorum, a lagging group and a sink
 * connector's group: all known.
 */
const snapshot: ClusterSnapshot = {
  takenAt: 100_000,
  durationSeconds: 0.3,
  complete: false,
  errors: [{ phase: 'log_dirs', broker: 2, errorType: 'timeout', message: 'no answer' }],
  brokers: [1, 2].map((nodeId) => ({ nodeId, host: '127.0.0.1', port: 9090 + nodeId })),
  topics: [
    {
      name: 'orders',
      internal: false,
      errorCode: 0,
      minInsyncReplicas: 1,
      partitions: [0, 1].map((partition) => ({
        partition,
        errorCode: 0,
        leader: 1 + partition,
        replicas: [1, 2],
        isr: [1, 2],
        offlineReplicas: [],
        oldestOffset: 0,
        currentOffset: 25,
        replicaSizes: [1, 2].map((broker) => ({ broker, bytes: 500 })),
      })),
    },
  ],
  logDirs: [
    { broker: 1, path: '/data', errorCode: 0, bytes: 1000, totalBytes: 10_000, usableBytes: 4_000 },
  ],
  quorum: {
    leaderId: 1,
    leaderEpoch: 3,
    highWatermark: 900,
    voters: [
      { replicaId: 1, logEndOffset: 900, lastFetchTimestamp: 100_000 },
      { replicaId: 2, logEndOffset: 880, lastFetchTimestamp: 98_000 },
    ],
    observers: [],
  },
  groups: [
    {
      groupId: 'billing',
      state: 'Stable',
      protocolType: 'consumer',
      members: 1,
      offsetsComplete: true,
      status: 'OK',
      partitions: [0, 1].map((partition) => ({
        topic: 'orders',
        partition,
        committedOffset: 20,
        lag: 5,
        timeLagSeconds: 2,
      })),
    },
    {
      groupId: 'connect-orders-to-s3',
      state: 'Stable',
      protocolType: 'consumer',
      members: 1,
      offsetsComplete: true,
      status: 'OK',
      connector: 'orders-to-s3',
      partitions: [
        { topic: 'orders', partition: 0, committedOffset: 25, lag: 0, timeLagSeconds: 0 },
      ],
    },
  ],
  timeLag: { reads: 2, fromLog: 2, interpolated: 0 },
};

const always = (name: string, attributes: readonly string[]): DeclaredKeys => ({
  name,
  always: attributes,
  conditional: [],
});

let harness: TelemetryHarness | undefined;
afterEach(() => harness?.shutdown());

describe('declared collector metric attributes', () => {
  it('match the attributes of every cluster gauge', async () => {
    harness = new TelemetryHarness(undefined, [
      snapshotProducer(() => snapshot, { perPartition: true, maxSeries: 10_000 }),
    ]);
    const declared = ALL_FAMILIES.flatMap((family) =>
      Object.values(family.metrics).map((spec) => always(spec.name, spec.attributes)),
    );
    expect(emittedKeys(declared, await harness.metrics())).toEqual(declared.map(sortedDeclaration));
  });

  it('match the attributes of every collector self-metric', () => {
    const self = new CollectorSelfMetrics(0);
    self.snapshotTaken(snapshot);
    self.lateResult('quorum');
    self.seriesDropped(4);
    const declared = Object.values(COLLECTOR_SELF_METRICS).map((definition) =>
      always(definition.name, definition.attributes),
    );
    expect(emittedKeys(declared, self.metrics(1_000))).toEqual(declared.map(sortedDeclaration));
  });
});
