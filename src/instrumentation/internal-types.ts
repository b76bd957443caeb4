/*
 * Shapes of KafkaJS internals this package touches (KafkaJS 2.x, src/network/connection.js and
 * src/producer/groupMessagesPerPartition.js). Never exported from the package.
 */
import type { DiagLogger, Tracer } from '@opentelemetry/api';
import type { Message } from 'kafkajs';
import type { ClientInstruments } from './client-instruments';
import type { ClusterIds } from './cluster-ids';
import type { ConsumerLagTable } from './consumer-lag-table';
import type { KafkaJsInstrumentationConfig } from './types';

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

/** `kafkajs/src/network/connection.js` instance fields read by the request-layer patch. */
export interface KafkaConnection {
  host: string;
  port: number;
  clientId: string;
  socket?: NodeJS.EventEmitter | null;
  requestQueue?: { instrumentationEmitter?: { emitter?: NodeJS.EventEmitter } | null };
  send(args: ConnectionSendArgs): Promise<unknown>;
  connect(): Promise<unknown>;
}

export interface KafkaConnectionClass {
  prototype: KafkaConnection;
}

/** `groupMessagesPerPartition` result: partition id -> the messages the partitioner put there. */
export type MessagesPerPartition = Record<string, Message[]>;

export type GroupMessagesPerPartition = (args: {
  topic: string;
  partitionMetadata: unknown;
  messages: Message[];
  partitioner: unknown;
}) => MessagesPerPartition;

/** What the producer, consumer and request-layer patches need from the instrumentation. */
export interface Telemetry {
  readonly tracer: Tracer;
  readonly instruments: ClientInstruments;
  readonly config: Readonly<KafkaJsInstrumentationConfig>;
  readonly diag: DiagLogger;
  readonly consumerLag: ConsumerLagTable;
  /** Where the partition grouping of each `messages` array of a send is recorded. */
  readonly partitionGrouping: WeakMap<Message[], MessagesPerPartition>;
  /** Cluster ids seen in Metadata answers, per broker address. */
  readonly clusterIds: ClusterIds;
  isEnabled(): boolean;
}

/** Identity of a KafkaJS client, captured once when the client is created. */
export interface ClientInfo {
  clientId: string | undefined;
  /** First bootstrap broker, for server.address / server.port on message spans. */
  serverAddress: string | undefined;
  serverPort: number | undefined;
}
