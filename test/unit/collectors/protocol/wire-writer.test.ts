import { describe, expect, it } from 'vitest';
import { WireReader } from '../../../../src/collectors/protocol/wire-reader';
import { WireWriter } from '../../../../src/collectors/protocol/wire-writer';

const bytes = (writer: WireWriter) => [...writer.toBuffer()];

describe('WireWriter', () => {
  it('writes unsigned varints (LEB128)', () => {
    expect(bytes(new WireWriter().uvarint(0))).toEqual([0]);
    expect(bytes(new WireWriter().uvarint(127))).toEqual([0x7f]);
    expect(bytes(new WireWriter().uvarint(128))).toEqual([0x80, 0x01]);
    expect(bytes(new WireWriter().uvarint(300))).toEqual([0xac, 0x02]);
    expect(bytes(new WireWriter().uvarint(0xffff_ffff))).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(() => new WireWriter().uvarint(-1)).toThrow(RangeError);
    expect(() => new WireWriter().uvarint(2 ** 32)).toThrow(RangeError);
  });

  it('writes compact strings, nullable strings and arrays', () => {
    expect(bytes(new WireWriter().compactString(''))).toEqual([1]);
    expect(bytes(new WireWriter().compactString('é'))).toEqual([3, 0xc3, 0xa9]);
    expect(bytes(new WireWriter().compactNullableString(null))).toEqual([0]);
    expect(bytes(new WireWriter().compactStringArray(null))).toEqual([0]);
    expect(bytes(new WireWriter().compactStringArray(['a']))).toEqual([2, 2, 0x61]);
    expect(bytes(new WireWriter().compactInt32Array([1]))).toEqual([2, 0, 0, 0, 1]);
  });

  it('writes fixed-width integers big-endian; int64 only from safe integers', () => {
    const writer = new WireWriter().int8(-1).int16(-2).int32(3).int64(-1).bool(true).zeroUuid();
    expect(writer.toBuffer().toString('hex')).toBe(
      'ff' + 'fffe' + '00000003' + 'ffffffffffffffff' + '01' + '00'.repeat(16),
    );
    expect(() => new WireWriter().int64(2 ** 53)).toThrow(RangeError);
  });

  it('grows past its initial buffer and round-trips through the reader', () => {
    const long = 'x'.repeat(1000);
    const writer = new WireWriter();
    for (let i = 0; i < 50; i++) writer.compactString(long).int64(i * 1_000_000_007);
    const reader = new WireReader(writer.toBuffer(), 'round trip');
    for (let i = 0; i < 50; i++) {
      expect(reader.compactString()).toBe(long);
      expect(reader.int64()).toBe(i * 1_000_000_007);
    }
    reader.end();
  });
});
