import { ProtocolDecodeError } from './protocol-decode-error';

const TWO_POW_32 = 0x1_0000_0000;
const UUID_BYTES = 16;

/**
 * Reads Kafka protocol primitives from one response buffer, front to back, with a bounds check
 * on every read: a truncated or malformed buffer throws `ProtocolDecodeError`, never garbage.
 *
 * Written for this package rather than reusing KafkaJS's `Decoder`, whose `readUVarIntBytes` and
 * `readTaggedFields` mis-step on non-empty tagged fields (KafkaJS 2.2.4). Codecs call the methods
 * in wire order in plain loops; nothing here allocates except the strings and arrays returned.
 *
 * 64-bit integers come back as JavaScript numbers: exact up to 2^53, which offsets, byte counts
 * and millisecond timestamps never reach.
 */
export class WireReader {
  /** Position of the next byte to read. */
  offset = 0;

  /**
   * @param buf the bytes to decode (a response body, or a nested blob such as a member assignment)
   * @param what names the message in decode errors, e.g. `Metadata v12 response`
   */
  constructor(
    private readonly buf: Buffer,
    readonly what: string,
  ) {}

  /** Bytes not read yet. */
  get remaining(): number {
    return this.buf.length - this.offset;
  }

  /** Throws a decode error at the current offset. */
  fail(reason: string): never {
    throw new ProtocolDecodeError(this.what, this.offset, reason);
  }

  private need(bytes: number): void {
    if (this.offset + bytes > this.buf.length) {
      this.fail(`truncated: needs ${bytes} more byte(s), ${this.remaining} left`);
    }
  }

  /** Signed 8-bit integer. */
  int8(): number {
    this.need(1);
    return this.buf.readInt8(this.offset++);
  }

  /** Boolean (one byte, non-zero is true). */
  bool(): boolean {
    this.need(1);
    return this.buf[this.offset++] !== 0;
  }

