/**
 * A scriptable Kafka-protocol server for unit tests of the cluster client: answers ApiVersions
 * (what KafkaJS asks on connect) from a version table, hands every other request to a handler,
 * and frames the handler's body as a response. Requests other than ApiVersions are assumed to be
 * flexible (all the versions the client sends are), so their header TAG_BUFFER is stripped and
 * the response gets one.
 */
import net from 'node:net';
import { WireReader } from '../../../../../src/collectors/protocol/wire-reader';
import { WireWriter } from '../../../../../src/collectors/protocol/wire-writer';

const API_VERSIONS = 18;

/** A request as the fake received it. */
export interface FakeRequest {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  /** The body, after the header (and its TAG_BUFFER). */
  body: Buffer;
}

/** What to do with a request: answer with this body, never answer, or drop the connection. */
export type FakeAnswer = Buffer | 'silence' | 'close';

export interface FakeBroker {
  host: string;
  port: number;
  /** Every request received, ApiVersions included, in arrival order. */
  requests: FakeRequest[];
  /** Requests other than ApiVersions. */
  apiRequests(): FakeRequest[];
  /** Client connections currently open. */
  openConnections(): number;
  close(): Promise<void>;
}

/** Starts a fake broker on a free loopback port. */
export async function startFakeBroker(options: {
  /** apiKey -> [min, max] advertised in ApiVersions. */
  versions: Record<number, [number, number]>;
  handle: (request: FakeRequest, broker: FakeBroker) => FakeAnswer;
}): Promise<FakeBroker> {
  const sockets = new Set<net.Socket>();
  const requests: FakeRequest[] = [];
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + frame.length);
        const request = parseRequest(frame);
        requests.push(request);
        const answer =
          request.apiKey === API_VERSIONS
            ? apiVersionsBody(options.versions)
            : options.handle(request, broker);
        if (answer === 'close') socket.destroy();
        else if (answer !== 'silence') socket.write(responseFrame(request, answer));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  const broker: FakeBroker = {
    host: '127.0.0.1',
    port: address.port,
    requests,
    apiRequests: () => requests.filter((r) => r.apiKey !== API_VERSIONS),
    openConnections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return broker;
}

function parseRequest(frame: Buffer): FakeRequest {
  const reader = new WireReader(frame, 'fake request');
  const apiKey = reader.int16();
  const apiVersion = reader.int16();
  const correlationId = reader.int32();
  const clientId = reader.legacyNullableString();
  if (apiKey !== API_VERSIONS) reader.skipTaggedFields();
  return { apiKey, apiVersion, correlationId, clientId, body: frame.subarray(reader.offset) };
}

/** ApiVersions v1/v2 response body (KafkaJS asks v2 first): error, keys, throttle time. */
function apiVersionsBody(versions: Record<number, [number, number]>): Buffer {
  const entries = Object.entries(versions);
  const writer = new WireWriter().int16(0).int32(entries.length + 1);
  writer.int16(API_VERSIONS).int16(0).int16(2);
  for (const [key, [min, max]] of entries) writer.int16(Number(key)).int16(min).int16(max);
  return writer.int32(0).toBuffer();
}

function responseFrame(request: FakeRequest, body: Buffer): Buffer {
  const flexible = request.apiKey !== API_VERSIONS;
  const header = new WireWriter().int32(request.correlationId);
  if (flexible) header.emptyTaggedFields();
  const headerBytes = header.toBuffer();
  const size = new WireWriter().int32(headerBytes.length + body.length).toBuffer();
  return Buffer.concat([size, headerBytes, body]);
}

/** A Metadata v12/v13 answer listing these brokers and no topics. */
export function metadataAnswer(
  version: number,
  brokers: { nodeId: number; host: string; port: number }[],
  errorCode = 0,
): Buffer {
  const writer = new WireWriter().int32(0).compactArrayLength(brokers.length);
  for (const { nodeId, host, port } of brokers) {
    writer.int32(nodeId).compactString(host).int32(port).compactNullableString(null);
    writer.emptyTaggedFields();
  }
  writer.compactNullableString('fake-cluster').int32(brokers[0]?.nodeId ?? -1);
  writer.compactArrayLength(0);
  if (version >= 13) writer.int16(errorCode);
  return writer.emptyTaggedFields().toBuffer();
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
