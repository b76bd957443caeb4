import { describe, expect, it } from 'vitest';
import {
  FrameReader,
  MALFORMED_REPLY_CODE,
  TLS_REPLY_CODE,
} from '../../../../src/collectors/protocol/reply-guard';

function frame(bodyBytes: number, fill = 1): Buffer {
  const bytes = Buffer.alloc(4 + bodyBytes, fill);
  bytes.writeInt32BE(bodyBytes, 0);
  return bytes;
}

function sizePrefix(size: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(size, 0);
  return bytes;
}

/** The stream fed to a fresh reader in chunks of `chunkBytes`; the first problem found. */
function read(stream: Buffer, chunkBytes: number, limit = 1000) {
  const reader = new FrameReader(limit);
  for (let at = 0; at < stream.length; at += chunkBytes) {
    const problem = reader.check(stream.subarray(at, at + chunkBytes));
    if (problem) return problem;
  }
  return undefined;
}

describe('FrameReader', () => {
  const valid = Buffer.concat([frame(4), frame(100), frame(1000), frame(7)]);

  it.each([1, 2, 3, 5, 64, valid.length])(
    'follows frames split into %i-byte chunks',
    (chunkBytes) => {
      expect(read(valid, chunkBytes)).toBeUndefined();
    },
  );

  it.each([
    ['empty', 0, 'a reply frame announced 0 bytes, fewer than its correlation id needs'],
    ['negative', -1, 'a reply frame announced -1 bytes, fewer than its correlation id needs'],
    ['over the limit', 1001, 'a reply frame announced 1001 bytes, over the limit of 1000'],
  ])('refuses a frame %s, wherever the chunks split it', (_, size, message) => {
    const stream = Buffer.concat([frame(10), sizePrefix(size), Buffer.alloc(8)]);
    for (const chunkBytes of [1, 3, 4, stream.length]) {
      const problem = read(stream, chunkBytes);
      expect(problem?.message).toBe(message);
      expect(problem?.code).toBe(MALFORMED_REPLY_CODE);
    }
  });

  it('names a TLS alert as the first reply: the listener expects TLS', () => {
    // A TLS 1.2 alert record: content type 21, version 3.3, length 2, fatal, unexpected_message.
    const alert = Buffer.from([21, 3, 3, 0, 2, 2, 10]);
    const problem = read(alert, alert.length);
    expect(problem?.code).toBe(TLS_REPLY_CODE);
    expect(problem?.message).toMatch(/the listener expects TLS/);
  });

  it('reads TLS-looking bytes later in the stream as frame bytes, not as TLS', () => {
    const stream = Buffer.concat([frame(4), Buffer.from([21, 3, 3, 0]), Buffer.alloc(0)]);
    expect(read(stream, 8)?.code).toBe(MALFORMED_REPLY_CODE);
  });
});
