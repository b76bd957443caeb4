import { describe, expect, it } from 'vitest';
import {
  decodeListGroupsResponse,
  encodeListGroupsRequest,
} from '../../../../src/collectors/protocol/list-groups';
import { vector } from './fixtures/java-vectors';
import { expectStrictFraming, javaRequestBody } from './support/codec-checks';

const noFilters = { statesFilter: [], typesFilter: [] };

describe('ListGroups codec', () => {
  it('encodes an unfiltered request exactly as Kafka does (v4, v5)', () => {
    for (const version of [4, 5] as const) {
      expect(encodeListGroupsRequest(noFilters, version)).toEqual(
        javaRequestBody(`list-groups.request.v${version}`, 16, version),
      );
    }
  });

  it('encodes state and type filters exactly as Kafka does (v5)', () => {
    const filters = { statesFilter: ['Stable', 'Empty'], typesFilter: ['classic'] };
    expect(encodeListGroupsRequest(filters, 5)).toEqual(
      javaRequestBody('list-groups.request.v5.filtered', 16, 5),
    );
  });

  it('decodes groups with state (v4) and type (v5)', () => {
    expect(decodeListGroupsResponse(vector('list-groups.response.v5'), 5)).toEqual({
      errorCode: 0,
      groups: [
        { groupId: 'billing', protocolType: 'consumer', state: 'Stable', type: 'classic' },
        { groupId: 'connect-sink', protocolType: 'connect', state: 'Empty', type: 'classic' },
        { groupId: 'new-style', protocolType: '', state: 'Assigning', type: 'consumer' },
      ],
    });
    const v4 = decodeListGroupsResponse(vector('list-groups.response.v4'), 4);
    expect(v4.groups.map((g) => [g.groupId, g.state, g.type])).toEqual([
      ['billing', 'Stable', undefined],
      ['connect-sink', 'Empty', undefined],
      ['new-style', 'Assigning', undefined],
    ]);
  });

  it('returns the top-level error (coordinator still loading) with the partial list', () => {
    const answer = decodeListGroupsResponse(vector('list-groups.response.v5.loading'), 5);
    expect(answer.errorCode).toBe(14);
    expect(answer.groups).toHaveLength(3);
  });

  it('throws a decode error for truncated or overlong answers', () => {
    expectStrictFraming(vector('list-groups.response.v5'), (bytes) =>
      decodeListGroupsResponse(bytes, 5),
    );
    expectStrictFraming(vector('list-groups.response.v4'), (bytes) =>
      decodeListGroupsResponse(bytes, 4),
    );
  });
});
