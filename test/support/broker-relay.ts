/**
 * A loopback TCP relay in front of the suite's real broker, for tests that need the broker to be
 * slow on demand: it forwards every byte both ways, and while told to hold replies it keeps the
 * broker's answers (whole frames) until released. So a real request can be made to time out, or
 * a client's in-flight limit to fill, without touching the broker everyone else shares.
 *
 * Clients reach it through KafkaJS's `socketFactory`, not through their bootstrap list: the
 * broker advertises its own address in Metadata, and a client told to bootstrap at the relay
 * would open its next connections straight to the broker. With the socket factory every
 * connection of the client goes through the relay while KafkaJS (and so every attribute the
 * instrumentation records) still names the broker's real address.
 *
 * It also counts the frames and bytes it forwarded per API key: what went over the wire, to
 * compare with what a client says it sent.
 */
import type { ISocketFactory } from 'kafkajs';
import net from 'node:net';
import { correlationIdOfAnswer, FrameSplitter, requestHeaderOf } from './kafka-frames';

/** Frames and bytes (size prefix included) that crossed the relay for one API key. */
export interface WireTraffic {
  requests: number;
  requestBytes: number;
  responses: number;
  responseBytes: number;
}

export interface BrokerRelay {
  /** For `new Kafka({ socketFactory })`: every connection of that client goes through the relay. */
  readonly socketFactory: ISocketFactory;
  /** From now on, keep each reply frame from the broker instead of forwarding it. */
  holdReplies(): void;
  /** Forward the held replies, in order, and stop holding. */
  releaseReplies(): void;
  /** Reply frames held back right now. */
  heldReplies(): number;
  /** What crossed the relay for `apiKey` so far. */
  traffic(apiKey: number): WireTraffic;
  close(): Promise<void>;
}

/** Starts a relay on a free loopback port that forwards to `broker` (`host:port`). */
export async function startBrokerRelay(broker: string): Promise<BrokerRelay> {
  const separator = broker.lastIndexOf(':');
  const target = { host: broker.slice(0, separator), port: Number(broker.slice(separator + 1)) };
  const sockets = new Set<net.Socket>();
  const traffic = new Map<number, WireTraffic>();
  const trafficOf = (apiKey: number) => {
    let entry = traffic.get(apiKey);
    if (!entry) {
      entry = { requests: 0, requestBytes: 0, responses: 0, responseBytes: 0 };
      traffic.set(apiKey, entry);
    }
    return entry;
  };
  let holding = false;
  const held: { client: net.Socket; frame: Buffer }[] = [];

  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    }
    // Either side closing or failing closes the other, as a broker's socket would.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());

    // Answers name only their request's correlation id: the API is known from the request.
    const apiKeyOf = new Map<number, number>();
    const requests = new FrameSplitter();
    client.on('data', (chunk: Buffer) => {
      for (const frame of requests.push(chunk)) {
        const { apiKey, correlationId } = requestHeaderOf(frame);
        apiKeyOf.set(correlationId, apiKey);
        const entry = trafficOf(apiKey);
        entry.requests++;
        entry.requestBytes += frame.length;
      }
      upstream.write(chunk);
    });

    const replies = new FrameSplitter();
    upstream.on('data', (chunk: Buffer) => {
      for (const frame of replies.push(chunk)) {
        const correlationId = correlationIdOfAnswer(frame);
        const entry = trafficOf(apiKeyOf.get(correlationId) ?? -1);
        apiKeyOf.delete(correlationId);
        entry.responses++;
        entry.responseBytes += frame.length;
        if (holding) held.push({ client, frame });
        else client.write(frame);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const relayPort = (server.address() as net.AddressInfo).port;

  return {
    socketFactory: ({ host, port, onConnect }) => {
      // One broker behind one relay: a client asked to reach another broker is a test mistake,
      // and silently relaying it to this one would measure the wrong thing.
      if (host !== target.host || port !== target.port) {
        throw new Error(`the relay forwards to ${broker} only, not to ${host}:${port}`);
      }
      return net.connect({ host: '127.0.0.1', port: relayPort }, onConnect);
    },
    holdReplies: () => {
      holding = true;
    },
    releaseReplies: () => {
      holding = false;
      for (const { client, frame } of held.splice(0)) {
        if (!client.destroyed) client.write(frame);
      }
    },
    heldReplies: () => held.length,
    traffic: (apiKey) => ({ ...trafficOf(apiKey) }),
    close: () =>
      new Promise<void>((resolve) => {
        held.length = 0;
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
