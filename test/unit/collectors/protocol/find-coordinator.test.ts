import { describe, expect, it } from 'vitest';
import {
  decodeFindCoordinatorResponse,
  encodeFindCoordinatorRequest,
} from '../../../../src/collectors/protocol/find-coordinator';
import { vector } from './fixtures/java-vectors';
import { expectStrictFraming, javaRequestBody } from './support/codec-checks';

describe('FindCoordinator codec', () => {
  it('encodes a batch of group keys exactly as Kafka does (v4-v6)', () => {
    for (const version of [4, 5, 6] as const) {
      expect(
        encodeFindCoordinatorRequest({ keyType: 0, keys: ['billing', 'audit'] }, version),
      ).toEqual(javaRequestBody(`find-coordinator.request.v${version}`, 10, version));
    }
  });

  it('decodes one coordinator per key, errors included', () => {
    for (const version of [4, 5, 6] as const) {
      expect(
        decodeFindCoordinatorResponse(vector(`find-coordinator.response.v${version}`), version),
      ).toEqual([
        {
          key: 'billing',
          nodeId: 1,
          host: '127.0.0.1',
          port: 59092,
          errorCode: 0,
          errorMessage: null,
        },
        {
          key: 'audit',
          nodeId: -1,
          host: '',
          port: -1,
          errorCode: 15,
          errorMessage: 'The coordinator is not available.',
        },
      ]);
    }
  });

  it('throws a decode error for truncated or overlong answers', () => {
    expectStrictFraming(vector('find-coordinator.response.v4'), (bytes) =>
      decodeFindCoordinatorResponse(bytes, 4),
    );
  });
});
