/**
 * Which offsets the time-lag phase reads and what it makes of the answers, with a stand-in for
 * the Fetch requests (the real reads are proven against a broker in the integration suite).
 */
import { describe, expect, it } from 'vitest';
import { OffsetTimes } from '../../../src/collectors/lag/offset-times';
import type { GroupFacts } from '../../../src/collectors/phases/groups-phase';
import type { ClusterMetadata } from '../../../src/collectors/phases/metadata-phase';
import type { PartitionOffsets } from '../../../src/collectors/phases/offsets-phase';
import { partitionKey } from '../../../src/collectors/phases/phase-outcome';
import type { SnapshotClient } from '../../../src/collectors/phases/snapshot-client';
import { timeLagPhase } from '../../../src/collectors/phases/time-lag-phase';
import type { FetchedPartition, FetchPartition } from '../../../src/collectors/protocol';
import { recordBatchHeader } from './protocol/support/record-batch-header';

const T = 1_700_000_000_000;

const metadata: ClusterMetadata = {
  controllerId: 1,
  brokers: [1, 2].map((nodeId) => ({ nodeId, host: 'localhost', port: 9090 + nodeId })),
  topics: [
    {
      name: 'orders',
      topicId: undefined,
      errorCode: 0,
      isInternal: false,
      partitions: [0, 1, 2].map((partition) => ({
        partition,
        errorCode: 0,
        leader: partition === 2 ? -1 : partition + 1, // partition 2 is offline
        leaderEpoch: 0,
        replicas: [1, 2],
        isr: [1, 2],
        offlineReplicas: [],
      })),
    },
  ],
};

function group(groupId: string, committed: Record<number, number>): GroupFacts {
  return {
    groupId,
    coordinator: 1,
    offsets: {
      groupId,
      errorCode: 0,
      partitions: Object.entries(committed).map(([partition, committedOffset]) => ({
        topic: 'orders',
        partition: Number(partition),
        committedOffset,
        committedLeaderEpoch: 0,
        errorCode: 0,
      })),
    },
  };
}

function offsets(byPartition: Record<number, PartitionOffsets>): Map<string, PartitionOffsets> {
  return new Map(
    Object.entries(byPartition).map(([p, value]) => [partitionKey('orders', Number(p)), value]),
  );
}

/** Answers each read with what `answer` returns for it; records every read and request. */
function fetching(answer: (read: FetchPartition) => Partial<FetchedPartition>) {
  const reads: { leader: number; partition: number; offset: number }[] = [];
  const requests: { leader: number; reads: number; maxBytes: number }[] = [];
  const client = {
    fetchRecords: (
      leader: number,
      topics: readonly { topic: string; partitions: readonly FetchPartition[] }[],
      limits: { maxBytes: number },
    ) => {
      const asked = topics.flatMap(({ topic, partitions }) =>
        partitions.map((read) => ({ topic, read })),
      );
      requests.push({ leader, reads: asked.length, maxBytes: limits.maxBytes });
      return Promise.resolve(
        asked.map(({ topic, read }) => {
          reads.push({ leader, partition: read.partition, offset: read.offset });
          return {
            topic,
            partition: read.partition,
            fetchOffset: read.offset,
            errorCode: 0,
            highWatermark: 100,
            logStartOffset: 0,
            records: Buffer.alloc(0),
            ...answer(read),
          };
        }),
      );
    },
  } as unknown as SnapshotClient;
  return { client, reads, requests };
}

const memory = (readLimit = 100, known = new OffsetTimes()) => ({ known, readLimit });
const signal = new AbortController().signal;

