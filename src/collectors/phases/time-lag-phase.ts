import { OffsetTimes } from '../lag/offset-times';
import type { FetchedPartition, FetchPartition } from '../protocol';
import { timeOfOffset } from '../protocol/record-batches';
import type { GroupFacts } from './groups-phase';
import type { ClusterMetadata } from './metadata-phase';
import type { PartitionOffsets } from './offsets-phase';
import { chunk, mapBounded } from '../bounded-concurrency';
import { PhaseErrors, partitionKey, type PhaseOutcome } from './phase-outcome';
import type { SnapshotClient } from './snapshot-client';

/** What the time-lag phase may reuse and how much it may read. */
export interface TimeLagMemory {
  /** Times read by the previous snapshot, by (topic, partition, offset): not read again. */
  readonly known: OffsetTimes;
  /** Most offsets read from the brokers per snapshot; the rest wait for the next ones. */
  readonly readLimit: number;
}

/** The times of the first unconsumed message of the lagging group-partitions. */
export interface TimeLagReads {
  /** Time (ms) of the message at (or first after) each offset: reused or read now. */
  readonly times: OffsetTimes;
  /** Offsets after which the log holds no message up to its end (transaction markers only). */
  readonly nothingAfter: OffsetTimes;
  /** Offsets read from the brokers by this snapshot. */
  readonly read: number;
  /** Offsets left unread because of `readLimit`. */
  readonly deferred: number;
}

/** Bytes read per partition: a batch header is 61 bytes, the rest finds the record in it. */
export const PARTITION_READ_BYTES = 1024;
/** Offsets read per Fetch request (its answer then holds at most about 1 MiB). */
const READS_PER_FETCH = 1_000;
/** Fetch requests in flight at once, over all brokers. */
const FETCHES_IN_FLIGHT = 4;
/**
 * Room in each answer for one whole batch past `PARTITION_READ_BYTES`: a broker returns the
 * first batch of an answer whole however large (KIP-74, up to `max.message.bytes`, 1 MiB by
 * default), and what it takes from the answer's budget must not leave the others empty.
 */
const OVERSIZED_BATCH_ROOM = 1024 * 1024;

/**
 * The offset whose message a lagging group waits for: its committed offset, or the log start
 * when retention or `deleteRecords` removed that offset (the oldest retained message is then
 * the first one the group will read). Undefined when the group is not behind.
 */
export function firstUnconsumedOffset(
  committed: number,
  offsets: PartitionOffsets | undefined,
): number | undefined {
  const end = offsets?.current;
  if (end === undefined) return undefined;
  const first =
    offsets?.oldest !== undefined && committed < offsets.oldest ? offsets.oldest : committed;
  return first < end ? first : undefined;
}

/**
 * Reads, for every group-partition with lag, the time of the message it waits for, from the
 * log itself: a Fetch of 1 KiB at that offset returns the record batch that holds it, whose
 * header (or uncompressed record) carries the time. One read per partition serves every group
 * on it: it starts at the lowest offset wanted, and the batches it returns usually hold the
 * others too; those that lie further are read in a next wave, from the lowest of them. An
 * offset read by the previous snapshot is not read again (a group that did not commit costs
 * nothing), and at most `readLimit` offsets are read per snapshot. A partition whose read
 * failed is left out (its time lag is then interpolated); a malformed answer is an error of
 * the phase.
 */
export async function timeLagPhase(
  client: SnapshotClient,
  metadata: ClusterMetadata,
  groups: readonly GroupFacts[],
  offsets: ReadonlyMap<string, PartitionOffsets>,
  memory: TimeLagMemory,
  signal: AbortSignal,
): Promise<PhaseOutcome<TimeLagReads>> {
  const errors = new PhaseErrors('time_lag');
  const times = new OffsetTimes();
  const nothingAfter = new OffsetTimes();
  const leaders = leadersByPartition(metadata);
  const toRead = new Map<string, PartitionReads>();
  const queued = new OffsetTimes();
  let read = 0;
  let deferred = 0;
  for (const group of groups) {
    for (const p of group.offsets?.partitions ?? []) {
      if (p.errorCode !== 0 || p.committedOffset < 0) continue;
      const key = partitionKey(p.topic, p.partition);
      const wanted = firstUnconsumedOffset(p.committedOffset, offsets.get(key));
      if (wanted === undefined || queued.get(p.topic, p.partition, wanted) !== undefined) continue;
      queued.set(p.topic, p.partition, wanted, 1);
      const known = memory.known.get(p.topic, p.partition, wanted);
      if (known !== undefined) {
        times.set(p.topic, p.partition, wanted, known);
        continue;
      }
      const leader = leaders.get(p.topic)?.get(p.partition);
      if (leader === undefined) continue;
      if (read >= memory.readLimit) {
        deferred++;
        continue;
      }
      read++;
      const reads = toRead.get(key);
      if (reads) reads.offsets.push(wanted);
      else toRead.set(key, { topic: p.topic, partition: p.partition, leader, offsets: [wanted] });
    }
  }
  let wave = [...toRead.values()];
  for (const reads of wave) reads.offsets.sort((a, b) => a - b);
  for (let n = 0; n < MAX_WAVES && wave.length > 0 && !signal.aborted; n++) {
    wave = await readWave(client, wave, { times, nothingAfter }, errors, signal);
  }
  return errors.outcome({ times, nothingAfter, read, deferred });
}

