import { describe, expect, it } from 'vitest';
import {
  decodeOffsetFetchResponse,
  encodeOffsetFetchRequest,
} from '../../../../src/collectors/protocol/offset-fetch';
import { vector } from './fixtures/java-vectors';
import { expectStrictFraming, javaRequestBody } from './support/codec-checks';

describe('OffsetFetch codec', () => {
  it('encodes a multi-group, all-topics request exactly as Kafka does (v8, v9)', () => {
    for (const version of [8, 9] as const) {
      expect(
        encodeOffsetFetchRequest({ groupIds: ['billing', 'audit'], requireStable: false }, version),
      ).toEqual(javaRequestBody(`offset-fetch.request.v${version}`, 9, version));
    }
  });

  it('decodes committed offsets per group, missing commits and errors as values', () => {
    for (const version of [8, 9] as const) {
      expect(
        decodeOffsetFetchResponse(vector(`offset-fetch.response.v${version}`), version),
      ).toEqual([
        {
          groupId: 'billing',
          errorCode: 0,
          partitions: [
            {
              topic: 'orders',
              partition: 0,
              committedOffset: 10,
              committedLeaderEpoch: 2,
              errorCode: 0,
            },
            {
              topic: 'orders',
              partition: 1,
              committedOffset: -1,
              committedLeaderEpoch: -1,
              errorCode: 0,
            },
            {
              topic: 'orders',
              partition: 2,
              committedOffset: -1,
              committedLeaderEpoch: -1,
              errorCode: 88,
            },
          ],
        },
        { groupId: 'audit', errorCode: 16, partitions: [] },
      ]);
    }
  });

  it('throws a decode error for truncated or overlong answers', () => {
    expectStrictFraming(vector('offset-fetch.response.v8'), (bytes) =>
      decodeOffsetFetchResponse(bytes, 8),
    );
  });
});
