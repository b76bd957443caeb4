import { describe, expect, it } from 'vitest';
import {
  decodeDescribeConfigsResponse,
  encodeDescribeConfigsRequest,
} from '../../../../src/collectors/protocol/describe-configs';
import { vector } from './fixtures/java-vectors';
import { expectStrictFraming, javaRequestBody } from './support/codec-checks';

describe('DescribeConfigs codec', () => {
  it('encodes topic resources with config names exactly as Kafka does (v4)', () => {
    const configNames = ['min.insync.replicas', 'retention.ms'];
    const resources = ['orders', 'payments'].map((name) => ({ type: 2, name, configNames }));
    expect(encodeDescribeConfigsRequest({ resources }, 4)).toEqual(
      javaRequestBody('describe-configs.request.v4', 32, 4),
    );
  });

  it('decodes values (skipping synonyms and documentation); resource errors are values', () => {
    expect(decodeDescribeConfigsResponse(vector('describe-configs.response.v4'), 4)).toEqual([
      {
        resourceType: 2,
        resourceName: 'orders',
        errorCode: 0,
        errorMessage: null,
        configs: [
          {
            name: 'min.insync.replicas',
            value: '2',
            readOnly: false,
            source: 1,
            isSensitive: false,
            type: 3,
          },
          {
            name: 'retention.ms',
            value: null,
            readOnly: false,
            source: 5,
            isSensitive: true,
            type: 5,
          },
        ],
      },
      {
        resourceType: 2,
        resourceName: 'payments',
        errorCode: 3,
        errorMessage: 'Topic payments does not exist.',
        configs: [],
      },
    ]);
  });

  it('encodes null config names as "all configs"', () => {
    const body = encodeDescribeConfigsRequest(
      { resources: [{ type: 2, name: 't', configNames: null }] },
      4,
    );
    expect(body).toEqual(Buffer.from([2, 2, 2, 0x74, 0, 0, 0, 0, 0]));
  });

  it('throws a decode error for truncated or overlong answers', () => {
    expectStrictFraming(vector('describe-configs.response.v4'), (bytes) =>
      decodeDescribeConfigsResponse(bytes, 4),
    );
  });
});
