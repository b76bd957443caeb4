/**
 * Reading the time of an offset from record batches made by Kafka's own record builder
 * (`fixtures/java-vectors.ts`): records at offsets 40-42, stamped t, t+250 ms, t+900 ms.
 */
import { describe, expect, it } from 'vitest';
import { ProtocolDecodeError } from '../../../../src/collectors/protocol/protocol-decode-error';
import { timeOfOffset } from '../../../../src/collectors/protocol/record-batches';
import { vector } from './fixtures/java-vectors';

const T = 1_700_000_000_000;

describe('timeOfOffset', () => {
  it("reads an uncompressed record's own timestamp", () => {
    const records = vector('records.plain');
    expect(timeOfOffset(records, 40)).toEqual({
      kind: 'found',
      timestamp: T,
      exact: true,
      spreadMs: 0,
    });
    expect(timeOfOffset(records, 41)).toEqual({
      kind: 'found',
      timestamp: T + 250,
      exact: true,
      spreadMs: 0,
    });
    expect(timeOfOffset(records, 42)).toEqual({
      kind: 'found',
      timestamp: T + 900,
      exact: true,
      spreadMs: 0,
    });
    // Below the batch (compacted away): the first record that is there.
    expect(timeOfOffset(records, 12)).toEqual({
      kind: 'found',
      timestamp: T,
      exact: true,
      spreadMs: 0,
    });
  });

  it('takes the first timestamp of a compressed batch, with the batch spread as the bound', () => {
    const records = vector('records.gzip');
    for (const offset of [40, 41, 42]) {
      expect(timeOfOffset(records, offset)).toEqual({
        kind: 'found',
        timestamp: T,
        exact: false,
        spreadMs: 900,
      });
    }
  });

  it("takes the broker's append time under LogAppendTime", () => {
    expect(timeOfOffset(vector('records.log-append-time'), 41)).toEqual({
      kind: 'found',
      timestamp: T + 5_000,
      exact: true,
      spreadMs: 0,
    });
  });

  it('passes over transaction markers to the next message', () => {
    expect(timeOfOffset(vector('records.marker-then-batch'), 43)).toEqual({
      kind: 'found',
      timestamp: T + 2_000,
      exact: true,
      spreadMs: 0,
    });
    expect(timeOfOffset(vector('records.marker-only'), 43)).toEqual({ kind: 'none', seenUpTo: 44 });
  });

  it('finds nothing past the last offset, and nothing in no bytes', () => {
    expect(timeOfOffset(vector('records.plain'), 43)).toEqual({ kind: 'none', seenUpTo: 43 });
    expect(timeOfOffset(Buffer.alloc(0), 0)).toEqual({ kind: 'none', seenUpTo: -1 });
    // A marker cut off by the fetch size: nothing is known past the offset.
    const cut = vector('records.marker-then-batch').subarray(0, 70);
    expect(timeOfOffset(cut, 43)).toEqual({ kind: 'none', seenUpTo: -1 });
  });

  it('uses the batch header when the fetch size cut the records', () => {
    const plain = vector('records.plain');
    // Header (61 bytes) and the first record only.
    const cut = plain.subarray(0, 61 + 8);
    expect(timeOfOffset(cut, 40)).toEqual({
      kind: 'found',
      timestamp: T,
      exact: true,
      spreadMs: 0,
    });
    expect(timeOfOffset(cut, 42)).toEqual({
      kind: 'found',
      timestamp: T,
      exact: false,
      spreadMs: 900,
    });
    expect(timeOfOffset(plain.subarray(0, 60), 40)).toEqual({ kind: 'unreadable' });
  });

  it('refuses an old message format and fails on a malformed batch length', () => {
    const old = Buffer.from(vector('records.plain'));
    old[16] = 1; // magic v1
    expect(timeOfOffset(old, 40)).toEqual({ kind: 'unreadable' });
    const broken = Buffer.from(vector('records.plain'));
    broken.writeInt32BE(3, 8); // batch length shorter than a header
    expect(() => timeOfOffset(broken, 40)).toThrow(ProtocolDecodeError);
  });
});
