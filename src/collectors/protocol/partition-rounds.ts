import type { PartitionTimestamp, TopicPartitionTimestamps } from './list-offsets';

/**
 * Splits ListOffsets lookups into as few requests as possible in which every partition appears
 * at most once: brokers answer a repeated partition with INVALID_REQUEST, so asking earliest
 * and latest of the same partition takes two requests. Round n holds the n-th lookup of each
 * partition; with one lookup per partition there is a single round. O(lookups).
 */
export function splitIntoRounds(
  topics: readonly TopicPartitionTimestamps[],
): TopicPartitionTimestamps[][] {
  const rounds: Map<string, PartitionTimestamp[]>[] = [];
  const seen = new Map<string, Map<number, number>>();
  for (const { topic, partitions } of topics) {
    let counts = seen.get(topic);
    if (counts === undefined) seen.set(topic, (counts = new Map<number, number>()));
    for (const lookup of partitions) {
      const round = counts.get(lookup.partition) ?? 0;
      counts.set(lookup.partition, round + 1);
      const byTopic = (rounds[round] ??= new Map<string, PartitionTimestamp[]>());
      let list = byTopic.get(topic);
      if (list === undefined) byTopic.set(topic, (list = []));
      list.push(lookup);
    }
  }
  return rounds.map((byTopic) =>
    [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
  );
}
