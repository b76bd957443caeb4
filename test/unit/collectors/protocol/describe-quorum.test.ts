import { describe, expect, it } from 'vitest';
import {
  decodeDescribeQuorumResponse,
  encodeDescribeQuorumRequest,
} from '../../../../src/collectors/protocol/describe-quorum';
import { text, vector } from './fixtures/java-vectors';
import { expectStrictFraming, javaRequestBody } from './support/codec-checks';

describe('DescribeQuorum codec', () => {
  it('encodes the __cluster_metadata-0 request exactly as Kafka does (v1, v2)', () => {
    for (const version of [1, 2] as const) {
      expect(encodeDescribeQuorumRequest(version)).toEqual(
        javaRequestBody(`describe-quorum.request.v${version}`, 55, version),
      );
    }
  });

  it('decodes leader, epoch, high watermark, voters, observers and voter endpoints (v2)', () => {
    expect(decodeDescribeQuorumResponse(vector('describe-quorum.response.v2'), 2)).toEqual({
      errorCode: 0,
      errorMessage: null,
      partitions: [
        {
          topic: '__cluster_metadata',
          partition: 0,
          errorCode: 0,
          errorMessage: '', // the JSON default of the field; real brokers send '' too
          leaderId: 1,
          leaderEpoch: 5,
          highWatermark: 1495,
          voters: [
            {
              replicaId: 1,
              replicaDirectoryId: text('text.directory-id'),
              logEndOffset: 1500,
              lastFetchTimestamp: -1,
              lastCaughtUpTimestamp: 1_700_000_000_500,
            },
            {
              replicaId: 2,
              replicaDirectoryId: undefined,
              logEndOffset: 1490,
              lastFetchTimestamp: 1_700_000_000_400,
              lastCaughtUpTimestamp: 1_700_000_000_300,
            },
          ],
          observers: [
            {
              replicaId: 4,
              replicaDirectoryId: undefined,
              logEndOffset: -1,
              lastFetchTimestamp: -1,
              lastCaughtUpTimestamp: -1,
            },
          ],
        },
      ],
      nodes: [{ nodeId: 1, listeners: [{ name: 'CONTROLLER', host: '127.0.0.1', port: 59192 }] }],
    });
  });

  it('decodes v1 (no directory ids, messages or endpoints)', () => {
    const answer = decodeDescribeQuorumResponse(vector('describe-quorum.response.v1'), 1);
    expect(answer.nodes).toEqual([]);
    expect(answer.partitions[0]).toMatchObject({
      leaderId: 1,
      highWatermark: 1495,
      errorMessage: null,
    });
    expect(answer.partitions[0]?.voters.map((v) => [v.replicaId, v.replicaDirectoryId])).toEqual([
      [1, undefined],
      [2, undefined],
    ]);
  });

  it('returns the partition-level "not the leader" error as a value', () => {
    const [partition] = decodeDescribeQuorumResponse(
      vector('describe-quorum.response.v2.not-leader'),
      2,
    ).partitions;
    expect(partition).toMatchObject({ errorCode: 6, errorMessage: 'not the leader', leaderId: -1 });
  });

  it('throws a decode error for truncated or overlong answers', () => {
    for (const version of [1, 2] as const) {
      expectStrictFraming(vector(`describe-quorum.response.v${version}`), (bytes) =>
        decodeDescribeQuorumResponse(bytes, version),
      );
    }
  });
});
