/**
 * Kafka frames as they cross a TCP connection, for test helpers that stand between a client and
 * a broker (a relay, a socket factory) and need to know which request or answer a chunk carries.
 * Every request and every answer is one frame: a 4-byte big-endian size, then that many bytes.
 * A request frame starts with its header's api key, api version and correlation id (request
 * header v1 and v2 alike); an answer frame starts with the correlation id of its request.
 */

/** The request header fields every Kafka request starts with. */
export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
}

/**
 * Splits a byte stream into whole frames: TCP hands over chunks that may hold part of a frame,
 * or several, whatever sizes the writer used.
 */
export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);

  /** The frames, size prefix included, that `chunk` completes (none while one is partial). */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    while (this.pending.length >= 4) {
      const length = 4 + this.pending.readInt32BE(0);
      if (this.pending.length < length) break;
      frames.push(this.pending.subarray(0, length));
      this.pending = this.pending.subarray(length);
    }
    return frames;
  }
}

/** The header of a request frame (size prefix included): the 8 bytes after the size. */
export function requestHeaderOf(frame: Buffer): RequestHeader {
  return {
    apiKey: frame.readInt16BE(4),
    apiVersion: frame.readInt16BE(6),
    correlationId: frame.readInt32BE(8),
  };
}

/** The correlation id of an answer frame (size prefix included): the request it answers. */
export function correlationIdOfAnswer(frame: Buffer): number {
  return frame.readInt32BE(4);
}

/** An answer frame to `request`: the size, its correlation id, then `rest` as it is. */
export function answerFrame(request: RequestHeader, rest: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeInt32BE(4 + rest.length, 0);
  head.writeInt32BE(request.correlationId, 4);
  return Buffer.concat([head, rest]);
}