/** The offsets of one partition still to read, ascending, and the leader to read them from. */
interface PartitionReads {
  topic: string;
  partition: number;
  leader: number;
  offsets: number[];
}

/** Waves of reads per snapshot: the offsets of one partition rarely need more than one. */
const MAX_WAVES = 3;

/**
 * Reads each partition once, at its lowest offset, and resolves all its offsets from what
 * comes back. Returns the partitions with offsets left beyond the bytes read (the offset read
 * at is never left: what its own read could not tell, this snapshot does not learn).
 */
async function readWave(
  client: SnapshotClient,
  wave: readonly PartitionReads[],
  found: { times: OffsetTimes; nothingAfter: OffsetTimes },
  errors: PhaseErrors,
  signal: AbortSignal,
): Promise<PartitionReads[]> {
  const byLeader = new Map<number, PartitionReads[]>();
  for (const reads of wave) {
    let list = byLeader.get(reads.leader);
    if (!list) byLeader.set(reads.leader, (list = []));
    list.push(reads);
  }
  const fetches = [...byLeader].flatMap(([leader, list]) =>
    chunk(list, READS_PER_FETCH).map((batch) => ({ leader, batch })),
  );
  const next: PartitionReads[] = [];
  // Interleaved by leader, a few in flight: each broker serves its reads one or two at a time
  // and the answers held at once stay a few MiB.
  await mapBounded(interleave(fetches), FETCHES_IN_FLIGHT, signal, async ({ leader, batch }) => {
    let answers: FetchedPartition[];
    try {
      answers = await client.fetchRecords(
        leader,
        byTopic(batch),
        {
          maxBytes: batch.length * PARTITION_READ_BYTES + OVERSIZED_BATCH_ROOM,
          partitionMaxBytes: PARTITION_READ_BYTES,
        },
        signal,
      );
    } catch (error) {
      errors.add(error, leader);
      return;
    }
    const asked = new Map(
      batch.map((reads) => [partitionKey(reads.topic, reads.partition), reads]),
    );
    for (const answer of answers) {
      const reads = asked.get(partitionKey(answer.topic, answer.partition));
      if (reads === undefined) continue;
      try {
        const left = resolveOffsets(answer, reads.offsets, found);
        if (left.length > 0) next.push({ ...reads, offsets: left });
      } catch (error) {
        errors.add(error, leader);
      }
    }
  });
  return next;
}

/**
 * Records what one partition's answer says about each of `offsets` (ascending; the answer was
 * read at the first) and returns those it could not tell, the first excepted. A partition error
 * (OFFSET_OUT_OF_RANGE when retention moved the log start since ListOffsets,
 * NOT_LEADER_OR_FOLLOWER during a leader move) tells nothing: the next snapshot asks again.
 * Throws `ProtocolDecodeError` for malformed records.
 */
function resolveOffsets(
  answer: FetchedPartition,
  offsets: readonly number[],
  found: { times: OffsetTimes; nothingAfter: OffsetTimes },
): number[] {
  if (answer.errorCode !== 0) return [];
  const left: number[] = [];
  for (const [index, offset] of offsets.entries()) {
    const time = timeOfOffset(answer.records, offset);
    if (time.kind === 'found') {
      found.times.set(answer.topic, answer.partition, offset, time.timestamp);
    } else if (time.kind === 'none' && Math.max(time.seenUpTo, offset) >= answer.highWatermark) {
      found.nothingAfter.set(answer.topic, answer.partition, offset, 1);
    } else if (index > 0) {
      left.push(offset);
    }
  }
  return left;
}

/** Leader of every partition with a live one, by topic and partition. */
function leadersByPartition(metadata: ClusterMetadata): Map<string, Map<number, number>> {
  const live = new Set(metadata.brokers.map((b) => b.nodeId));
  const leaders = new Map<string, Map<number, number>>();
  for (const topic of metadata.topics) {
    const byPartition = new Map<number, number>();
    leaders.set(topic.name, byPartition);
    for (const p of topic.partitions) {
      if (p.leader >= 0 && live.has(p.leader)) byPartition.set(p.partition, p.leader);
    }
  }
  return leaders;
}

/** The fetches reordered round-robin over leaders: the first of each, then the second... */
function interleave<T extends { leader: number }>(fetches: readonly T[]): T[] {
  const byLeader = new Map<number, T[]>();
  for (const fetch of fetches) {
    let list = byLeader.get(fetch.leader);
    if (!list) byLeader.set(fetch.leader, (list = []));
    list.push(fetch);
  }
  const lists = [...byLeader.values()];
  const longest = Math.max(0, ...lists.map((list) => list.length));
  const out: T[] = [];
  for (let i = 0; i < longest; i++) {
    for (const list of lists) if (i < list.length) out.push(list[i]!);
  }
  return out;
}

/** One read per partition, at its lowest offset, grouped by topic as a Fetch lists them. */
function byTopic(
  batch: readonly PartitionReads[],
): { topic: string; partitions: FetchPartition[] }[] {
  const topics = new Map<string, FetchPartition[]>();
  for (const { topic, partition, offsets } of batch) {
    let list = topics.get(topic);
    if (!list) topics.set(topic, (list = []));
    list.push({ partition, offset: offsets[0]! });
  }
  return [...topics].map(([topic, partitions]) => ({ topic, partitions }));
}
