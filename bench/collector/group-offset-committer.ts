/**
 * Commits a consumer group's offsets without joining the group, as Kafka's AdminClient
 * `alterConsumerGroupOffsets` does: one OffsetCommit to the group's coordinator with generation
 * -1 and no member id, which the broker accepts for a group that has no members. KafkaJS's
 * `admin.setOffsets` runs a whole consumer (join, sync, fetch) per group instead: minutes for
 * hundreds of groups. KafkaJS exposes no cluster object publicly, so its private one is
 * reached through the symbol its constructor stores it under (KafkaJS 2.x).
 */
import type { Kafka } from 'kafkajs';

interface KafkaJsBroker {
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    retentionTime?: number;
    topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
  }): Promise<unknown>;
}

interface KafkaJsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<KafkaJsBroker>;
}

type CreateCluster = (options: { allowAutoTopicCreation: boolean }) => KafkaJsCluster;

const CREATE_CLUSTER_SYMBOL = 'private:Kafka:createCluster';

function createCluster(kafka: Kafka): KafkaJsCluster {
  const holder = kafka as unknown as Record<symbol, unknown>;
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === CREATE_CLUSTER_SYMBOL,
  );
  const create = symbol === undefined ? undefined : holder[symbol];
  if (typeof create !== 'function') {
    throw new Error(`this KafkaJS has no ${CREATE_CLUSTER_SYMBOL}: cannot commit group offsets`);
  }
  return (create as CreateCluster)({ allowAutoTopicCreation: false });
}

export class GroupOffsetCommitter {
  private readonly cluster: KafkaJsCluster;

  constructor(kafka: Kafka) {
    this.cluster = createCluster(kafka);
  }

  connect(): Promise<void> {
    return this.cluster.connect();
  }

  disconnect(): Promise<void> {
    return this.cluster.disconnect();
  }

  /** Commits `offsets` (partition -> offset) of `topic` for `groupId`; rejects on any error. */
  async commit(groupId: string, topic: string, offsets: ReadonlyMap<number, number>) {
    const coordinator = await this.cluster.findGroupCoordinator({ groupId });
    await coordinator.offsetCommit({
      groupId,
      groupGenerationId: -1,
      memberId: '',
      retentionTime: -1,
      topics: [
        {
          topic,
          partitions: [...offsets].map(([partition, offset]) => ({
            partition,
            offset: String(offset),
          })),
        },
      ],
    });
  }
}
