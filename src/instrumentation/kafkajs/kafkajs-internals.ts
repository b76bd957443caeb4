/*
 * Shapes of the KafkaJS 2.x internals this package touches, by file under kafkajs/src/. Never
 * exported from the package. Each field is read defensively: a KafkaJS release that changes one
 * loses the telemetry that depends on it, never the application's call.
 */
import type { Message } from 'kafkajs';

/** The per-client event emitter KafkaJS creates in `Kafka#producer|consumer|admin`. */
export type InstrumentationEmitter = object;

/** cluster/connectionPoolBuilder.js: called once per client with the client's connection options. */
export type ConnectionPoolBuilder = (options: {
  brokers?: unknown;
  clientId?: unknown;
  instrumentationEmitter?: InstrumentationEmitter | null;
}) => unknown;

/** producer/index.js, consumer/index.js, admin/index.js: the factory of one client. */
export type ClientFactory<Client> = (options: {
  groupId?: unknown;
  instrumentationEmitter?: InstrumentationEmitter | null;
}) => Client;

/** A protocol request as KafkaJS builds it: plain object, `encode()` returns an Encoder. */
export interface ProtocolRequest {
  apiKey: number;
  apiVersion: number;
  apiName: string;
  encode(): Promise<{ size(): number }>;
  expectResponse?: () => boolean;
}

/** A protocol response decoder as KafkaJS builds it. */
export interface ProtocolResponse {
  decode(payload: Buffer): Promise<unknown>;
  parse(decoded: unknown): Promise<unknown>;
}

export interface ConnectionSendArgs {
  request: ProtocolRequest;
  response: ProtocolResponse;
  requestTimeout?: number | null;
  logResponseError?: boolean;
}

/** network/connection.js: the instance fields the request-layer patch reads. */
export interface KafkaConnection {
  host: string;
  port: number;
  clientId: string;
  socket?: NodeJS.EventEmitter | null;
  requestQueue?: { instrumentationEmitter?: InstrumentationEmitter | null };
  send(args: ConnectionSendArgs): Promise<unknown>;
  connect(): Promise<unknown>;
}

export interface KafkaConnectionClass {
  prototype: KafkaConnection;
}

/** producer/groupMessagesPerPartition.js result: partition id -> the messages put there. */
export type MessagesPerPartition = Record<string, Message[]>;

export type GroupMessagesPerPartition = (args: {
  topic: string;
  partitionMetadata: unknown;
  messages: Message[];
  partitioner: unknown;
}) => MessagesPerPartition;

/** consumer/offsetManager/index.js: the one place every offset commit goes through. */
export interface OffsetManager {
  groupId?: unknown;
  instrumentationEmitter?: InstrumentationEmitter | null;
  uncommittedOffsets(): { topics?: { topic: string }[] };
  commitOffsets(offsets?: { topics?: { topic: string }[] }): Promise<void>;
}

export interface OffsetManagerClass {
  prototype: OffsetManager;
}
