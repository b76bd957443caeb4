import type { Attributes, Meter, ObservableGauge } from '@opentelemetry/api';
import type { ClusterSnapshot } from '../cluster-snapshot';
import type { SnapshotSource } from '../snapshot-source';

/** What every gauge family needs to know about the collector's configuration. */
export interface GaugeSettings {
  /** Report per-partition series (default true); aggregates per topic and group always stay. */
  perPartition: boolean;
}

/** A description of one observable gauge: name, unit, description. */
export interface GaugeSpec {
  name: string;
  unit: string;
  description: string;
}

/** Observes one snapshot into the gauges of a family. */
export type ObserveSnapshot<Gauges extends Record<string, ObservableGauge>> = (
  snapshot: ClusterSnapshot,
  gauges: Gauges,
  observe: (gauge: ObservableGauge, value: number, attributes?: Attributes) => void,
) => void;

/**
 * Registers the gauges of one family with a single batch callback. The callback awaits the
 * cycle's shared snapshot, so every family reads the same numbers from one round of requests.
 */
export function registerGaugeFamily<Names extends string>(
  meter: Meter,
  source: SnapshotSource,
  specs: Record<Names, GaugeSpec>,
  observeSnapshot: ObserveSnapshot<Record<Names, ObservableGauge>>,
): () => void {
  const gauges = {} as Record<Names, ObservableGauge>;
  for (const key of Object.keys(specs) as Names[]) {
    const { name, unit, description } = specs[key];
    gauges[key] = meter.createObservableGauge(name, { unit, description });
  }
  const callback = async (result: {
    observe(gauge: ObservableGauge, value: number, attributes?: Attributes): void;
  }) => {
    const snapshot = await source.current();
    observeSnapshot(snapshot, gauges, (gauge, value, attributes) => {
      // A non-finite value (an unknown offset turned NaN) is a gap, not a data point.
      if (Number.isFinite(value)) result.observe(gauge, value, attributes);
    });
  };
  const observables = Object.values<ObservableGauge>(gauges);
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}
