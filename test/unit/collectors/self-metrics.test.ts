/**
 * One SelfMetrics class serves every collector, each with its own names: the cluster
 * collector's four metrics, the Connect collector's two, never one's names in the other's export.
 */
import { describe, expect, it } from 'vitest';
import {
  COLLECTOR_SELF_METRICS,
  CollectorSelfMetrics,
  SelfMetrics,
} from '../../../src/collectors/collector-self-metrics';
import { CONNECT_SELF_METRICS } from '../../../src/collectors/connect/connect-self-metrics';

const snapshot = {
  durationSeconds: 0.2,
  errors: [
    { phase: 'rest', errorType: 'timeout' },
    { phase: 'rest', errorType: 'timeout' },
    { phase: 'jmx', errorType: 'query_failed' },
  ],
};

describe('SelfMetrics', () => {
  it("exports the Connect collector's duration and errors under its names only", () => {
    const self = new SelfMetrics(CONNECT_SELF_METRICS, 0);
    expect(self.metrics(1_000)).toEqual([]); // nothing before the first snapshot
    self.snapshotTaken(snapshot);
    self.snapshotTaken({ durationSeconds: 40, errors: [] });
    const metrics = self.metrics(1_000);
    expect(metrics.map((m) => m.descriptor.name)).toEqual([
      'kafka.connect.scrape.duration',
      'kafka.connect.scrape.errors',
    ]);
    const [duration, errors] = metrics;
    expect(duration!.dataPoints[0]!.value).toMatchObject({
      // 0.2 s in the (0.1, 0.25] bucket, 40 s past the last boundary.
      buckets: { counts: [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1] },
      count: 2,
      sum: 40.2,
      min: 0.2,
      max: 40,
    });
    expect(errors!.dataPoints.map((p) => [p.attributes, p.value])).toEqual([
      [{ phase: 'rest', 'error.type': 'timeout' }, 2],
      [{ phase: 'jmx', 'error.type': 'query_failed' }, 1],
    ]);
  });

  it("exports the cluster collector's four metrics under its names", () => {
    const self = new CollectorSelfMetrics(0);
    // Series dropped is exported from the start (0), the others once there is something.
    expect(self.metrics(1_000).map((m) => m.descriptor.name)).toEqual([
      COLLECTOR_SELF_METRICS.seriesDropped.name,
    ]);
    self.snapshotTaken(snapshot);
    self.lateResult('quorum');
    self.seriesDropped(3);
    const metrics = self.metrics(1_000);
    expect(metrics.map((m) => m.descriptor.name)).toEqual([
      'kafka.collector.scrape.duration',
      'kafka.collector.scrape.errors',
      'kafka.collector.late_results',
      'kafka.collector.series.dropped',
    ]);
    expect(metrics[2]!.dataPoints.map((p) => [p.attributes, p.value])).toEqual([
      [{ phase: 'quorum' }, 1],
    ]);
    expect(metrics[3]!.dataPoints[0]!.value).toBe(3);
  });
});
