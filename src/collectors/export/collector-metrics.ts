import { metricFamily } from './metric-family';

/** `kafka.collector.up`: whether the snapshot the export comes from was complete. */
export const collectorMetrics = metricFamily(
  {
    up: {
      name: 'kafka.collector.up',
      unit: '1',
      description:
        '1 when the last cluster snapshot was complete, 0 when the cluster was unreachable or a phase failed.',
    },
  },
  (snapshot, emit) => emit.up(snapshot.complete ? 1 : 0),
);
