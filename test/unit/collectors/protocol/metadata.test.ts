import { describe, expect, it } from 'vitest';
import {
  METADATA_API,
  decodeMetadataResponse,
  encodeMetadataRequest,
  type MetadataResponse,
} from '../../../../src/collectors/protocol/metadata';
import { text, vector } from './fixtures/java-vectors';
import { expectStrictFraming, javaRequestBody } from './support/codec-checks';

/** What VectorGen put into the Metadata response vectors. */
function expectedResponse(errorCode: number): MetadataResponse {
  return {
    errorCode,
    clusterId: 'Kq8Ag2yXRGm2pQ1A0x-_Zw',
    controllerId: 2,
    brokers: [
      { nodeId: 1, host: '127.0.0.1', port: 59092, rack: null },
      { nodeId: 2, host: 'kafka-2.example', port: 9093, rack: 'rack-b' },
    ],
    topics: [
      {
        name: 'orders',
        topicId: text('text.topic-id'),
        errorCode: 0,
        isInternal: false,
        partitions: [
          {
            partition: 0,
            errorCode: 0,
            leader: 1,
            leaderEpoch: 3,
            replicas: [1, 2],
            isr: [1, 2],
            offlineReplicas: [],
          },
          {
            partition: 1,
            errorCode: 5,
            leader: -1,
            leaderEpoch: 4,
            replicas: [2, 3],
            isr: [3],
            offlineReplicas: [2],
          },
          {
            partition: 2,
            errorCode: 0,
            leader: 2,
            leaderEpoch: 0,
            replicas: [2, 1],
            isr: [2],
            offlineReplicas: [],
          },
        ],
      },
      {
        name: '__consumer_offsets',
        topicId: text('text.internal-topic-id'),
        errorCode: 0,
        isInternal: true,
        partitions: [],
      },
      { name: 'secret', topicId: undefined, errorCode: 29, isInternal: false, partitions: [] },
    ],
  };
}

describe('Metadata codec', () => {
  it('encodes "all topics, never create" exactly as Kafka does (v12, v13)', () => {
    for (const version of [12, 13] as const) {
      expect(encodeMetadataRequest({ topics: null }, version)).toEqual(
        javaRequestBody(`metadata.request.v${version}.all`, 3, version),
      );
    }
  });

  it('encodes named topics (zero topic id, name) exactly as Kafka does', () => {
    for (const version of [12, 13] as const) {
      expect(encodeMetadataRequest({ topics: ['orders', 'payments'] }, version)).toEqual(
        javaRequestBody(`metadata.request.v${version}.named`, 3, version),
      );
    }
  });

  it('decodes brokers, leaderless and under-replicated partitions, topic errors (v12)', () => {
    expect(decodeMetadataResponse(vector('metadata.response.v12'), 12)).toEqual(
      expectedResponse(0),
    );
  });

  it('skips unknown tagged fields on partitions and at the top level', () => {
    // The vectors carry tag 7 on partition 0 and tags 100 and 300 at the top level.
    const body = vector('metadata.response.v12');
    expect(body.includes(Buffer.from([0x07, 0x03, 0xde, 0xad, 0xbe]))).toBe(true);
    expect(decodeMetadataResponse(body, 12).topics[0]!.partitions[1]!.leader).toBe(-1);
  });

  it('reads the v13 top-level error code', () => {
    expect(decodeMetadataResponse(vector('metadata.response.v13'), 13)).toEqual(
      expectedResponse(0),
    );
    expect(decodeMetadataResponse(vector('metadata.response.v13.error'), 13).errorCode).toBe(31);
  });

  it('decodes an empty cluster answer (no topics, null cluster id)', () => {
    const body = Buffer.from([
      ...[0, 0, 0, 0], // throttle
      1, // brokers: 0
      0, // cluster id: null
      ...[0xff, 0xff, 0xff, 0xff], // controller -1
      1, // topics: 0
      0, // tags
    ]);
    expect(decodeMetadataResponse(body, 12)).toEqual({
      errorCode: 0,
      clusterId: null,
      controllerId: -1,
      brokers: [],
      topics: [],
    });
  });

  it('throws a decode error for truncated or overlong answers', () => {
    expectStrictFraming(vector('metadata.response.v12'), (bytes) =>
      decodeMetadataResponse(bytes, 12),
    );
    expectStrictFraming(vector('metadata.response.v13'), (bytes) =>
      decodeMetadataResponse(bytes, 13),
    );
  });

  it('refuses versions it does not implement', () => {
    expect(() => encodeMetadataRequest({ topics: null }, 11)).toThrow(RangeError);
    expect(() => decodeMetadataResponse(vector('metadata.response.v12'), 14)).toThrow(
      /Metadata v14 is not implemented/,
    );
    expect(METADATA_API).toMatchObject({ key: 3, minVersion: 12, maxVersion: 13 });
  });
});