describe('timeLagPhase', () => {
  it('reads each lagging offset once, from its leader, and skips caught-up and offline ones', async () => {
    const { client, reads } = fetching((read) => ({
      records: recordBatchHeader({ baseOffset: read.offset, firstTimestamp: T + read.offset }),
    }));
    const outcome = await timeLagPhase(
      client,
      metadata,
      // Two groups at the same offset of partition 0; one caught up on partition 1; partition 2 offline.
      [group('a', { 0: 10, 1: 100, 2: 5 }), group('b', { 0: 10, 1: 40 })],
      offsets({
        0: { oldest: 0, current: 100 },
        1: { oldest: 0, current: 100 },
        2: { current: 9 },
      }),
      memory(),
      signal,
    );
    expect(reads).toEqual([
      { leader: 1, partition: 0, offset: 10 },
      { leader: 2, partition: 1, offset: 40 },
    ]);
    expect(outcome.errors).toEqual([]);
    expect(outcome.value.read).toBe(2);
    expect(outcome.value.times.get('orders', 0, 10)).toBe(T + 10);
    expect(outcome.value.times.get('orders', 1, 40)).toBe(T + 40);
    expect(outcome.value.times.size).toBe(2);
  });

  it('reads a partition once for all its groups, and again only past the bytes read', async () => {
    // A batch of offsets 10-12 answers a read at 10; anything past 12 needs another read.
    const { client, reads } = fetching((read) => ({
      records: recordBatchHeader({
        baseOffset: read.offset,
        lastOffsetDelta: 2,
        firstTimestamp: T + read.offset,
      }),
    }));
    const outcome = await timeLagPhase(
      client,
      metadata,
      [group('a', { 0: 12 }), group('b', { 0: 10 }), group('c', { 0: 11 }), group('d', { 0: 30 })],
      offsets({ 0: { oldest: 0, current: 100 } }),
      memory(),
      signal,
    );
    expect(reads).toEqual([
      { leader: 1, partition: 0, offset: 10 },
      { leader: 1, partition: 0, offset: 30 },
    ]);
    expect(outcome.value.read).toBe(4);
    // Compressed batches carry the first timestamp for every offset in them.
    for (const offset of [10, 11, 12])
      expect(outcome.value.times.get('orders', 0, offset)).toBe(T + 10);
    expect(outcome.value.times.get('orders', 0, 30)).toBe(T + 30);
  });

  it('reads the log start when retention deleted the committed offset', async () => {
    const { client, reads } = fetching((read) => ({
      records: recordBatchHeader({ baseOffset: read.offset, firstTimestamp: T }),
    }));
    const outcome = await timeLagPhase(
      client,
      metadata,
      [group('a', { 0: 10 })],
      offsets({ 0: { oldest: 60, current: 100 } }),
      memory(),
      signal,
    );
    expect(reads).toEqual([{ leader: 1, partition: 0, offset: 60 }]);
    expect(outcome.value.times.get('orders', 0, 60)).toBe(T);
  });

  it('knows nothing follows an offset when only transaction markers lead to the log end', async () => {
    const { client } = fetching((read) => ({
      highWatermark: read.offset + 1,
      records: recordBatchHeader({ baseOffset: read.offset, firstTimestamp: T, control: true }),
    }));
    const outcome = await timeLagPhase(
      client,
      metadata,
      [group('a', { 0: 99 })],
      offsets({ 0: { oldest: 0, current: 100 } }),
      memory(),
      signal,
    );
    expect(outcome.value.nothingAfter.get('orders', 0, 99)).toBe(1);
    expect(outcome.value.times.size).toBe(0);
  });

  it('leaves out partitions answered with an error, and counts malformed records', async () => {
    const { client } = fetching(
      (read) =>
        read.partition === 0
          ? { errorCode: 1, records: Buffer.alloc(0) } // OFFSET_OUT_OF_RANGE
          : { records: Buffer.alloc(61, 0xff) }, // a batch length of -1
    );
    const outcome = await timeLagPhase(
      client,
      metadata,
      [group('a', { 0: 10, 1: 10 })],
      offsets({ 0: { oldest: 0, current: 100 }, 1: { oldest: 0, current: 100 } }),
      memory(),
      signal,
    );
    expect(outcome.value.times.size).toBe(0);
    expect(outcome.errors).toEqual([
      {
        phase: 'time_lag',
        broker: 2,
        errorType: 'decode',
        message: expect.stringMatching(/Cannot decode record batch/),
      },
    ]);
  });

  it('reuses what the last snapshot read and reads at most readLimit offsets', async () => {
    const { client, reads } = fetching((read) => ({
      records: recordBatchHeader({ baseOffset: read.offset, firstTimestamp: T }),
    }));
    const known = new OffsetTimes();
    known.set('orders', 0, 10, T - 1);
    const outcome = await timeLagPhase(
      client,
      metadata,
      [group('a', { 0: 10, 1: 20 }), group('b', { 1: 30 })],
      offsets({ 0: { oldest: 0, current: 100 }, 1: { oldest: 0, current: 100 } }),
      memory(1, known),
      signal,
    );
    expect(reads).toEqual([{ leader: 2, partition: 1, offset: 20 }]);
    expect(outcome.value).toMatchObject({ read: 1, deferred: 1 });
    expect(outcome.value.times.get('orders', 0, 10)).toBe(T - 1);
    expect(outcome.value.times.size).toBe(2);

    const none = fetching(() => ({}));
    await timeLagPhase(
      none.client,
      metadata,
      [group('a', { 0: 10 })],
      offsets({ 0: { oldest: 0, current: 100 } }),
      memory(0),
      signal,
    );
    expect(none.reads).toEqual([]);
  });

  it('splits many reads into Fetch requests of at most 1000, each with room for its bytes', async () => {
    const partitions = 2_500;
    const wide: ClusterMetadata = {
      ...metadata,
      topics: [
        {
          ...metadata.topics[0]!,
          partitions: Array.from({ length: partitions }, (_, partition) => ({
            partition,
            errorCode: 0,
            leader: 1,
            leaderEpoch: 0,
            replicas: [1],
            isr: [1],
            offlineReplicas: [],
          })),
        },
      ],
    };
    const committed = Object.fromEntries(Array.from({ length: partitions }, (_, p) => [p, 10]));
    const all = Object.fromEntries(
      Array.from({ length: partitions }, (_, p) => [p, { oldest: 0, current: 100 }]),
    );
    const { client, requests } = fetching((read) => ({
      records: recordBatchHeader({ baseOffset: read.offset, firstTimestamp: T }),
    }));
    const outcome = await timeLagPhase(
      client,
      wide,
      [group('a', committed)],
      offsets(all),
      memory(10_000),
      signal,
    );
    expect(requests).toEqual(
      [1_000, 1_000, 500].map((reads) => ({
        leader: 1,
        reads,
        maxBytes: reads * 1024 + 1024 * 1024,
      })),
    );
    expect(outcome.value.times.size).toBe(partitions);
  });
});
