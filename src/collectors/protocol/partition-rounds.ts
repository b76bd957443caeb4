/** Lookups of some partitions of one topic, as ListOffsets and Fetch requests list them. */
export interface TopicLookups<P extends { readonly partition: number }> {
  readonly topic: string;
  readonly partitions: readonly P[];
}

/**
 * Splits per-partition lookups into as few requests as possible in which every partition
 * appears at most once: brokers answer a repeated partition with INVALID_REQUEST (ListOffsets)
 * or keep only one of them (Fetch), so asking earliest and latest of the same partition, or
 * reading it at two offsets, takes two requests. Round n holds the n-th lookup of each
 * partition; with one lookup per partition there is a single round. O(lookups).
 */
export function splitIntoRounds<P extends { readonly partition: number }>(
  topics: readonly TopicLookups<P>[],
): { topic: string; partitions: P[] }[][] {
  const rounds: Map<string, P[]>[] = [];
  const seen = new Map<string, Map<number, number>>();
  for (const { topic, partitions } of topics) {
    let counts = seen.get(topic);
    if (counts === undefined) seen.set(topic, (counts = new Map<number, number>()));
    for (const lookup of partitions) {
      const round = counts.get(lookup.partition) ?? 0;
      counts.set(lookup.partition, round + 1);
      const byTopic = (rounds[round] ??= new Map<string, P[]>());
      let list = byTopic.get(topic);
      if (list === undefined) byTopic.set(topic, (list = []));
      list.push(lookup);
    }
  }
  return rounds.map((byTopic) =>
    [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
  );
}

/** One number per (topic, partition) of a request, e.g. the offset or timestamp asked for. */
export function indexByPartition<P extends { readonly partition: number }>(
  topics: readonly TopicLookups<P>[],
  valueOf: (lookup: P) => number,
): Map<string, Map<number, number>> {
  const byTopic = new Map<string, Map<number, number>>();
  for (const { topic, partitions } of topics) {
    let byPartition = byTopic.get(topic);
    if (byPartition === undefined) byTopic.set(topic, (byPartition = new Map<number, number>()));
    for (const lookup of partitions) byPartition.set(lookup.partition, valueOf(lookup));
  }
  return byTopic;
}
