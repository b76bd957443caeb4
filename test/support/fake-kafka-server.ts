/**
 * A minimal Kafka-protocol server for tests of `instrumentBrokerHandler`: enough of ApiVersions
 * and Metadata v0 for a real KafkaJS admin client to connect and list topics. Frames are parsed
 * here; answers are encoded with KafkaJS's own protocol Encoder so they are what a broker sends.
 */
import { createRequire } from 'node:module';
import net from 'node:net';
import type { KafkaRequestInfo } from '../../src';

interface Encoder {
  writeInt16(value: number): Encoder;
  writeInt32(value: number): Encoder;
  writeString(value: string | null): Encoder;
  writeArray(values: unknown[], type?: string): Encoder;
  writeEncoder(value: Encoder): Encoder;
  buffer: Buffer;
}
const EncoderClass = createRequire(import.meta.url)(
  'kafkajs/src/protocol/encoder',
) as new () => Encoder;

export interface FakeRequest extends KafkaRequestInfo {
  body: Buffer;
}

export interface FakeResponse {
  /** The response frame without its size prefix (correlation id + body). */
  frame: Buffer;
  size: number;
  errorCode: number;
}

export type FakeHandler = (request: FakeRequest) => Promise<FakeResponse>;

const API_VERSIONS = 18;
const METADATA = 3;

/** The topics the fake cluster has; any other topic is answered UNKNOWN_TOPIC_OR_PARTITION (3). */
export function fakeKafkaHandler(port: () => number, topics: string[]) {
  return (request: FakeRequest): Promise<FakeResponse> => {
    const body = new EncoderClass();
    let errorCode = 0;
    if (request.apiKey === API_VERSIONS) {
      // v0-v2 share this layout up to the throttle time KafkaJS reads from v1 on.
      body
        .writeInt16(0)
        .writeArray([
          new EncoderClass().writeInt16(API_VERSIONS).writeInt16(0).writeInt16(2),
          new EncoderClass().writeInt16(METADATA).writeInt16(0).writeInt16(0),
        ]);
      if (request.apiVersion >= 1) body.writeInt32(0);
    } else if (request.apiKey === METADATA) {
      const asked = readStringArray(request.body);
      const answered = asked.length === 0 ? topics : asked;
      const topicEncoders = answered.map((name) => {
        const known = topics.includes(name);
        if (!known) errorCode = 3;
        const partitions = known
          ? [
              new EncoderClass()
                .writeInt16(0)
                .writeInt32(0)
                .writeInt32(1)
                .writeArray([1])
                .writeArray([1]),
            ]
          : [];
        return new EncoderClass()
          .writeInt16(known ? 0 : 3)
          .writeString(name)
          .writeArray(partitions);
      });
      body
        .writeArray([new EncoderClass().writeInt32(1).writeString('127.0.0.1').writeInt32(port())])
        .writeArray(topicEncoders);
    } else {
      errorCode = 35; // UNSUPPORTED_VERSION: this fake speaks nothing else
      body.writeInt16(35);
    }
    const frame = new EncoderClass().writeInt32(request.correlationId).writeEncoder(body).buffer;
    return Promise.resolve({ frame, size: frame.length + 4, errorCode });
  };
}

/** Metadata v0 request body: an array of topic names. */
function readStringArray(body: Buffer): string[] {
  const count = body.readInt32BE(0);
  const names: string[] = [];
  let offset = 4;
  for (let i = 0; i < count; i++) {
    const length = body.readInt16BE(offset);
    names.push(body.toString('utf8', offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  return names;
}

export interface FakeKafkaServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `handler` on a loopback port: parses size-prefixed frames and the v1 request header,
 * answers each request in order. `onConnection` sees every accepted socket.
 */
export async function startFakeKafkaServer(
  handler: FakeHandler,
  onConnection: (socket: net.Socket) => void,
): Promise<FakeKafkaServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    onConnection(socket);
    let pending = Buffer.alloc(0);
    let chain = Promise.resolve();
    socket.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const size = pending.readInt32BE(0);
        const frame = pending.subarray(4, 4 + size);
        pending = pending.subarray(4 + size);
        const clientIdLength = frame.readInt16BE(8);
        const request: FakeRequest = {
          apiKey: frame.readInt16BE(0),
          apiVersion: frame.readInt16BE(2),
          correlationId: frame.readInt32BE(4),
          clientId: clientIdLength < 0 ? null : frame.toString('utf8', 10, 10 + clientIdLength),
          size: size + 4,
          remoteAddress: socket.remoteAddress,
          remotePort: socket.remotePort,
          body: frame.subarray(10 + Math.max(0, clientIdLength)),
        };
        chain = chain.then(async () => {
          const response = await handler(request);
          const prefix = Buffer.alloc(4);
          prefix.writeInt32BE(response.frame.length);
          socket.write(Buffer.concat([prefix, response.frame]));
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
