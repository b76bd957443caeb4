import { describe, expect, it } from 'vitest';
import {
  decodeDescribeLogDirsResponse,
  encodeDescribeLogDirsRequest,
} from '../../../../src/collectors/protocol/describe-log-dirs';
import { vector } from './fixtures/java-vectors';
import { expectStrictFraming, javaRequestBody } from './support/codec-checks';

const ordersReplicas = {
  topic: 'orders',
  partitions: [
    { partition: 0, size: 123_456, offsetLag: 0, isFuture: false },
    { partition: 1, size: 5_368_709_120, offsetLag: 17, isFuture: true },
  ],
};

describe('DescribeLogDirs codec', () => {
  it('encodes the all-topics request exactly as Kafka does (v3-v5)', () => {
    for (const version of [3, 4, 5] as const) {
      expect(encodeDescribeLogDirsRequest(version)).toEqual(
        javaRequestBody(`describe-log-dirs.request.v${version}`, 35, version),
      );
    }
  });

  it('decodes directories, replica sizes and volume totals (v4); an offline dir is a value', () => {
    expect(decodeDescribeLogDirsResponse(vector('describe-log-dirs.response.v4'), 4)).toEqual({
      errorCode: 0,
      logDirs: [
        {
          logDir: '/var/lib/kafka/data-0',
          errorCode: 0,
          totalBytes: 1_099_511_627_776,
          usableBytes: 549_755_813_888,
          isCordoned: undefined,
          topics: [ordersReplicas],
        },
        {
          logDir: '/var/lib/kafka/data-1',
          errorCode: 56,
          totalBytes: -1,
          usableBytes: -1,
          isCordoned: undefined,
          topics: [],
        },
      ],
    });
  });

  it('has no volume totals before v4 and the cordoned flag from v5', () => {
    const v3 = decodeDescribeLogDirsResponse(vector('describe-log-dirs.response.v3'), 3);
    expect(v3.logDirs[0]).toMatchObject({
      totalBytes: -1,
      usableBytes: -1,
      topics: [ordersReplicas],
    });
    const v5 = decodeDescribeLogDirsResponse(vector('describe-log-dirs.response.v5'), 5);
    expect(v5.logDirs.map((dir) => dir.isCordoned)).toEqual([true, false]);
  });

  it('returns the top-level error (not authorised: no results)', () => {
    expect(
      decodeDescribeLogDirsResponse(vector('describe-log-dirs.response.v4.unauthorized'), 4),
    ).toEqual({ errorCode: 31, logDirs: [] });
  });

  it('throws a decode error for truncated or overlong answers', () => {
    for (const version of [3, 4, 5] as const) {
      expectStrictFraming(vector(`describe-log-dirs.response.v${version}`), (bytes) =>
        decodeDescribeLogDirsResponse(bytes, version),
      );
    }
  });
});
