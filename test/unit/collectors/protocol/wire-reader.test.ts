import { describe, expect, it } from 'vitest';
import { ProtocolDecodeError } from '../../../../src/collectors/protocol/protocol-decode-error';
import { WireReader } from '../../../../src/collectors/protocol/wire-reader';

const reader = (...bytes: number[]) => new WireReader(Buffer.from(bytes), 'test message');
const hex = (text: string) => new WireReader(Buffer.from(text.replace(/ /g, ''), 'hex'), 'test');

describe('WireReader', () => {
  it('reads big-endian integers and booleans', () => {
    const r = reader(0xff, 0x80, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00);
    expect(r.int8()).toBe(-1);
    expect(r.int16()).toBe(-32768);
    expect(r.uint16()).toBe(0xfffe);
    expect(r.int32()).toBe(256);
    expect(r.bool()).toBe(true);
    expect(r.bool()).toBe(false);
    r.end();
  });

  it('reads int64 exactly within 2^53, negative values included', () => {
    expect(hex('ffffffffffffffff').int64()).toBe(-1);
    expect(hex('fffffffffffffffe').int64()).toBe(-2);
    expect(hex('0000000200000005').int64()).toBe(8_589_934_597);
    expect(hex('001fffffffffffff').int64()).toBe(Number.MAX_SAFE_INTEGER);
    expect(hex('ffe0000000000001').int64()).toBe(Number.MIN_SAFE_INTEGER);
    expect(hex('0000018bcfe56800').int64()).toBe(1_700_000_000_000);
  });

  it('reads unsigned varints of 1 to 5 bytes', () => {
    expect(reader(0x00).uvarint()).toBe(0);
    expect(reader(0x7f).uvarint()).toBe(127);
    expect(reader(0x80, 0x01).uvarint()).toBe(128);
    expect(reader(0xac, 0x02).uvarint()).toBe(300);
    expect(reader(0xff, 0xff, 0xff, 0xff, 0x0f).uvarint()).toBe(0xffff_ffff);
  });

  it('rejects varints that are unterminated, too long or wider than 32 bits', () => {
    expect(() => reader(0x80).uvarint()).toThrow(/truncated/);
    expect(() => reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x01).uvarint()).toThrow(/longer than 5/);
    expect(() => reader(0xff, 0xff, 0xff, 0xff, 0x1f).uvarint()).toThrow(/exceeds 32 bits/);
  });

  it('reads compact strings: null, empty, UTF-8', () => {
    const euro = [...Buffer.from('€uro')];
    const r = reader(0, 1, euro.length + 1, ...euro);
    expect(r.compactNullableString()).toBeNull();
    expect(r.compactString()).toBe('');
    expect(r.compactString()).toBe('€uro');
    expect(reader(0).compactString()).toBe('');
  });

  it('reads compact bytes as a view, and skips strings without decoding', () => {
    const r = reader(0, 3, 0xaa, 0xbb, 4, 0x61, 0x62, 0x63, 0x09);
    expect(r.compactBytes()).toBeNull();
    expect(r.compactBytes()).toEqual(Buffer.from([0xaa, 0xbb]));
    r.skipCompactBytes();
    expect(r.int8()).toBe(9);
  });

  it('reads compact arrays of int32; a null array reads as empty', () => {
    expect(reader(3, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff).compactInt32Array()).toEqual([1, -1]);
    expect(reader(1).compactInt32Array()).toEqual([]);
    expect(reader(0).compactInt32Array()).toEqual([]);
  });

  it('rejects array counts that cannot fit in what is left, before allocating', () => {
    expect(() => reader(0xff, 0xff, 0xff, 0xff, 0x0f).compactArrayCount()).toThrow(/cannot fit/);
    expect(() => reader(3, 0, 0, 0, 1).compactInt32Array()).toThrow(/2 element\(s\) cannot fit/);
    expect(() => reader(0x7f, 0xff, 0xff, 0xff).legacyArrayCount()).toThrow(/cannot fit/);
  });

  it('skips tagged fields by their exact size, unknown tags included', () => {
    // 2 fields: tag 0 with 3 bytes, tag 300 (varint ac 02) with 1 byte; then int8 7.
    const r = reader(2, 0, 3, 1, 2, 3, 0xac, 0x02, 1, 0xee, 7);
    r.skipTaggedFields();
    expect(r.int8()).toBe(7);
    r.end();
    expect(() => reader(1, 5, 4, 0, 0).skipTaggedFields()).toThrow(/truncated/);
  });

  it('reads UUIDs in Kafka text form, zero as undefined', () => {
    expect(reader(...new Array<number>(16).fill(0)).uuid()).toBeUndefined();
    expect(hex('0123456789abcdef fedcba9876543210').uuid()).toBe('ASNFZ4mrze_-3LqYdlQyEA');
  });

  it('reads old-style strings and int32 arrays (consumer protocol)', () => {
    const r = reader(0, 2, 0x68, 0x69, 0xff, 0xff, 0, 0, 0, 1, 0, 0, 0, 7);
    expect(r.legacyNullableString()).toBe('hi');
    expect(r.legacyNullableString()).toBeNull();
    expect(r.legacyInt32Array()).toEqual([7]);
  });

  it('fails with the message name, the offset and the reason', () => {
    const r = reader(0, 0, 0);
    r.int16();
    try {
      r.int32();
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolDecodeError);
      expect(error).toMatchObject({
        name: 'ProtocolDecodeError',
        what: 'test message',
        offset: 2,
        message: 'Cannot decode test message at byte 2: truncated: needs 4 more byte(s), 1 left',
      });
    }
  });

  it('reports trailing bytes at the end', () => {
    const r = reader(1, 2);
    r.int8();
    expect(() => r.end()).toThrow(/1 unexpected trailing byte/);
  });
});
