/**
 * A number per (topic, partition, offset): the time of the message at a committed offset, read
 * from the log. Nested maps rather than one map with string keys: a snapshot looks up tens of
 * thousands of committed offsets, and a key string per lookup would be garbage each time.
 */
export class OffsetTimes {
  private readonly byTopic = new Map<string, Map<number, Map<number, number>>>();
  private count = 0;

  /** Entries held. */
  get size(): number {
    return this.count;
  }

  get(topic: string, partition: number, offset: number): number | undefined {
    return this.byTopic.get(topic)?.get(partition)?.get(offset);
  }

  set(topic: string, partition: number, offset: number, time: number): void {
    let partitions = this.byTopic.get(topic);
    if (partitions === undefined) {
      this.byTopic.set(topic, (partitions = new Map<number, Map<number, number>>()));
    }
    let offsets = partitions.get(partition);
    if (offsets === undefined) partitions.set(partition, (offsets = new Map<number, number>()));
    if (!offsets.has(offset)) this.count++;
    offsets.set(offset, time);
  }
}
