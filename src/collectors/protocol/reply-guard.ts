import type { Socket } from 'node:net';
import type { ISocketFactory } from 'kafkajs';

/** Largest reply frame accepted by default: 100 MiB, what Kafka's own clients accept too. */
export const DEFAULT_MAX_REPLY_BYTES = 100 * 1024 * 1024;

/** The `code` of the socket error a malformed reply ends its connection with. */
export const MALFORMED_REPLY_CODE = 'KAFKA_OTEL_MALFORMED_REPLY';
/** The `code` when the first reply is a TLS record: the listener speaks TLS, the client did not. */
export const TLS_REPLY_CODE = 'KAFKA_OTEL_TLS_REPLY';

/** Bytes of a reply frame's size prefix, and the least a reply holds: its correlation id. */
const SIZE_BYTES = 4;
const CORRELATION_ID_BYTES = 4;

/**
 * A reply a broker (or whatever listens at its address) sent that no Kafka broker sends: the
 * connection is closed with this error, which fails the requests waiting on it.
 */
export class MalformedReplyError extends Error {
  override name = 'MalformedReplyError';
  constructor(
    message: string,
    readonly code: typeof MALFORMED_REPLY_CODE | typeof TLS_REPLY_CODE = MALFORMED_REPLY_CODE,
  ) {
    super(message);
  }
}

/**
 * Wraps a KafkaJS socket factory so that the collector's connections survive any bytes a peer
 * sends. KafkaJS reads reply frames inside the socket's `data` listener and throws there on a
 * frame shorter than a correlation id (`RangeError [ERR_BUFFER_OUT_OF_BOUNDS]`), which nothing
 * catches: the exception would end the application the collector runs in. It also buffers a
 * frame of any announced size, so a peer announcing 2 GiB could make it hold as much.
 *
 * The guard follows the frame boundaries itself and, before KafkaJS sees the bytes, closes the
 * connection with a {@link MalformedReplyError} when a frame is announced shorter than a
 * correlation id or longer than `maxReplyBytes`; anything KafkaJS still throws while reading is
 * caught and closes the connection the same way. KafkaJS then fails the waiting requests with a
 * connection error carrying this reason.
 *
 * Every reply is framed with a correlation id: SASL tokens too travel in SaslAuthenticate
 * replies (Kafka 1.0+). Only brokers older than that send raw SASL frames, and the collector's
 * requests need much newer brokers anyway.
 */
export function guardReplies(factory: ISocketFactory, maxReplyBytes: number): ISocketFactory {
  return (args) => {
    const socket = factory(args);
    const frames = new FrameReader(maxReplyBytes);
    type Listener = (...args: unknown[]) => void;
    const on = socket.on.bind(socket) as (event: string, listener: Listener) => Socket;
    // KafkaJS subscribes with `socket.on('data', ...)` right after the factory returns
    // (kafkajs/src/network/socket.js); the guard sits in front of that one listener.
    socket.on = ((event: string, listener: Listener) => {
      if (event !== 'data') return on(event, listener);
      return on(event, (data) => {
        if (socket.destroyed) return;
        const problem = frames.check(data as Buffer);
        if (problem !== undefined) {
          socket.destroy(problem);
          return;
        }
        try {
          listener(data);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          socket.destroy(new MalformedReplyError(`a reply could not be read: ${reason}`));
        }
      });
    }) as Socket['on'];
    return socket;
  };
}

/**
 * Follows the frames of one connection's byte stream (a 4-byte big-endian size, then that many
 * bytes) across chunks, and says what is wrong with the first frame that is malformed.
 */
export class FrameReader {
  /** Bytes of the current frame's body still to come; 0 while reading a size prefix. */
  private bodyLeft = 0;
  /** The size prefix read so far, when it is split across chunks. */
  private readonly sizeBytes = Buffer.alloc(SIZE_BYTES);
  private sizeFilled = 0;

  constructor(private readonly maxReplyBytes: number) {}

  private firstChunk = true;

  /** Takes the next chunk; returns why the stream is malformed, or undefined. */
  check(chunk: Buffer): MalformedReplyError | undefined {
    if (this.firstChunk) {
      this.firstChunk = false;
      if (isTlsRecord(chunk)) {
        return new MalformedReplyError(
          'the broker answered with TLS: the listener expects TLS, the client connected without it',
          TLS_REPLY_CODE,
        );
      }
    }
    let at = 0;
    while (at < chunk.length) {
      if (this.bodyLeft > 0) {
        const taken = Math.min(this.bodyLeft, chunk.length - at);
        this.bodyLeft -= taken;
        at += taken;
        continue;
      }
      const taken = Math.min(SIZE_BYTES - this.sizeFilled, chunk.length - at);
      chunk.copy(this.sizeBytes, this.sizeFilled, at, at + taken);
      this.sizeFilled += taken;
      at += taken;
      if (this.sizeFilled < SIZE_BYTES) break;
      this.sizeFilled = 0;
      const size = this.sizeBytes.readInt32BE(0);
      if (size < CORRELATION_ID_BYTES) {
        return new MalformedReplyError(
          `a reply frame announced ${size} bytes, fewer than its correlation id needs`,
        );
      }
      if (size > this.maxReplyBytes) {
        return new MalformedReplyError(
          `a reply frame announced ${size} bytes, over the limit of ${this.maxReplyBytes}`,
        );
      }
      this.bodyLeft = size;
    }
    return undefined;
  }
}

/**
 * True when the bytes start like a TLS record (content type 20-23, version 3.x): what a TLS
 * listener sends a client that did not start a handshake (an alert). As the first reply of a
 * Kafka connection those bytes would announce a frame of over 300 MB, which no broker sends.
 */
function isTlsRecord(bytes: Buffer): boolean {
  return (
    bytes.length >= 3 && bytes[0]! >= 20 && bytes[0]! <= 23 && bytes[1] === 3 && bytes[2]! <= 4
  );
}
