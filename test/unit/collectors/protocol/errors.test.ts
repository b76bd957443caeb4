import { describe, expect, it } from 'vitest';
import {
  BrokerErrorResponse,
  BrokerRequestError,
  NoBrokerAvailableError,
  UnsupportedApiError,
} from '../../../../src/collectors/protocol/errors';

const target = { apiName: 'DescribeLogDirs', apiKey: 35, nodeId: 2, broker: 'kafka-2:9092' };

describe('request errors', () => {
  it('name API, broker and reason, and keep the cause', () => {
    const cause = new Error('Connection error: connect ECONNREFUSED');
    const error = new BrokerRequestError(target, 'connection', cause.message, { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'BrokerRequestError',
      ...target,
      reason: 'connection',
      cause,
    });
    expect(error.message).toBe(
      'DescribeLogDirs to node 2 at kafka-2:9092 failed (connection): Connection error: connect ECONNREFUSED',
    );
    expect(String(error.stack)).toMatch(/^BrokerRequestError: DescribeLogDirs/);
  });

  it('say which versions did not meet', () => {
    const error = new UnsupportedApiError(
      target,
      { minVersion: 3, maxVersion: 5 },
      { minVersion: 0, maxVersion: 2 },
    );
    expect(error).toBeInstanceOf(BrokerRequestError);
    expect(error).toMatchObject({ name: 'UnsupportedApiError', reason: 'unsupported_version' });
    expect(error.message).toMatch(/we implement v3-v5, the broker supports v0-v2/);
    const unlisted = new UnsupportedApiError(target, { minVersion: 3, maxVersion: 5 }, undefined);
    expect(unlisted.message).toMatch(/the broker does not support it/);
  });

  it('name the top-level error code the Kafka way', () => {
    const error = new BrokerErrorResponse(target, 31, 'denied');
    expect(error).toMatchObject({
      name: 'BrokerErrorResponse',
      reason: 'error_response',
      errorCode: 31,
      errorName: 'CLUSTER_AUTHORIZATION_FAILED',
      errorMessage: 'denied',
    });
    expect(error.message).toMatch(
      /failed \(error_response\): CLUSTER_AUTHORIZATION_FAILED \(31\): denied$/,
    );
  });

  it('list every broker tried when none answered', () => {
    const first = new BrokerRequestError({ ...target, broker: 'a:1' }, 'connection', 'refused');
    const second = new BrokerRequestError({ ...target, broker: 'b:2' }, 'timeout', 'slow');
    const error = new NoBrokerAvailableError({ apiName: 'Metadata', apiKey: 3 }, [first, second]);
    expect(error).toMatchObject({
      name: 'NoBrokerAvailableError',
      reason: 'no_broker',
      apiName: 'Metadata',
      nodeId: undefined,
      broker: undefined,
      cause: second,
    });
    expect(error.errors).toEqual([first, second]);
    expect(error.message).toBe(
      'Metadata failed (no_broker): no broker answered (2 tried: a:1 connection: refused; b:2 timeout: slow)',
    );
  });

  it('take the reason of every broker tried when they all failed alike', () => {
    const tls = (broker: string) =>
      new BrokerRequestError(
        { ...target, broker },
        'tls',
        'self-signed certificate in certificate chain',
      );
    const error = new NoBrokerAvailableError({ apiName: 'Metadata', apiKey: 3 }, [
      tls('a:1'),
      tls('b:2'),
    ]);
    expect(error.reason).toBe('tls');
    expect(error.message).toBe(
      'Metadata failed (tls): no broker answered (2 tried: a:1 tls: self-signed certificate in certificate chain; ' +
        'b:2 tls: self-signed certificate in certificate chain)',
    );
  });
});
