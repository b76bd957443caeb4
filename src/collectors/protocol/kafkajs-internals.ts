/**
 * The KafkaJS 2.x internals the cluster client builds on: `Broker` (connect, ApiVersions, SASL)
 * over a `ConnectionPool` of `Connection`s (TCP/TLS, framing, correlation ids, request timeouts),
 * plus its `Encoder` and logger. KafkaJS does not export them, so they are required by path; the
 * types below describe only what we use.
 *
 * Loaded lazily, on the first connect, never at import: an application that imports this package
 * before enabling `KafkaJsInstrumentation` must still get KafkaJS patched when it loads it.
 */
import { createRequire } from 'node:module';
import type { ISocketFactory, KafkaConfig, Logger, logCreator, logLevel } from 'kafkajs';

/** ApiVersions as KafkaJS keeps it: `{ [apiKey]: { minVersion, maxVersion } }`. */
export type KafkaJsApiVersions = Record<number, { minVersion: number; maxVersion: number }>;

/** The part of KafkaJS's Encoder the request layer reads (`size()` is read by instrumentation). */
export interface KafkaJsEncoder {
  writeBuffer(value: Buffer): KafkaJsEncoder;
  size(): number;
}

/** A protocol request as `Connection.send` takes it (kafkajs/src/network/connection.js). */
export interface KafkaJsProtocolRequest<T> {
  request: {
    apiKey: number;
    apiVersion: number;
    apiName: string;
    encode(): Promise<KafkaJsEncoder>;
  };
  response: {
    decode(payload: Buffer): Promise<T>;
    parse(decoded: T): Promise<T>;
  };
  requestTimeout?: number;
}

/** kafkajs/src/network/connectionPool.js, as far as we use it. */
export interface KafkaJsConnectionPool {
  send<T>(request: KafkaJsProtocolRequest<T>): Promise<T>;
}

/** kafkajs/src/broker/index.js, as far as we use it. */
export interface KafkaJsBroker {
  /** The broker's ApiVersions answer, fetched by `connect()` when null. */
  versions: KafkaJsApiVersions | null;
  connectionPool: KafkaJsConnectionPool;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
}

/** Options of one broker connection, as KafkaJS's Connection and ConnectionPool take them. */
export interface KafkaJsConnectionOptions {
  host: string;
  port: number;
  logger: Logger;
  socketFactory: ISocketFactory;
  clientId: string;
  ssl: KafkaConfig['ssl'] | null;
  sasl: KafkaConfig['sasl'] | null;
  connectionTimeout: number;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
}

/** The KafkaJS constructors and factories the cluster client uses. */
export interface KafkaJsInternals {
  /** Creates a KafkaJS broker (with its connection pool) for one address. */
  readonly createBroker: (
    options: KafkaJsConnectionOptions,
    authenticationTimeout: number,
  ) => KafkaJsBroker;
  /** An encoder holding already-encoded bytes. */
  readonly encoderOf: (bytes: Buffer) => KafkaJsEncoder;
  /** KafkaJS's logger, as its clients create it. */
  readonly createLogger: (level: logLevel, creator: logCreator | undefined) => Logger;
  /** KafkaJS's default TCP/TLS socket factory. */
  readonly defaultSocketFactory: () => ISocketFactory;
}

type BrokerClass = new (options: {
  connectionPool: KafkaJsConnectionPool;
  logger: Logger;
  authenticationTimeout: number;
  allowAutoTopicCreation: boolean;
}) => KafkaJsBroker;
type ConnectionPoolClass = new (options: KafkaJsConnectionOptions) => KafkaJsConnectionPool;
type EncoderClass = new () => KafkaJsEncoder;
interface LoggersModule {
  createLogger(options: { level: logLevel; logCreator: logCreator }): Logger;
}

let internals: KafkaJsInternals | undefined;

/** Loads (once) and returns the KafkaJS internals. */
export function kafkaJsInternals(): KafkaJsInternals {
  internals ??= load();
  return internals;
}

function load(): KafkaJsInternals {
  // Node's own require (also under test runners that load this file as ESM), so KafkaJS loads
  // through the require hooks that OpenTelemetry instrumentations rely on.
  const nodeRequire = createRequire(__filename);
  const Broker = nodeRequire('kafkajs/src/broker') as BrokerClass;
  const ConnectionPool = nodeRequire('kafkajs/src/network/connectionPool') as ConnectionPoolClass;
  const Encoder = nodeRequire('kafkajs/src/protocol/encoder') as EncoderClass;
  const loggers = nodeRequire('kafkajs/src/loggers') as LoggersModule;
  const LoggerConsole = nodeRequire('kafkajs/src/loggers/console') as logCreator;
  const socketFactory = nodeRequire('kafkajs/src/network/socketFactory') as () => ISocketFactory;
  return {
    createBroker: (options, authenticationTimeout) =>
      new Broker({
        connectionPool: new ConnectionPool(options),
        logger: options.logger,
        authenticationTimeout,
        allowAutoTopicCreation: false,
      }),
    encoderOf: (bytes) => new Encoder().writeBuffer(bytes),
    createLogger: (level, creator) =>
      loggers.createLogger({ level, logCreator: creator ?? LoggerConsole }),
    defaultSocketFactory: socketFactory,
  };
}
