import { describe, expect, it } from 'vitest';
import {
  decodeFetchResponse,
  encodeFetchRequest,
  type FetchRequest,
} from '../../../../src/collectors/protocol/fetch';
import { vector } from './fixtures/java-vectors';
import { expectStrictFraming, javaRequestBody } from './support/codec-checks';

const request: FetchRequest = {
  maxBytes: 1_048_576,
  partitionMaxBytes: 512,
  isolationLevel: 0,
  topics: [
    {
      topic: 'orders',
      partitions: [
        { partition: 0, offset: 42 },
        { partition: 3, offset: 8_589_934_597 },
      ],
    },
    { topic: 'payments', partitions: [{ partition: 1, offset: 0 }] },
  ],
};

describe('Fetch codec', () => {
  it('encodes the request exactly as Kafka does (v12: names, no session, no wait)', () => {
    expect(encodeFetchRequest(request, 12)).toEqual(javaRequestBody('fetch.request.v12', 1, 12));
  });

  it('decodes records as a view, partition errors, null records and tagged fields', () => {
    const body = vector('fetch.response.v12');
    const answer = decodeFetchResponse(body, 12, request);
    expect(answer.errorCode).toBe(0);
    expect(
      answer.partitions.map(({ records, ...rest }) => ({ ...rest, bytes: records.length })),
    ).toEqual([
      {
        topic: 'orders',
        partition: 0,
        fetchOffset: 42,
        errorCode: 0,
        highWatermark: 43,
        logStartOffset: 5,
        bytes: vector('records.plain').length,
      },
      {
        topic: 'orders',
        partition: 3,
        fetchOffset: 8_589_934_597,
        errorCode: 1,
        highWatermark: -1,
        logStartOffset: -1,
        bytes: 0,
      },
      {
        topic: 'payments',
        partition: 1,
        fetchOffset: 0,
        errorCode: 0,
        highWatermark: 8_589_934_600,
        logStartOffset: 0,
        bytes: 0,
      },
    ]);
    expect(answer.partitions[0]!.records).toEqual(vector('records.plain'));
    // A view into the response: the records are not copied.
    expect(answer.partitions[0]!.records.buffer).toBe(body.buffer);
  });

  it('returns a top-level error with no partitions', () => {
    expect(decodeFetchResponse(vector('fetch.response.v12.error'), 12, request)).toEqual({
      errorCode: 70,
      partitions: [],
    });
  });

  it('rejects every truncation and trailing bytes', () => {
    expectStrictFraming(vector('fetch.response.v12'), (bytes) =>
      decodeFetchResponse(bytes, 12, request),
    );
  });

  it('refuses versions it does not implement', () => {
    expect(() => decodeFetchResponse(vector('fetch.response.v12'), 13, request)).toThrow(
      /not implemented/,
    );
  });
});
