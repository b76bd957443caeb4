import { errorName } from '../../kafka-names/error-names';
import type { BrokerVersionRange } from './api-spec';

/**
 * Why a whole request failed (partition- and group-level errors never fail a request). The
 * values are the `error.type` of `kafka.collector.scrape.errors`:
 * - `connection_refused`: nothing listens at the address;
 * - `tls`: the TLS handshake failed (untrusted or expired certificate, a client certificate the
 *   broker requires and did not get, a host name that does not match, TLS to a plaintext port);
 * - `authentication`: SASL authentication failed (wrong credentials or mechanism, a token
 *   provider that failed);
 * - `connection`: any other connection failure (reset, closed while waiting, host unknown);
 * - `timeout`: no answer within the request (or connection) timeout;
 * - `malformed_reply`: the peer sent bytes no broker sends (a frame too short or too long);
 * - `unsupported_version`: the broker supports none of the versions we implement;
 * - `error_response`: the broker answered with a top-level error that leaves nothing usable;
 * - `decode`: the answer does not match the layout of the version asked for;
 * - `unknown_broker`: no address is known for the node id (not in the last Metadata);
 * - `no_broker`: a request for any broker failed on every broker tried, for different reasons
 *   (when every broker failed for the same reason, that reason);
 * - `aborted`: the caller's signal fired (the snapshot deadline) before the answer came.
 */
export type RequestFailureReason =
  | 'connection_refused'
  | 'tls'
  | 'authentication'
  | 'connection'
  | 'timeout'
  | 'malformed_reply'
  | 'unsupported_version'
  | 'error_response'
  | 'decode'
  | 'unknown_broker'
  | 'no_broker'
  | 'aborted';

/** Where a failed request went. */
export interface RequestTarget {
  /** Kafka's name of the API, e.g. `DescribeLogDirs`. */
  apiName: string;
  /** Protocol API key. */
  apiKey: number;
  /** Broker id, when known (seed brokers have none until Metadata names them). */
  nodeId: number | undefined;
  /** `host:port` the request went to, when one was chosen. */
  broker: string | undefined;
}

function describeTarget({ apiName, nodeId, broker }: RequestTarget): string {
  const node = nodeId === undefined ? '' : `node ${nodeId}`;
  const where = [node, broker].filter((part) => part).join(' at ');
  return where ? `${apiName} to ${where}` : apiName;
}

/**
 * A request of the cluster client failed as a whole. Says which API and which broker, and why
 * (`reason`), so a collector can count scrape errors by phase; the original error is `cause`.
 */
export class BrokerRequestError extends Error {
  override name = 'BrokerRequestError';
  /** Kafka's name of the API that failed, e.g. `Metadata`. */
  readonly apiName: string;
  /** Protocol API key of the API that failed. */
  readonly apiKey: number;
  /** Broker id the request went to, when known. */
  readonly nodeId: number | undefined;
  /** `host:port` the request went to, when one was chosen. */
  readonly broker: string | undefined;
  /** Why the request failed. */
  readonly reason: RequestFailureReason;
  /** What went wrong, in the words of whoever saw it, e.g. `self-signed certificate in certificate chain`. */
  readonly detail: string;

  constructor(
    target: RequestTarget,
    reason: RequestFailureReason,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${describeTarget(target)} failed (${reason}): ${detail}`, options);
    this.apiName = target.apiName;
    this.apiKey = target.apiKey;
    this.nodeId = target.nodeId;
    this.broker = target.broker;
    this.reason = reason;
    this.detail = detail;
  }
}

/** The broker supports none of the versions of an API that this package implements. */
export class UnsupportedApiError extends BrokerRequestError {
  override name = 'UnsupportedApiError';

  constructor(
    target: RequestTarget,
    /** Versions this package implements. */
    readonly implemented: BrokerVersionRange,
    /** Versions the broker listed in ApiVersions; undefined when it does not list the API. */
    readonly brokerRange: BrokerVersionRange | undefined,
  ) {
    const theirs = brokerRange
      ? `the broker supports v${brokerRange.minVersion}-v${brokerRange.maxVersion}`
      : 'the broker does not support it';
    super(
      target,
      'unsupported_version',
      `we implement v${implemented.minVersion}-v${implemented.maxVersion}, ${theirs}`,
    );
  }
}

/**
 * Error codes that mean the connection's SASL authentication is not in effect: 34
 * ILLEGAL_SASL_STATE (a request the broker got while it still expected the SASL exchange, which
 * is how an OAUTHBEARER token the broker refused shows up through KafkaJS) and 58
 * SASL_AUTHENTICATION_FAILED.
 */
const AUTHENTICATION_ERROR_CODES: ReadonlyMap<number, string> = new Map([
  [
    34,
    'the broker did not accept the SASL exchange (with OAUTHBEARER: an expired or invalid token)',
  ],
  [58, 'SASL authentication failed'],
]);

/**
 * The broker answered, but with a top-level error code that leaves the answer unusable. Its
 * reason is `authentication` for the codes that mean the connection is not authenticated.
 */
export class BrokerErrorResponse extends BrokerRequestError {
  override name = 'BrokerErrorResponse';
  /** Kafka's name of the error code, e.g. `CLUSTER_AUTHORIZATION_FAILED`. */
  readonly errorName: string;

  constructor(
    target: RequestTarget,
    /** The top-level error code. */
    readonly errorCode: number,
    /** The broker's error message, if it sent one. */
    readonly errorMessage: string | null = null,
  ) {
    const name = errorName(errorCode);
    const meaning = AUTHENTICATION_ERROR_CODES.get(errorCode);
    super(
      target,
      meaning === undefined ? 'error_response' : 'authentication',
      `${name} (${errorCode})${errorMessage ? `: ${errorMessage}` : meaning ? `: ${meaning}` : ''}`,
    );
    this.errorName = name;
  }
}

/**
 * A request that any broker can answer failed on every broker tried; `errors` has each failure.
 * Its reason is theirs when they all failed alike (every broker refused the certificate: `tls`),
 * else `no_broker`; the message keeps each broker's own explanation.
 */
export class NoBrokerAvailableError extends BrokerRequestError {
  override name = 'NoBrokerAvailableError';

  constructor(
    target: Pick<RequestTarget, 'apiName' | 'apiKey'>,
    /** The failure on each broker tried, in order. */
    readonly errors: readonly BrokerRequestError[],
  ) {
    const reasons = new Set(errors.map((error) => error.reason));
    const [only] = reasons;
    const tried = errors
      .map((error) => `${error.broker ?? '?'} ${error.reason}: ${error.detail}`)
      .join('; ');
    super(
      { ...target, nodeId: undefined, broker: undefined },
      reasons.size === 1 && only !== undefined ? only : 'no_broker',
      `no broker answered (${errors.length} tried${tried ? `: ${tried}` : ''})`,
      { cause: errors[errors.length - 1] },
    );
  }
}
