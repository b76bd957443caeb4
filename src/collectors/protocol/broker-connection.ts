import type { ISocketFactory, KafkaConfig, Logger } from 'kafkajs';
import { formatBrokerAddress } from './broker-address';
import { negotiateVersion } from './api-spec';
import { connectionFailure, RequestAborted } from './connection-failure';
import {
  UnsupportedApiError,
  type BrokerRequestError,
  type RequestFailureReason,
  type RequestTarget,
} from './errors';
import type { KafkaJsBroker, KafkaJsInternals } from './kafkajs-internals';
import { toKafkaJsRequest, type ApiCall } from './kafkajs-request';

/** Settings shared by every broker connection of one cluster client. */
export interface ConnectionSettings {
  /** The KafkaJS classes connections are built from. */
  readonly internals: KafkaJsInternals;
  /** KafkaJS logger of the connections. */
  readonly logger: Logger;
  /** Opens the TCP (or TLS) sockets. */
  readonly socketFactory: ISocketFactory;
  /** Client id in request headers. */
  readonly clientId: string;
  /** TLS options, if any. */
  readonly ssl: KafkaConfig['ssl'] | undefined;
  /** SASL options, if any. */
  readonly sasl: KafkaConfig['sasl'] | undefined;
  /** TCP/TLS connect timeout, ms. */
  readonly connectionTimeout: number;
  /** SASL authentication timeout, ms. */
  readonly authenticationTimeout: number;
  /** Time to wait for an answer, ms. */
  readonly requestTimeout: number;
}

/**
 * The connection to one broker address, reused across snapshots: a KafkaJS Broker (socket, TLS,
 * SASL, ApiVersions) through which our own codecs are sent. Connects on first use and again after
 * the socket closed; every failure comes out as a `BrokerRequestError` naming API and broker.
 */
export class BrokerConnection {
  /** Broker id, once a Metadata answer has named the broker at this address. */
  nodeId: number | undefined;
  private broker: KafkaJsBroker | undefined;
  private connecting: Promise<KafkaJsBroker> | undefined;
  private closed = false;

  constructor(
    /** Host to connect to. */
    readonly host: string,
    /** Port to connect to. */
    readonly port: number,
    private readonly settings: ConnectionSettings,
  ) {}

  /** `host:port`. */
  get address(): string {
    return formatBrokerAddress(this);
  }

  /**
   * Sends one request at the highest version both sides support and returns the decoded answer.
   * Throws `UnsupportedApiError` when there is no such version, `BrokerRequestError` otherwise.
   */
  async send<T>(call: ApiCall<T>, signal?: AbortSignal): Promise<T> {
    const { spec } = call;
    const target = this.targetOf({ apiName: spec.name, apiKey: spec.key });
    let broker: KafkaJsBroker;
    try {
      broker = await untilAborted(this.connected(), signal);
    } catch (error) {
      throw this.failure(target, error, true);
    }
    const brokerRange = broker.versions?.[spec.key];
    const version = negotiateVersion(spec, brokerRange);
    if (version === undefined) {
      const implemented = { minVersion: spec.minVersion, maxVersion: spec.maxVersion };
      throw new UnsupportedApiError(target, implemented, brokerRange);
    }
    const request = toKafkaJsRequest(call, version, this.settings.internals.encoderOf);
    try {
      return await untilAborted(broker.connectionPool.send(request), signal);
    } catch (error) {
      const failed = this.failure(target, error, false);
      if (CONNECTION_LOST.has(failed.reason)) this.abandon(broker);
      throw failed;
    }
  }

  /**
   * Closes the connection for good (after in-flight requests are answered or time out): a
   * request that still holds this object fails instead of opening a socket nobody would close.
   */
  async disconnect(): Promise<void> {
    this.closed = true;
    const broker = this.broker;
    this.broker = undefined;
    // A connect still under way would otherwise open a socket nobody closes.
    await this.connecting?.catch(() => undefined);
    await broker?.disconnect();
  }

  /**
   * Drops the current connection after an answer said it is unusable (its SASL authentication
   * is not in effect); the next request connects and authenticates again. Not while a new
   * connection is being made: that one is not the connection that answered.
   */
  discard(): void {
    if (this.broker && this.connecting === undefined) this.abandon(this.broker);
  }

  /**
   * Stops using a KafkaJS broker whose connection failed; the next request builds a new one.
   * Behind a silent peer (a host that went away without a reset) every later request on the old
   * connection would time out too, while a fresh connect fails fast. And a KafkaJS connection
   * that lost its socket mid-reply keeps the partial frame in its read buffer when it reconnects
   * (it is only emptied when the Connection object is created): the next socket's replies would
   * be read behind those stale bytes and never match a request. Requests still in flight on it
   * finish first; nobody waits for the close.
   */
  private abandon(broker: KafkaJsBroker): void {
    if (this.broker !== broker) return;
    this.broker = undefined;
    broker.disconnect().catch(() => undefined);
  }

  private failure(target: RequestTarget, error: unknown, connecting: boolean): BrokerRequestError {
    return connectionFailure(target, error, { usesTls: Boolean(this.settings.ssl), connecting });
  }

  private targetOf(api: Pick<RequestTarget, 'apiName' | 'apiKey'>): RequestTarget {
    return { ...api, nodeId: this.nodeId, broker: this.address };
  }

  /**
   * The connected KafkaJS broker; concurrent callers share one connection attempt. A KafkaJS
   * broker is connected once: one whose connection closed, for whatever reason, is replaced by
   * a new one (see `abandon`), which also asks ApiVersions again (the broker may have been
   * upgraded meanwhile).
   */
  private connected(): Promise<KafkaJsBroker> {
    if (this.closed) return Promise.reject(new Error('connection closed by the client'));
    if (this.connecting) return this.connecting;
    const current = this.broker;
    if (current?.isConnected() && current.versions !== null) return Promise.resolve(current);
    if (current) this.abandon(current);
    const broker = (this.broker = this.createBroker());
    this.connecting = (async () => {
      try {
        await broker.connect();
        return broker;
      } catch (error) {
        this.abandon(broker);
        throw error;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  private createBroker(): KafkaJsBroker {
    const { settings } = this;
    return settings.internals.createBroker(
      {
        host: this.host,
        port: this.port,
        logger: settings.logger,
        socketFactory: settings.socketFactory,
        clientId: settings.clientId,
        ssl: settings.ssl ?? null,
        sasl: settings.sasl ?? null,
        connectionTimeout: settings.connectionTimeout,
        requestTimeout: settings.requestTimeout,
        enforceRequestTimeout: true,
      },
      settings.authenticationTimeout,
    );
  }
}

/**
 * Failures after which a connection is not reused: the socket is gone or its byte stream can
 * no longer be trusted. A reply that decoded wrong, or an error answer, leaves it usable.
 */
const CONNECTION_LOST: ReadonlySet<RequestFailureReason> = new Set([
  'connection_refused',
  'tls',
  'authentication',
  'connection',
  'timeout',
  'malformed_reply',
]);

/**
 * The send's promise, or a rejection as soon as `signal` fires. KafkaJS cannot cancel a request
 * on the wire: its answer (or timeout) still arrives later and is dropped here, while the caller
 * stops waiting at the deadline it owns.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(new RequestAborted());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new RequestAborted());
    signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
