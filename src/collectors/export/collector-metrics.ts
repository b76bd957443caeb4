import { ATTR_SOURCE } from '../collector-attributes';
import { metricFamily } from './metric-family';

/**
 * The collector's view of its own snapshot: whether it was complete, and how the time lag of
 * its lagging group-partitions was obtained.
 */
export const collectorMetrics = metricFamily(
  {
    up: {
      name: 'kafka.collector.up',
      unit: '1',
      description:
        '1 when the last cluster snapshot was complete, 0 when the cluster was unreachable or a phase failed.',
      attributes: [],
    },
    timeLagReads: {
      name: 'kafka.collector.time_lag.reads',
      unit: '{offset}',
      description:
        'Committed offsets whose message time the last snapshot read from the brokers (offsets read before are not read again).',
      attributes: [],
    },
    timeLagPartitions: {
      name: 'kafka.collector.time_lag.partitions',
      unit: '{partition}',
      description:
        'Lagging group-partitions of the last snapshot by where their time lag came from: source "log" (the time of the first unconsumed message) or "interpolated" (from earlier snapshots: past the read limit, or the read failed).',
      attributes: [ATTR_SOURCE],
    },
  },
  (snapshot, emit) => {
    emit.up(snapshot.complete ? 1 : 0);
    const { timeLag } = snapshot;
    if (timeLag === undefined) return;
    emit.timeLagReads(timeLag.reads);
    emit.timeLagPartitions(timeLag.fromLog, { [ATTR_SOURCE]: 'log' });
    emit.timeLagPartitions(timeLag.interpolated, { [ATTR_SOURCE]: 'interpolated' });
  },
);
