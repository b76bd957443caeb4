import { BrokerRequestError, type RequestFailureReason, type RequestTarget } from './errors';
import { MALFORMED_REPLY_CODE, TLS_REPLY_CODE } from './reply-guard';
import { ProtocolDecodeError } from './protocol-decode-error';

/** Thrown by a request whose caller's signal fired before the answer came. */
export class RequestAborted extends Error {
  constructor() {
    super('stopped waiting: the snapshot deadline passed');
  }
}

/**
 * Node's codes for a failed TLS handshake: OpenSSL's certificate verification results
 * (`SELF_SIGNED_CERT_IN_CHAIN`, `CERT_HAS_EXPIRED`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, ...), the
 * alerts and protocol errors OpenSSL raises (`ERR_SSL_...`, e.g. a client certificate the broker
 * required) and Node's own checks (`ERR_TLS_CERT_ALTNAME_INVALID`).
 */
const TLS_CODE =
  /^(ERR_SSL_|ERR_TLS_|ERR_OSSL_|CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|HOSTNAME_MISMATCH|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_EXCEEDED)/;

/** Kafka errors of the SASL exchange, as KafkaJS names them on a KafkaJSProtocolError. */
const SASL_ERROR_TYPES = new Set([
  'UNSUPPORTED_SASL_MECHANISM',
  'ILLEGAL_SASL_STATE',
  'SASL_AUTHENTICATION_FAILED',
]);

/** What KafkaJS says when the peer closed the socket while a request or SASL step waited. */
const CLOSED_BY_PEER = new Set(['Closed connection', 'Connection closed by the server']);

/**
 * Turns whatever a KafkaJS connect or send threw into a `BrokerRequestError` whose reason says
 * what failed in words an operator acts on (TLS, SASL, refused, timeout, a malformed reply), with
 * KafkaJS's own explanation kept: "self-signed certificate in certificate chain" is the answer,
 * "connection failed" is not. `connecting` without `usesTls`: the failure ended a connect
 * attempt without TLS; a peer that closes it without a word then most likely expects TLS.
 */
export function connectionFailure(
  target: RequestTarget,
  error: unknown,
  { usesTls, connecting }: { usesTls: boolean; connecting: boolean },
): BrokerRequestError {
  if (error instanceof BrokerRequestError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RequestAborted) return new BrokerRequestError(target, 'aborted', message);
  const reason = reasonOf(error, message);
  const detail =
    reason === 'connection' && CLOSED_BY_PEER.has(message)
      ? `${message} by the broker${connecting && !usesTls ? ' before it answered (does the listener expect TLS?)' : ''}`
      : readable(withoutKafkaJsPrefix(message));
  return new BrokerRequestError(target, reason, detail, { cause: error });
}

function reasonOf(error: unknown, message: string): RequestFailureReason {
  if (error instanceof ProtocolDecodeError) return 'decode';
  const { name, code, type } = (error ?? {}) as { name?: unknown; code?: unknown; type?: unknown };
  if (code === MALFORMED_REPLY_CODE) return 'malformed_reply';
  if (code === TLS_REPLY_CODE) return 'tls';
  if (typeof code === 'string' && TLS_CODE.test(code)) return 'tls';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  switch (name) {
    case 'KafkaJSRequestTimeoutError':
    case 'KafkaJSLockTimeout':
      return 'timeout';
    case 'KafkaJSSASLAuthenticationError':
      return 'authentication';
    case 'KafkaJSProtocolError':
      if (typeof type === 'string' && SASL_ERROR_TYPES.has(type)) return 'authentication';
      break;
    // KafkaJS's decoders, reading a reply that is not what the request asked for.
    case 'RangeError':
    case 'KafkaJSInvalidVarIntError':
    case 'KafkaJSInvalidLongError':
      return 'decode';
  }
  // KafkaJS reports a connect that did not complete in time as a connection error.
  return message === 'Connection timeout' ? 'timeout' : 'connection';
}

/**
 * OpenSSL's own form of an error (`800C...:error:0A000412:SSL routines:ssl3_read_bytes:sslv3
 * alert bad certificate:../deps/openssl/...:SSL alert number 42`, with a line break) as one
 * line an operator reads: the reason and the alert number, and what a refused certificate
 * usually means. Other messages only lose their line breaks.
 */
function readable(message: string): string {
  const openssl =
    /:error:[0-9A-Fa-f]+:SSL routines:[^:]*:([^:]+):[^\n]*?(SSL alert number \d+)?\s*$/.exec(
      message,
    );
  const text = openssl
    ? `${openssl[1]}${openssl[2] ? ` (${openssl[2]})` : ''}`
    : message.replace(/\s*\n\s*/g, ' ').trim();
  return /alert (bad certificate|certificate required)/.test(text)
    ? `${text}: the broker refused the client certificate, or got none (--tls-cert, --tls-key)`
    : text;
}

/** KafkaJS prefixes socket errors with "Connection error: "; the reason already says as much. */
function withoutKafkaJsPrefix(message: string): string {
  return message.startsWith('Connection error: ') ? message.slice(18) : message;
}
