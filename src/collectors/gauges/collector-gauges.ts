import type { Meter } from '@opentelemetry/api';
import { ATTR_PHASE } from '../collector-attributes';
import type { ClusterSnapshot } from '../cluster-snapshot';
import type { SnapshotSource } from '../snapshot-source';
import { registerGaugeFamily } from './gauge-family';

/** `kafka.collector.up`: whether the snapshot of this cycle was complete. */
export function registerUpGauge(meter: Meter, source: SnapshotSource) {
  return registerGaugeFamily(
    meter,
    source,
    {
      up: {
        name: 'kafka.collector.up',
        unit: '1',
        description:
          '1 when the last cluster snapshot was complete, 0 when the cluster was unreachable or a phase failed.',
      },
    },
    (snapshot, gauges, observe) => observe(gauges.up, snapshot.complete ? 1 : 0),
  );
}

/**
 * Scrape duration and errors, recorded once per snapshot taken (not per reader that asked for
 * it), so the numbers count the work done against the cluster.
 */
export function snapshotRecorder(meter: Meter): (snapshot: ClusterSnapshot) => void {
  const duration = meter.createHistogram('kafka.collector.scrape.duration', {
    unit: 's',
    description: 'Time taken to take one cluster snapshot.',
    advice: { explicitBucketBoundaries: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] },
  });
  const errors = meter.createCounter('kafka.collector.scrape.errors', {
    unit: '{error}',
    description: 'Failed requests or phases while taking cluster snapshots, by phase.',
  });
  return (snapshot) => {
    duration.record(snapshot.durationSeconds);
    for (const error of snapshot.errors) errors.add(1, { [ATTR_PHASE]: error.phase });
  };
}