  /** Big-endian signed 16-bit integer. */
  int16(): number {
    this.need(2);
    const value = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  /** Big-endian unsigned 16-bit integer (e.g. DescribeQuorum listener ports). */
  uint16(): number {
    this.need(2);
    const value = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  /** Big-endian signed 32-bit integer. */
  int32(): number {
    this.need(4);
    const value = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** Big-endian signed 64-bit integer as a number (two's complement, so -1 stays -1). */
  int64(): number {
    this.need(8);
    const high = this.buf.readInt32BE(this.offset);
    const low = this.buf.readUInt32BE(this.offset + 4);
    this.offset += 8;
    return high * TWO_POW_32 + low;
  }

  /** Unsigned LEB128 varint of at most 32 bits (5 bytes), as used by flexible versions. */
  uvarint(): number {
    let value = 0;
    let factor = 1;
    for (let i = 0; i < 5; i++) {
      this.need(1);
      const byte = this.buf[this.offset++]!;
      value += (byte & 0x7f) * factor;
      if (byte < 0x80) {
        if (value > 0xffff_ffff) this.fail('unsigned varint exceeds 32 bits');
        return value;
      }
      factor *= 128;
    }
    return this.fail('unsigned varint longer than 5 bytes');
  }

  /**
   * Signed zigzag varint of up to 64 bits (10 bytes), as record fields use (`varint`,
   * `varlong`). Exact while the magnitude stays under 2^53: record lengths, deltas and sizes.
   */
  zigzagVarint(): number {
    let value = 0;
    let factor = 1;
    for (let i = 0; i < 10; i++) {
      this.need(1);
      const byte = this.buf[this.offset++]!;
      value += (byte & 0x7f) * factor;
      if (byte < 0x80) {
        // zigzag: 0, 1, 2, 3 ... encode 0, -1, 1, -2 ...
        return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
      }
      factor *= 128;
    }
    return this.fail('varint longer than 10 bytes');
  }

  /**
   * Element count of a compact array (`uvarint(count + 1)`); a null array counts as empty.
   * @param minElementBytes smallest encoded size of one element, to reject impossible counts
   *   before anything is allocated for them
   */
  compactArrayCount(minElementBytes = 1): number {
    const encoded = this.uvarint();
    if (encoded === 0) return 0;
    const count = encoded - 1;
    if (count * minElementBytes > this.remaining) {
      this.fail(`array of ${count} element(s) cannot fit in the ${this.remaining} byte(s) left`);
    }
    return count;
  }

  /** Compact array of int32 (no per-element tag buffers); null reads as empty. */
  compactInt32Array(): number[] {
    const count = this.compactArrayCount(4);
    const values = new Array<number>(count);
    for (let i = 0; i < count; i++) values[i] = this.int32();
    return values;
  }

  /** Compact string (`uvarint(length + 1)` + UTF-8); null reads as ''. */
  compactString(): string {
    return this.compactNullableString() ?? '';
  }

  /** Compact nullable string: null when the length byte is 0. */
  compactNullableString(): string | null {
    const encoded = this.uvarint();
    if (encoded === 0) return null;
    const length = encoded - 1;
    this.need(length);
    const start = this.offset;
    this.offset += length;
    return this.buf.toString('utf8', start, this.offset);
  }

  /** Skips a compact (nullable) string or bytes field without decoding it. */
  skipCompactBytes(): void {
    const encoded = this.uvarint();
    if (encoded > 1) this.skip(encoded - 1);
  }

  /** Compact (nullable) bytes as a view into the response buffer (no copy); null when absent. */
  compactBytes(): Buffer | null {
    const encoded = this.uvarint();
    if (encoded === 0) return null;
    const length = encoded - 1;
    this.need(length);
    const start = this.offset;
    this.offset += length;
    return this.buf.subarray(start, this.offset);
  }

  /**
   * A UUID (16 raw bytes) in Kafka's text form, URL-safe base64 without padding (what
   * `kafka-topics --describe` prints as TopicId); undefined for the all-zero UUID.
   */
  uuid(): string | undefined {
    this.need(UUID_BYTES);
    const start = this.offset;
    this.offset += UUID_BYTES;
    const { buf } = this;
    if (
      buf.readInt32BE(start) === 0 &&
      buf.readInt32BE(start + 4) === 0 &&
      buf.readInt32BE(start + 8) === 0 &&
      buf.readInt32BE(start + 12) === 0
    ) {
      return undefined;
    }
    return buf.toString('base64url', start, this.offset);
  }

  /**
   * Skips a TAG_BUFFER: `uvarint count`, then per field `uvarint tag`, `uvarint size` and `size`
   * bytes. Every tagged field is skipped: none of the versions we send defines one we need.
   */
  skipTaggedFields(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint(); // tag
      this.skip(this.uvarint());
    }
  }

  /** Advances past `bytes` bytes. */
  skip(bytes: number): void {
    this.need(bytes);
    this.offset += bytes;
  }

  /** Old-style string (`int16` length, -1 = null), as in the consumer protocol blobs. */
  legacyNullableString(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    this.need(length);
    const start = this.offset;
    this.offset += length;
    return this.buf.toString('utf8', start, this.offset);
  }

  /** Old-style array count (`int32`, -1 = null, read as 0). */
  legacyArrayCount(minElementBytes = 1): number {
    const count = this.int32();
    if (count < 0) return 0;
    if (count * minElementBytes > this.remaining) {
      this.fail(`array of ${count} element(s) cannot fit in the ${this.remaining} byte(s) left`);
    }
    return count;
  }

  /** Old-style array of int32. */
  legacyInt32Array(): number[] {
    const count = this.legacyArrayCount(4);
    const values = new Array<number>(count);
    for (let i = 0; i < count; i++) values[i] = this.int32();
    return values;
  }

  /** Asserts the whole buffer was consumed: leftover bytes mean the layout was misread. */
  end(): void {
    if (this.offset !== this.buf.length) {
      this.fail(`${this.remaining} unexpected trailing byte(s)`);
    }
  }
}
