import type { Meter } from '@opentelemetry/api';
import { ATTR_BROKER, ATTR_LOG_DIR, ATTR_PARTITION, ATTR_TOPIC } from '../collector-attributes';
import type { SnapshotSource } from '../snapshot-source';
import { registerGaugeFamily, type GaugeSettings } from './gauge-family';

/** Offsets and bytes on disk, per partition, topic, broker and log directory. */
export function registerStorageGauges(
  meter: Meter,
  source: SnapshotSource,
  settings: GaugeSettings,
) {
  return registerGaugeFamily(
    meter,
    source,
    {
      currentOffset: {
        name: 'kafka.partition.current_offset',
        unit: '{offset}',
        description: 'Log end offset of the partition: the offset of the next message written.',
      },
      oldestOffset: {
        name: 'kafka.partition.oldest_offset',
        unit: '{offset}',
        description: 'Log start offset of the partition: the oldest offset still readable.',
      },
      partitionSize: {
        name: 'kafka.partition.size',
        unit: 'By',
        description: 'Bytes of the partition replica on disk, per broker holding it.',
      },
      topicSize: {
        name: 'kafka.topic.size',
        unit: 'By',
        description: 'Bytes of the topic on disk, all replicas on all brokers.',
      },
      logDirSize: {
        name: 'kafka.broker.log_dir.size',
        unit: 'By',
        description: 'Bytes of all partitions in a broker log directory.',
      },
      logDirTotal: {
        name: 'kafka.broker.log_dir.total',
        unit: 'By',
        description: 'Capacity of the volume holding the log directory (Kafka 3.3+).',
      },
      logDirUsable: {
        name: 'kafka.broker.log_dir.usable',
        unit: 'By',
        description: 'Free space usable by Kafka on the volume holding the log directory.',
      },
    },
    (snapshot, gauges, observe) => {
      for (const topic of snapshot.topics) {
        let topicBytes = 0;
        let topicBytesKnown = topic.partitions.length > 0;
        for (const p of topic.partitions) {
          const attributes = { [ATTR_TOPIC]: topic.name, [ATTR_PARTITION]: p.partition };
          if (settings.perPartition) {
            if (p.currentOffset !== undefined)
              observe(gauges.currentOffset, p.currentOffset, attributes);
            if (p.oldestOffset !== undefined)
              observe(gauges.oldestOffset, p.oldestOffset, attributes);
          }
          if (p.sizeByBroker.size === 0) topicBytesKnown = false;
          for (const [broker, bytes] of p.sizeByBroker) {
            topicBytes += bytes;
            if (settings.perPartition) {
              observe(gauges.partitionSize, bytes, { ...attributes, [ATTR_BROKER]: broker });
            }
          }
        }
        // A topic total from partial data would understate it: only whole topics are summed.
        if (topicBytesKnown) observe(gauges.topicSize, topicBytes, { [ATTR_TOPIC]: topic.name });
      }
      for (const dir of snapshot.logDirs) {
        if (dir.errorCode !== 0) continue;
        const attributes = { [ATTR_BROKER]: dir.broker, [ATTR_LOG_DIR]: dir.path };
        observe(gauges.logDirSize, dir.bytes, attributes);
        if (dir.totalBytes !== undefined) observe(gauges.logDirTotal, dir.totalBytes, attributes);
        if (dir.usableBytes !== undefined)
          observe(gauges.logDirUsable, dir.usableBytes, attributes);
      }
    },
  );
}
