import { describe, expect, it } from 'vitest';
import {
  connectionFailure,
  RequestAborted,
} from '../../../../src/collectors/protocol/connection-failure';
import {
  MalformedReplyError,
  TLS_REPLY_CODE,
} from '../../../../src/collectors/protocol/reply-guard';

const target = { apiName: 'Metadata', apiKey: 3, nodeId: undefined, broker: 'kafka-1:9093' };

/** An error shaped like KafkaJS's: a name, a message and, for socket errors, Node's code. */
function kafkaJsError(name: string, message: string, code?: string): Error {
  return Object.assign(new Error(message), { name, code });
}

const connecting = { usesTls: false, connecting: true };

describe('connectionFailure', () => {
  it.each([
    [
      kafkaJsError(
        'KafkaJSConnectionError',
        'Connection error: self-signed certificate in certificate chain',
        'SELF_SIGNED_CERT_IN_CHAIN',
      ),
      'tls',
      'self-signed certificate in certificate chain',
    ],
    [
      kafkaJsError(
        'KafkaJSConnectionError',
        'Connection error: 800CB0B5BF7F0000:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 42\n',
        'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
      ),
      'tls',
      'sslv3 alert bad certificate (SSL alert number 42): the broker refused the client certificate, or got none (--tls-cert, --tls-key)',
    ],
    [
      kafkaJsError(
        'KafkaJSConnectionError',
        'Connection error: connect ECONNREFUSED 127.0.0.1:9093',
        'ECONNREFUSED',
      ),
      'connection_refused',
      'connect ECONNREFUSED 127.0.0.1:9093',
    ],
    [
      kafkaJsError('KafkaJSSASLAuthenticationError', 'SASL PLAIN authentication failed: nope'),
      'authentication',
      'SASL PLAIN authentication failed: nope',
    ],
    [
      kafkaJsError('KafkaJSRequestTimeoutError', 'Request Metadata(key: 3, version: 12) timed out'),
      'timeout',
      'Request Metadata(key: 3, version: 12) timed out',
    ],
    [kafkaJsError('KafkaJSConnectionError', 'Connection timeout'), 'timeout', 'Connection timeout'],
    [
      new MalformedReplyError('a reply frame announced 0 bytes'),
      'malformed_reply',
      'a reply frame announced 0 bytes',
    ],
    [new MalformedReplyError('answered with TLS', TLS_REPLY_CODE), 'tls', 'answered with TLS'],
    [
      Object.assign(
        kafkaJsError(
          'KafkaJSProtocolError',
          'The broker does not support the requested SASL mechanism',
        ),
        {
          type: 'UNSUPPORTED_SASL_MECHANISM',
        },
      ),
      'authentication',
      'The broker does not support the requested SASL mechanism',
    ],
    [new RangeError('offset out of range'), 'decode', 'offset out of range'],
    [new RequestAborted(), 'aborted', 'stopped waiting: the snapshot deadline passed'],
  ])('%s -> %s', (error, reason, detail) => {
    const failure = connectionFailure(target, error, connecting);
    expect([failure.reason, failure.detail]).toEqual([reason, detail]);
    expect(failure.message).toBe(`Metadata to kafka-1:9093 failed (${reason}): ${detail}`);
  });

  it('hints at TLS only when a plaintext connect was closed without a word', () => {
    const closed = kafkaJsError('KafkaJSConnectionClosedError', 'Closed connection');
    const detail = (options: { usesTls: boolean; connecting: boolean }) =>
      connectionFailure(target, closed, options).detail;
    expect(detail(connecting)).toBe(
      'Closed connection by the broker before it answered (does the listener expect TLS?)',
    );
    expect(detail({ usesTls: true, connecting: true })).toBe('Closed connection by the broker');
    expect(detail({ usesTls: false, connecting: false })).toBe('Closed connection by the broker');
  });
});
