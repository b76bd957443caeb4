/**
 * A server at a broker's address that answers like no broker does, for the hostile-server
 * suite. It reads request frames like a broker and, at the chosen step (the first request,
 * ApiVersions, which KafkaJS sends on connect; or the first request after it, once the client
 * has negotiated versions), misbehaves in one of the ways a broken proxy, another service on the
 * port, or a hostile peer would. Before that step it answers ApiVersions like a Kafka 4.4 broker.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import { WireReader } from '../../src/collectors/protocol/wire-reader';
import { WireWriter } from '../../src/collectors/protocol/wire-writer';
import { KAFKA_4_4_VERSIONS } from '../unit/collectors/protocol/fixtures/broker-versions';

const API_VERSIONS = 18;
const FRAME_CHUNK = Buffer.alloc(1024 * 1024);

/** The ways the server misbehaves. */
export type Misbehaviour =
  /** Pseudo-random bytes (a fixed seed per test: the same bytes on every run). */
  | { kind: 'random-bytes'; seed: string; length: number }
  /** A frame announcing 100 bytes, 10 of them sent, then the connection ended (FIN). */
  | { kind: 'truncated-frame' }
  /** A frame of length 0: shorter than the correlation id every reply starts with. */
  | { kind: 'zero-length' }
  /** A frame of length -1. */
  | { kind: 'negative-length' }
  /** A frame announcing 2 GiB - 1, then bytes for as long as the client reads them. */
  | { kind: 'huge-length' }
  /** A well-framed reply with the right correlation id and a body that is not the answer. */
  | { kind: 'garbage-body' }
  /** Never answers. */
  | { kind: 'silence' }
  /** Half a frame, then a TCP reset. */
  | { kind: 'reset-mid-frame' };

/** Which request gets the misbehaviour. */
export type Step = 'connect' | 'after-connect';

export interface HostileBroker {
  readonly address: string;
  /** Bytes written after a `huge-length` header before the client closed the connection. */
  hugeBytesWritten(): number;
  /** Connections the server accepted. */
  connections(): number;
  close(): Promise<void>;
}

/** The pseudo-random bytes a `random-bytes` misbehaviour sends: a SHA-256 chain of the seed. */
export function seededBytes(seed: string, length: number): Buffer {
  const blocks: Buffer[] = [];
  let block = Buffer.from(seed);
  for (let total = 0; total < length; total += 32) {
    block = createHash('sha256').update(block).digest();
    blocks.push(block);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** Starts the server on a free loopback port. */
export async function startHostileBroker(
  misbehaviour: Misbehaviour,
  step: Step,
): Promise<HostileBroker> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  let hugeWritten = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + frame.length);
        const request = readHeader(frame);
        const isConnect = request.apiKey === API_VERSIONS;
        if (isConnect === (step === 'connect')) {
          misbehave(socket, misbehaviour, request, (n) => (hugeWritten += n));
          return;
        }
        if (isConnect) socket.write(apiVersionsReply(request.correlationId));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    hugeBytesWritten: () => hugeWritten,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function misbehave(
  socket: net.Socket,
  misbehaviour: Misbehaviour,
  request: { correlationId: number },
  wrote: (bytes: number) => void,
): void {
  switch (misbehaviour.kind) {
    case 'random-bytes':
      socket.write(seededBytes(misbehaviour.seed, misbehaviour.length));
      return;
    case 'truncated-frame':
      socket.end(Buffer.concat([int32(100), Buffer.alloc(10, 7)]));
      return;
    case 'zero-length':
      socket.write(int32(0));
      return;
    case 'negative-length':
      socket.write(int32(-1));
      return;
    case 'huge-length':
      socket.write(int32(0x7fffffff));
      streamUntilClosed(socket, wrote);
      return;
    case 'garbage-body':
      // Error code 0, then an array said to hold 2^31-1 entries that are not there.
      socket.write(
        frameOf(
          Buffer.concat([int32(request.correlationId), Buffer.from([0, 0]), int32(0x7fffffff)]),
        ),
      );
      return;
    case 'silence':
      return;
    case 'reset-mid-frame':
      socket.write(Buffer.concat([int32(100), Buffer.alloc(10, 7)]), () =>
        socket.resetAndDestroy(),
      );
      return;
  }
}

/**
 * Writes 1 MiB chunks while the client reads them, at most 512 MiB (a bounded loop): a client
 * that holds whatever a frame announces would take them all.
 */
function streamUntilClosed(socket: net.Socket, wrote: (bytes: number) => void): void {
  let left = 512;
  const next = () => {
    while (left > 0 && !socket.destroyed) {
      left--;
      wrote(FRAME_CHUNK.length);
      if (!socket.write(FRAME_CHUNK)) {
        socket.once('drain', next);
        return;
      }
    }
  };
  next();
}

function readHeader(frame: Buffer): { apiKey: number; correlationId: number } {
  const reader = new WireReader(frame, 'request');
  const apiKey = reader.int16();
  reader.int16();
  return { apiKey, correlationId: reader.int32() };
}

/** ApiVersions v1/v2 reply (KafkaJS asks v2 first) listing Kafka 4.4's versions. */
function apiVersionsReply(correlationId: number): Buffer {
  const versions: Record<number, [number, number]> = {
    ...KAFKA_4_4_VERSIONS,
    [API_VERSIONS]: [0, 2],
  };
  const entries = Object.entries(versions);
  const body = new WireWriter().int32(correlationId).int16(0).int32(entries.length);
  for (const [key, [min, max]] of entries) body.int16(Number(key)).int16(min).int16(max);
  return frameOf(body.int32(0).toBuffer());
}

function frameOf(payload: Buffer): Buffer {
  return Buffer.concat([int32(payload.length), payload]);
}

function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
}
