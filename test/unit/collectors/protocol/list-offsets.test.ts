import { LIST_OFFSETS_VECTOR_REQUEST } from './fixtures/list-offsets-request';
import { describe, expect, it } from 'vitest';
import {
  decodeListOffsetsResponse,
  encodeListOffsetsRequest,
} from '../../../../src/collectors/protocol/list-offsets';
import { vector } from './fixtures/java-vectors';
import { expectStrictFraming, javaRequestBody } from './support/codec-checks';

const request = LIST_OFFSETS_VECTOR_REQUEST;

describe('ListOffsets codec', () => {
  it('encodes the request exactly as Kafka does (v7, v8, v9 share the layout)', () => {
    for (const version of [7, 8, 9] as const) {
      expect(encodeListOffsetsRequest(request, version)).toEqual(
        javaRequestBody(`list-offsets.request.v${version}`, 2, version),
      );
    }
  });

  it('decodes offsets, partition errors and int64 values beyond 2^32', () => {
    for (const version of [7, 8, 9] as const) {
      expect(
        decodeListOffsetsResponse(vector(`list-offsets.response.v${version}`), version, request),
      ).toEqual([
        {
          topic: 'orders',
          partition: 0,
          requestedTimestamp: -1,
          errorCode: 0,
          offset: 42,
          timestamp: -1,
          leaderEpoch: 3,
        },
        {
          topic: 'orders',
          partition: 1,
          requestedTimestamp: -2,
          errorCode: 6,
          offset: -1,
          timestamp: -1,
          leaderEpoch: -1,
        },
        {
          topic: 'payments',
          partition: 0,
          requestedTimestamp: 1_700_000_000_000,
          errorCode: 0,
          offset: 8_589_934_597,
          timestamp: 1_700_000_000_123,
          leaderEpoch: 12,
        },
      ]);
    }
  });

  it('marks answers for partitions that were not asked with a NaN requested timestamp', () => {
    const [first] = decodeListOffsetsResponse(vector('list-offsets.response.v7'), 7, {
      isolationLevel: 0,
      topics: [],
    });
    expect(first?.requestedTimestamp).toBeNaN();
  });

  it('sends the isolation level', () => {
    const body = encodeListOffsetsRequest({ isolationLevel: 1, topics: [] }, 7);
    expect(body).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 1, 0]));
  });

  it('throws a decode error for truncated or overlong answers', () => {
    expectStrictFraming(vector('list-offsets.response.v9'), (bytes) =>
      decodeListOffsetsResponse(bytes, 9, request),
    );
  });
});
