/**
 * The messages every run sends: the same value bytes in every run and every variant (so no
 * variant gets an easier payload), random-looking so nothing along the way could compress them.
 */

/** Seed of the payload generator; changing it changes every benchmark's input. */
const PAYLOAD_SEED = 0x9e3779b9;

/** `size` bytes from a xorshift32 sequence: fixed for a given size, without any pattern. */
export function benchPayload(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  let state = PAYLOAD_SEED;
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

/** String keys, distinct per message, so the default partitioner spreads them over partitions. */
export function messageKey(index: number): string {
  return `key-${index}`;
}

/** Messages `from` to `from + count - 1`, all carrying the shared payload. */
export function benchMessages(
  from: number,
  count: number,
  payload: Buffer,
): Array<{ key: string; value: Buffer }> {
  const messages = new Array<{ key: string; value: Buffer }>(count);
  for (let i = 0; i < count; i++) messages[i] = { key: messageKey(from + i), value: payload };
  return messages;
}
