import type { EachMessagePayload } from 'kafkajs';

export interface ReceivedMessage {
  partition: number;
  offset: string;
  key: string;
  value: string;
}

/**
 * Collects what a consumer sees, keyed by partition and offset. Kafka delivers at least once:
 * a group rebalance before the first offset commit replays records (seen with three nodes after
 * a restart), so tests compare the distinct records, and count replays separately.
 */
export class ReceivedMessages {
  private readonly byPosition = new Map<string, ReceivedMessage>();
  deliveries = 0;

  /** Pass as `eachMessage` to `consumer.run`. */
  readonly onMessage = ({ partition, message }: EachMessagePayload): Promise<void> => {
    this.deliveries++;
    this.byPosition.set(`${partition}:${message.offset}`, {
      partition,
      offset: message.offset,
      key: message.key?.toString() ?? '',
      value: message.value?.toString() ?? '',
    });
    return Promise.resolve();
  };

  /** Distinct records (one per partition/offset), in key order for stable comparisons. */
  distinct(): ReceivedMessage[] {
    return [...this.byPosition.values()].sort((a, b) => a.key.localeCompare(b.key));
  }

  get size(): number {
    return this.byPosition.size;
  }
}
