/**
 * Writes Kafka protocol primitives into a growing buffer, for request bodies. Requests are small
 * (names of topics and groups), so clarity wins over speed here; the flexible-version (compact)
 * encodings are the ones the requests we send use.
 */
export class WireWriter {
  private buf = Buffer.allocUnsafe(256);
  private offset = 0;

  private ensure(bytes: number): void {
    if (this.offset + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.offset + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.offset);
    this.buf = grown;
  }

  /** Signed 8-bit integer. */
  int8(value: number): this {
    this.ensure(1);
    this.offset = this.buf.writeInt8(value, this.offset);
    return this;
  }

  /** Boolean as one byte, 0 or 1. */
  bool(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  /** Big-endian signed 16-bit integer. */
  int16(value: number): this {
    this.ensure(2);
    this.offset = this.buf.writeInt16BE(value, this.offset);
    return this;
  }

  /** Big-endian signed 32-bit integer. */
  int32(value: number): this {
    this.ensure(4);
    this.offset = this.buf.writeInt32BE(value, this.offset);
    return this;
  }

  /** Big-endian signed 64-bit integer from a safe integer (timestamps, offsets). */
  int64(value: number): this {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
    this.ensure(8);
    this.offset = this.buf.writeBigInt64BE(BigInt(value), this.offset);
    return this;
  }

  /** Unsigned LEB128 varint (0 to 2^32 - 1). */
  uvarint(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
      throw new RangeError(`not an unsigned 32-bit integer: ${value}`);
    }
    this.ensure(5);
    let rest = value;
    while (rest >= 0x80) {
      this.buf[this.offset++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buf[this.offset++] = rest;
    return this;
  }

  /** Compact string: `uvarint(length + 1)` and the UTF-8 bytes. */
  compactString(value: string): this {
    const length = Buffer.byteLength(value, 'utf8');
    this.uvarint(length + 1);
    this.ensure(length);
    this.offset += this.buf.write(value, this.offset, length, 'utf8');
    return this;
  }

  /** Compact nullable string: null is the single byte 0. */
  compactNullableString(value: string | null): this {
    return value === null ? this.uvarint(0) : this.compactString(value);
  }

  /** Length prefix of a compact array (`uvarint(count + 1)`), or of null (0). */
  compactArrayLength(count: number | null): this {
    return this.uvarint(count === null ? 0 : count + 1);
  }

  /** Compact array of compact strings (no per-element tag buffers); null writes 0. */
  compactStringArray(values: readonly string[] | null): this {
    this.compactArrayLength(values === null ? null : values.length);
    for (const value of values ?? []) this.compactString(value);
    return this;
  }

  /** Compact array of int32. */
  compactInt32Array(values: readonly number[]): this {
    this.compactArrayLength(values.length);
    for (const value of values) this.int32(value);
    return this;
  }

  /** The all-zero UUID (16 bytes), e.g. "no topic id" when asking by name. */
  zeroUuid(): this {
    this.ensure(16);
    this.buf.fill(0, this.offset, this.offset + 16);
    this.offset += 16;
    return this;
  }

  /** An empty TAG_BUFFER (one byte, 0): we never send tagged fields. */
  emptyTaggedFields(): this {
    return this.uvarint(0);
  }

  /** The bytes written so far (a copy, so the writer can be dropped). */
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.offset));
  }
}
