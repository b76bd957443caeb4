/**
 * The 61-byte header of a record batch (message format v2) without its records, as a Fetch cut
 * at the header would return it: what the time-lag phase reads. The CRC is left 0 (nothing
 * here checks it). Flags: `compressed` sets gzip (records are then not parsed), `logAppendTime`
 * the timestamp type, `control` a transaction-marker batch.
 */
export function recordBatchHeader(batch: {
  baseOffset: number;
  firstTimestamp: number;
  maxTimestamp?: number;
  lastOffsetDelta?: number;
  compressed?: boolean;
  logAppendTime?: boolean;
  control?: boolean;
}): Buffer {
  const header = Buffer.alloc(61);
  header.writeBigInt64BE(BigInt(batch.baseOffset), 0);
  header.writeInt32BE(61 - 12, 8); // batchLength: the rest of the header, no records
  header.writeInt32BE(-1, 12); // partitionLeaderEpoch
  header.writeInt8(2, 16); // magic
  const attributes =
    (batch.compressed === false ? 0 : 1) |
    (batch.logAppendTime ? 0x08 : 0) |
    (batch.control ? 0x20 : 0);
  header.writeInt16BE(attributes, 21);
  header.writeInt32BE(batch.lastOffsetDelta ?? 0, 23);
  header.writeBigInt64BE(BigInt(batch.firstTimestamp), 27);
  header.writeBigInt64BE(BigInt(batch.maxTimestamp ?? batch.firstTimestamp), 35);
  header.writeBigInt64BE(-1n, 43); // producerId
  header.writeInt16BE(-1, 51); // producerEpoch
  header.writeInt32BE(-1, 53); // baseSequence
  header.writeInt32BE(1, 57); // recordCount
  return header;
}
