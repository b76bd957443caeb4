import { WireReader } from './wire-reader';

/**
 * The time of the first message at or after an offset, read from record batches as a Fetch
 * returns them (message format v2, Kafka 0.11+):
 * - `found`: `timestamp` in ms of that message. `exact` when it was read from the record itself
 *   (an uncompressed batch) or the topic stamps whole batches (`LogAppendTime`); otherwise the
 *   batch's first timestamp, at most `spreadMs` (the batch's max minus first timestamp, the
 *   producer's linger) earlier than the message's own;
 * - `none`: no message at or after the offset in these bytes; `seenUpTo` is the offset after
 *   the last whole batch read (-1 if none was): where it reaches the high watermark, nothing
 *   but transaction markers follows the offset;
 * - `unreadable`: the bytes end inside the batch header, or the batch is in an old message
 *   format (v0/v1) that carries no batch header.
 */
export type OffsetTime =
  | { kind: 'found'; timestamp: number; exact: boolean; spreadMs: number }
  | { kind: 'none'; seenUpTo: number }
  | { kind: 'unreadable' };

/** Bytes before the records of a v2 batch: everything up to and including the record count. */
const BATCH_HEADER_BYTES = 61;
/** Bytes of `baseOffset` and `batchLength`, which `batchLength` does not count. */
const LOG_OVERHEAD = 12;
const COMPRESSION_MASK = 0x07;
const LOG_APPEND_TIME_FLAG = 0x08;
const CONTROL_BATCH_FLAG = 0x20;

/**
 * Finds the time of the first message at or after `offset` in `records` (the batches of one
 * partition, starting with the one that holds `offset`; the last may be cut off). Transaction
 * markers (control batches) are not messages and are passed over. Only headers are read, and
 * the records of an uncompressed batch: nothing is decompressed. A malformed batch throws
 * `ProtocolDecodeError`.
 */
export function timeOfOffset(records: Buffer, offset: number): OffsetTime {
  const reader = new WireReader(records, 'record batch');
  let seenUpTo = -1;
  while (reader.remaining > 0) {
    const start = reader.offset;
    if (reader.remaining < BATCH_HEADER_BYTES) return { kind: 'unreadable' };
    const baseOffset = reader.int64();
    const batchLength = reader.int32();
    if (batchLength < BATCH_HEADER_BYTES - LOG_OVERHEAD) {
      reader.fail(`batch length ${batchLength} is shorter than a batch header`);
    }
    reader.int32(); // partitionLeaderEpoch
    const magic = reader.int8();
    if (magic !== 2) return { kind: 'unreadable' };
    reader.int32(); // crc
    const attributes = reader.int16();
    const lastOffsetDelta = reader.int32();
    const firstTimestamp = reader.int64();
    const maxTimestamp = reader.int64();
    reader.skip(8 + 2 + 4); // producerId, producerEpoch, baseSequence
    const recordCount = reader.int32();
    const end = start + LOG_OVERHEAD + batchLength;
    const isControl = (attributes & CONTROL_BATCH_FLAG) !== 0;
    if (baseOffset + lastOffsetDelta < offset || isControl || recordCount === 0) {
      // Before the offset, or markers only: on to the next batch, if it is all here.
      if (end > records.length) break;
      seenUpTo = baseOffset + lastOffsetDelta + 1;
      reader.offset = end;
      continue;
    }
    const spreadMs = Math.max(0, maxTimestamp - firstTimestamp);
    if ((attributes & LOG_APPEND_TIME_FLAG) !== 0) {
      // The broker stamped the whole batch when it appended it: one time for every record.
      return { kind: 'found', timestamp: maxTimestamp, exact: true, spreadMs: 0 };
    }
    if ((attributes & COMPRESSION_MASK) === 0) {
      const exact = recordTime(reader, Math.min(end, records.length), baseOffset, offset);
      if (exact !== undefined) {
        return { kind: 'found', timestamp: firstTimestamp + exact, exact: true, spreadMs: 0 };
      }
    }
    return { kind: 'found', timestamp: firstTimestamp, exact: spreadMs === 0, spreadMs };
  }
  return { kind: 'none', seenUpTo };
}

/**
 * The timestamp delta of the first record at or after `offset` in an uncompressed batch, read
 * record by record up to `end`; undefined when the bytes end before it.
 */
function recordTime(
  reader: WireReader,
  end: number,
  baseOffset: number,
  offset: number,
): number | undefined {
  while (reader.offset < end) {
    const length = reader.zigzagVarint();
    const recordStart = reader.offset;
    if (length < 0) reader.fail(`negative record length ${length}`);
    if (recordStart + length > end) return undefined; // cut off by the fetch size
    reader.int8(); // attributes
    const timestampDelta = reader.zigzagVarint();
    const offsetDelta = reader.zigzagVarint();
    if (baseOffset + offsetDelta >= offset) return timestampDelta;
    reader.offset = recordStart + length;
  }
  return undefined;
}
