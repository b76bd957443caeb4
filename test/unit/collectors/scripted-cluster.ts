import type { SnapshotClient } from '../../../src/collectors/phases/snapshot-client';
import {
  BrokerRequestError,
  EARLIEST_TIMESTAMP,
  type PartitionOffset,
  type TopicPartitionTimestamps,
} from '../../../src/collectors/protocol';
import { recordBatchHeader } from './protocol/support/record-batch-header';

/** When the scripted messages at the committed offsets were written. */
export const SCRIPTED_MESSAGE_TIME = 1_700_000_000_000;

/** The requests a snapshot sends, by the method that sends them. */
export type RequestName = keyof SnapshotClient;

/**
 * A scripted cluster of two brokers, one topic `orders` (2 partitions, offsets 0 to 25) and one
 * group `billing` (committed at 10 on both, written at `SCRIPTED_MESSAGE_TIME`):
 * each request answers at once, except those held with `hold(name)`, which answer only when
 * `release()` is called, ignoring any signal, as a request already on the wire does.
 */
export class ScriptedCluster {
  private readonly held = new Set<RequestName>();
  private readonly stoppedBySignal = new Set<RequestName>();
  private readonly waiting: (() => void)[] = [];
  readonly sent: RequestName[] = [];

  hold(name: RequestName): this {
    this.held.add(name);
    return this;
  }

  /** Makes `name` never answer, but reject as soon as the signal fires. */
  stopBySignal(name: RequestName): this {
    this.stoppedBySignal.add(name);
    return this;
  }

  /** Lets every held request answer. */
  release(): void {
    this.held.clear();
    for (const answer of this.waiting.splice(0)) answer();
  }

  readonly client: SnapshotClient = {
    metadata: (signal) =>
      this.answer('metadata', signal, {
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
    listGroups: (nodeId, signal) =>
      this.answer('listGroups', signal, {
        errorCode: 0,
        groups:
          nodeId === 1
            ? [{ groupId: 'billing', protocolType: 'consumer', state: 'Stable', type: 'classic' }]
            : [],
      }),
    findCoordinators: (_groupIds, signal) =>
      this.answer(
        'findCoordinators',
        signal,
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
    describeGroups: (_nodeId, _groupIds, signal) =>
      this.answer('describeGroups', signal, [
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
    offsetFetch: (_nodeId, _groupIds, signal) =>
      this.answer('offsetFetch', signal, [
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
    describeLogDirs: (nodeId, signal) =>
      this.answer('describeLogDirs', signal, [
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
    describeQuorum: (signal) =>
      this.answer('describeQuorum', signal, {
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
    describeTopicConfigs: (_topics, _names, signal) =>
      this.answer(
        'describeTopicConfigs',
        signal,
        new Map([
          [
            'orders',
            { errorCode: 0, errorMessage: null, values: new Map([['min.insync.replicas', '2']]) },
          ],
        ]),
      ),
    listOffsets: (_nodeId: number, topics: readonly TopicPartitionTimestamps[], signal) =>
      this.answer(
        'listOffsets',
        signal,
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
    fetchRecords: (_nodeId, topics, _limits, signal) =>
      this.answer(
        'fetchRecords',
        signal,
        topics.flatMap(({ topic, partitions }) =>
          partitions.map(({ partition, offset }) => ({
            topic,
            partition,
            fetchOffset: offset,
            errorCode: 0,
            highWatermark: 25,
            logStartOffset: 0,
            records: recordBatchHeader({
              baseOffset: offset,
              firstTimestamp: SCRIPTED_MESSAGE_TIME,
            }),
          })),
        ),
      ),
  };

  private answer<T>(name: RequestName, signal: AbortSignal | undefined, value: T): Promise<T> {
    this.sent.push(name);
    if (this.stoppedBySignal.has(name)) {
      // As ClusterClient does: the request stops waiting when the snapshot's signal fires.
      return new Promise((_, reject) =>
        signal?.addEventListener('abort', () =>
          reject(
            new BrokerRequestError(
              { apiName: name, apiKey: -1, nodeId: undefined, broker: undefined },
              'aborted',
              'stopped waiting',
            ),
          ),
        ),
      );
    }
    if (!this.held.has(name)) return Promise.resolve(value);
    return new Promise((resolve) => this.waiting.push(() => resolve(value)));
  }
}
