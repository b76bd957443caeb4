import { ATTR_BROKER, ATTR_LOG_DIR, ATTR_PARTITION, ATTR_TOPIC } from '../collector-attributes';
import { metricFamily } from './metric-family';

const PARTITION = [ATTR_TOPIC, ATTR_PARTITION];
const LOG_DIR = [ATTR_BROKER, ATTR_LOG_DIR];

/** Offsets and bytes on disk, per partition, topic, broker and log directory. */
export const storageMetrics = metricFamily(
  {
    currentOffset: {
      perPartition: true,
      name: 'kafka.partition.current_offset',
      unit: '{offset}',
      description: 'Log end offset of the partition: the offset of the next message written.',
      attributes: PARTITION,
    },
    oldestOffset: {
      perPartition: true,
      name: 'kafka.partition.oldest_offset',
      unit: '{offset}',
      description: 'Log start offset of the partition: the oldest offset still readable.',
      attributes: PARTITION,
    },
    partitionSize: {
      perPartition: true,
      name: 'kafka.partition.size',
      unit: 'By',
      description: 'Bytes of the partition replica on disk, per broker holding it.',
      attributes: [ATTR_TOPIC, ATTR_PARTITION, ATTR_BROKER],
    },
    topicSize: {
      name: 'kafka.topic.size',
      unit: 'By',
      description: 'Bytes of the topic on disk, all replicas on all brokers.',
      attributes: [ATTR_TOPIC],
    },
    logDirSize: {
      name: 'kafka.broker.log_dir.size',
      unit: 'By',
      description: 'Bytes of all partitions in a broker log directory.',
      attributes: LOG_DIR,
    },
    logDirTotal: {
      name: 'kafka.broker.log_dir.total',
      unit: 'By',
      description: 'Capacity of the volume holding the log directory (Kafka 3.3+).',
      attributes: LOG_DIR,
    },
    logDirUsable: {
      name: 'kafka.broker.log_dir.usable',
      unit: 'By',
      description: 'Free space usable by Kafka on the volume holding the log directory.',
      attributes: LOG_DIR,
    },
  },
  (snapshot, emit) => {
    for (const topic of snapshot.topics) {
      let topicBytes = 0;
      let topicBytesKnown = topic.partitions.length > 0;
      for (const p of topic.partitions) {
        const attributes = { [ATTR_TOPIC]: topic.name, [ATTR_PARTITION]: p.partition };
        if (p.currentOffset !== undefined) emit.currentOffset(p.currentOffset, attributes);
        if (p.oldestOffset !== undefined) emit.oldestOffset(p.oldestOffset, attributes);
        if (p.replicaSizes.length === 0) topicBytesKnown = false;
        for (const { broker, bytes } of p.replicaSizes) {
          topicBytes += bytes;
          emit.partitionSize(bytes, {
            [ATTR_TOPIC]: topic.name,
            [ATTR_PARTITION]: p.partition,
            [ATTR_BROKER]: broker,
          });
        }
      }
      // A topic total from partial data would understate it: only whole topics are summed.
      if (topicBytesKnown) emit.topicSize(topicBytes, { [ATTR_TOPIC]: topic.name });
    }
    for (const dir of snapshot.logDirs) {
      if (dir.errorCode !== 0) continue;
      const attributes = { [ATTR_BROKER]: dir.broker, [ATTR_LOG_DIR]: dir.path };
      emit.logDirSize(dir.bytes, attributes);
      if (dir.totalBytes !== undefined) emit.logDirTotal(dir.totalBytes, attributes);
      if (dir.usableBytes !== undefined) emit.logDirUsable(dir.usableBytes, attributes);
    }
  },
);
