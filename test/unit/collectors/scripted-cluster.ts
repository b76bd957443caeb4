import type { SnapshotClient } from '../../../src/collectors/phases/snapshot-client';
import {
  EARLIEST_TIMESTAMP,
  type PartitionOffset,
  type TopicPartitionTimestamps,
} from '../../../src/collectors/protocol';

/** The requests a snapshot sends, by the method that sends them. */
export type RequestName = keyof SnapshotClient;

/**
 * A scripted cluster of two brokers, one topic `orders` (2 partitions) and one group `billing`:
 * each request answers at once, except those held with `hold(name)`, which answer only when
 * `release()` is called, ignoring any signal, as a request already on the wire does.
 */
export class ScriptedCluster {
  private readonly held = new Set<RequestName>();
  private readonly waiting: (() => void)[] = [];
  readonly sent: RequestName[] = [];

  hold(name: RequestName): this {
    this.held.add(name);
    return this;
  }

  /** Lets every held request answer. */
  release(): void {
    this.held.clear();
    for (const answer of this.waiting.splice(0)) answer();
  }

  readonly client: SnapshotClient = {
    metadata: () =>
      this.answer('metadata', {
        errorCode: 0,
        clusterId: 'scripted',
        controllerId: 1,
        brokers: [1, 2].map((nodeId) => ({
          nodeId,
          host: 'localhost',
          port: 9090 + nodeId,
          rack: null,
        })),
        topics: [
          {
            name: 'orders',
            topicId: undefined,
            errorCode: 0,
            isInternal: false,
            partitions: [0, 1].map((partition) => ({
              partition,
              errorCode: 0,
              leader: partition + 1,
              leaderEpoch: 0,
              replicas: [1, 2],
              isr: [1, 2],
              offlineReplicas: [],
            })),
          },
        ],
      }),
    listGroups: (nodeId) =>
      this.answer('listGroups', {
        errorCode: 0,
        groups:
          nodeId === 1
            ? [{ groupId: 'billing', protocolType: 'consumer', state: 'Stable', type: 'classic' }]
            : [],
      }),
    findCoordinators: () =>
      this.answer(
        'findCoordinators',
        new Map([
          [
            'billing',
            {
              key: 'billing',
              nodeId: 1,
              host: 'localhost',
              port: 9091,
              errorCode: 0,
              errorMessage: null,
            },
          ],
        ]),
      ),
    describeGroups: () =>
      this.answer('describeGroups', [
        {
          groupId: 'billing',
          errorCode: 0,
          errorMessage: null,
          state: 'Stable',
          protocolType: 'consumer',
          protocol: 'range',
          members: [],
        },
      ]),
    offsetFetch: () =>
      this.answer('offsetFetch', [
        {
          groupId: 'billing',
          errorCode: 0,
          partitions: [0, 1].map((partition) => ({
            topic: 'orders',
            partition,
            committedOffset: 10,
            committedLeaderEpoch: 0,
            errorCode: 0,
          })),
        },
      ]),
    describeLogDirs: (nodeId) =>
      this.answer('describeLogDirs', [
        {
          logDir: `/data/${nodeId}`,
          errorCode: 0,
          totalBytes: 1_000_000,
          usableBytes: 500_000,
          isCordoned: undefined,
          topics: [
            {
              topic: 'orders',
              partitions: [0, 1].map((partition) => ({
                partition,
                size: 100,
                offsetLag: 0,
                isFuture: false,
              })),
            },
          ],
        },
      ]),
    describeQuorum: () =>
      this.answer('describeQuorum', {
        topic: '__cluster_metadata',
        partition: 0,
        errorCode: 0,
        errorMessage: null,
        leaderId: 1,
        leaderEpoch: 3,
        highWatermark: 500,
        voters: [1, 2].map((replicaId) => ({
          replicaId,
          replicaDirectoryId: undefined,
          logEndOffset: 500,
          lastFetchTimestamp: 1_000,
          lastCaughtUpTimestamp: 1_000,
        })),
        observers: [],
        nodes: [],
      }),
    describeTopicConfigs: () =>
      this.answer(
        'describeTopicConfigs',
        new Map([
          [
            'orders',
            { errorCode: 0, errorMessage: null, values: new Map([['min.insync.replicas', '2']]) },
          ],
        ]),
      ),
    listOffsets: (_nodeId: number, topics: readonly TopicPartitionTimestamps[]) =>
      this.answer(
        'listOffsets',
        topics.flatMap(({ topic, partitions }) =>
          partitions.map<PartitionOffset>(({ partition, timestamp }) => ({
            topic,
            partition,
            requestedTimestamp: timestamp,
            errorCode: 0,
            offset: timestamp === EARLIEST_TIMESTAMP ? 0 : 25,
            timestamp: -1,
            leaderEpoch: 0,
          })),
        ),
      ),
  };

  private answer<T>(name: RequestName, value: T): Promise<T> {
    this.sent.push(name);
    if (!this.held.has(name)) return Promise.resolve(value);
    return new Promise((resolve) => this.waiting.push(() => resolve(value)));
  }
}
