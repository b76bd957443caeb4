import { count, isJsonObject, knownPosition, ownEntries, text } from './statistics-values';

/**
 * One topic partition the client knows, from `topics[topic].partitions[id]`. Offsets and lags
 * are absent where librdkafka does not know them (it writes a negative logical offset or -1).
 */
export interface PartitionReadings {
  readonly topic: string;
  readonly partition: number;
  /** Broker id of the partition leader (`leader`). */
  readonly leaderNodeId: number | undefined;
  /** Consumer fetch state (`fetch_state`): none, stopping, stopped, offset-query, active, ... */
  readonly fetchState: string | undefined;
  /** End offset (high watermark, or last stable offset under read_committed) minus the committed offset. */
  readonly consumerLag: number | undefined;
  /** The same against the stored offset (`consumer_lag_stored`): ahead of commits. */
  readonly consumerLagStored: number | undefined;
  /** Last committed offset (`committed_offset`). */
  readonly committedOffset: number | undefined;
  /** Offset stored to be committed next (`stored_offset`). */
  readonly storedOffset: number | undefined;
  /** Offset of the last message handed to the application, plus one (`app_offset`). */
  readonly applicationOffset: number | undefined;
  /** Next offset to fetch (`next_offset`). */
  readonly nextFetchOffset: number | undefined;
  /** Partition offsets on the broker: `hi_offset`, `lo_offset`, `ls_offset`. */
  readonly highWatermarkOffset: number | undefined;
  readonly lowWatermarkOffset: number | undefined;
  readonly lastStableOffset: number | undefined;
  /** Messages and bytes waiting in the first-level producer queue (`msgq_cnt`, `msgq_bytes`). */
  readonly producerQueueMessages: number | undefined;
  readonly producerQueueBytes: number | undefined;
  /** Messages ready in the transmit queue (`xmit_msgq_cnt`). */
  readonly transmitQueueMessages: number | undefined;
  /** Messages and bytes prefetched, not yet handed to the application (`fetchq_cnt`, `fetchq_size`). */
  readonly fetchQueueMessages: number | undefined;
  readonly fetchQueueBytes: number | undefined;
  /** Totals since the client started: messages produced (`txmsgs`) and consumed (`rxmsgs`). */
  readonly messagesSent: number | undefined;
  readonly messagesReceived: number | undefined;
  /** Messages in flight to or from the broker now (`msgs_inflight`). */
  readonly messagesInFlight: number | undefined;
}

/**
 * Every real partition of every topic in a statistics document, in document order. Skipped:
 * partition -1, librdkafka's internal UA (unassigned) partition where a producer parks messages
 * until the topic's partitions are known; it is no partition of the topic on any broker.
 */
export function readPartitions(topics: unknown): PartitionReadings[] {
  const readings: PartitionReadings[] = [];
  for (const [topic, topicEntry] of ownEntries(topics)) {
    if (!isJsonObject(topicEntry)) continue;
    for (const [, entry] of ownEntries(topicEntry.partitions)) {
      const partition = readPartition(topic, entry);
      if (partition !== undefined) readings.push(partition);
    }
  }
  return readings;
}

function readPartition(topic: string, entry: unknown): PartitionReadings | undefined {
  if (!isJsonObject(entry)) return undefined;
  const partition = knownPosition(entry.partition);
  if (partition === undefined) return undefined;
  return {
    topic,
    partition,
    leaderNodeId: knownPosition(entry.leader),
    fetchState: text(entry.fetch_state),
    consumerLag: knownPosition(entry.consumer_lag),
    consumerLagStored: knownPosition(entry.consumer_lag_stored),
    committedOffset: knownPosition(entry.committed_offset),
    storedOffset: knownPosition(entry.stored_offset),
    applicationOffset: knownPosition(entry.app_offset),
    nextFetchOffset: knownPosition(entry.next_offset),
    highWatermarkOffset: knownPosition(entry.hi_offset),
    lowWatermarkOffset: knownPosition(entry.lo_offset),
    lastStableOffset: knownPosition(entry.ls_offset),
    producerQueueMessages: count(entry.msgq_cnt),
    producerQueueBytes: count(entry.msgq_bytes),
    transmitQueueMessages: count(entry.xmit_msgq_cnt),
    fetchQueueMessages: count(entry.fetchq_cnt),
    fetchQueueBytes: count(entry.fetchq_size),
    messagesSent: count(entry.txmsgs),
    messagesReceived: count(entry.rxmsgs),
    messagesInFlight: count(entry.msgs_inflight),
  };
}
