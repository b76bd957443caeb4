import { createRequire } from 'node:module';
import { LIST_OFFSETS_VECTOR_REQUEST } from './fixtures/list-offsets-request';
import { describe, expect, it } from 'vitest';
import type { ApiSpec } from '../../../../src/collectors/protocol/api-spec';
import {
  DESCRIBE_CONFIGS_API,
  encodeDescribeConfigsRequest,
} from '../../../../src/collectors/protocol/describe-configs';
import {
  DESCRIBE_GROUPS_API,
  encodeDescribeGroupsRequest,
} from '../../../../src/collectors/protocol/describe-groups';
import {
  DESCRIBE_LOG_DIRS_API,
  encodeDescribeLogDirsRequest,
} from '../../../../src/collectors/protocol/describe-log-dirs';
import {
  DESCRIBE_QUORUM_API,
  decodeDescribeQuorumResponse,
  encodeDescribeQuorumRequest,
} from '../../../../src/collectors/protocol/describe-quorum';
import {
  FIND_COORDINATOR_API,
  encodeFindCoordinatorRequest,
} from '../../../../src/collectors/protocol/find-coordinator';
import { kafkaJsInternals } from '../../../../src/collectors/protocol/kafkajs-internals';
import {
  toKafkaJsRequest,
  type ApiCall,
} from '../../../../src/collectors/protocol/kafkajs-request';
import {
  LIST_GROUPS_API,
  encodeListGroupsRequest,
} from '../../../../src/collectors/protocol/list-groups';
import {
  LIST_OFFSETS_API,
  encodeListOffsetsRequest,
} from '../../../../src/collectors/protocol/list-offsets';
import {
  METADATA_API,
  decodeMetadataResponse,
  encodeMetadataRequest,
} from '../../../../src/collectors/protocol/metadata';
import {
  OFFSET_FETCH_API,
  encodeOffsetFetchRequest,
} from '../../../../src/collectors/protocol/offset-fetch';
import { ProtocolDecodeError } from '../../../../src/collectors/protocol/protocol-decode-error';
import { vector, type VectorName } from './fixtures/java-vectors';

/** KafkaJS's own frame builder (size, header v1, our payload), as Connection.send uses it. */
const createRequest = createRequire(import.meta.url)('kafkajs/src/protocol/request') as (args: {
  correlationId: number;
  clientId: string;
  request: { apiKey: number; apiVersion: number; encode: () => Promise<unknown> };
}) => Promise<{ buffer: Buffer }>;

function call(spec: ApiSpec, encode: (version: number) => Buffer): ApiCall<Buffer> {
  return { spec, encode, decode: (body) => body };
}

const group = ['billing', 'audit'];
/** Each Java request vector, its version, and the call of ours that should produce it. */
const cases: [VectorName, number, ApiCall<Buffer>][] = [
  [
    'metadata.request.v12.all',
    12,
    call(METADATA_API, (v) => encodeMetadataRequest({ topics: null }, v)),
  ],
  [
    'list-offsets.request.v7',
    7,
    call(LIST_OFFSETS_API, (v) => encodeListOffsetsRequest(LIST_OFFSETS_VECTOR_REQUEST, v)),
  ],
  [
    'find-coordinator.request.v4',
    4,
    call(FIND_COORDINATOR_API, (v) => encodeFindCoordinatorRequest({ keyType: 0, keys: group }, v)),
  ],
  [
    'list-groups.request.v5',
    5,
    call(LIST_GROUPS_API, (v) => encodeListGroupsRequest({ statesFilter: [], typesFilter: [] }, v)),
  ],
  [
    'describe-groups.request.v5',
    5,
    call(DESCRIBE_GROUPS_API, (v) => encodeDescribeGroupsRequest({ groupIds: group }, v)),
  ],
  [
    'offset-fetch.request.v8',
    8,
    call(OFFSET_FETCH_API, (v) =>
      encodeOffsetFetchRequest({ groupIds: group, requireStable: false }, v),
    ),
  ],
  ['describe-log-dirs.request.v4', 4, call(DESCRIBE_LOG_DIRS_API, encodeDescribeLogDirsRequest)],
  ['describe-quorum.request.v2', 2, call(DESCRIBE_QUORUM_API, encodeDescribeQuorumRequest)],
  [
    'describe-configs.request.v4',
    4,
    call(DESCRIBE_CONFIGS_API, (v) =>
      encodeDescribeConfigsRequest(
        {
          resources: ['orders', 'payments'].map((name) => ({
            type: 2,
            name,
            configNames: ['min.insync.replicas', 'retention.ms'],
          })),
        },
        v,
      ),
    ),
  ],
];

describe('toKafkaJsRequest', () => {
  const { encoderOf } = kafkaJsInternals();

  it.each(cases)(
    'makes KafkaJS send exactly the frame Kafka builds: %s',
    async (name, version, apiCall) => {
      const { request } = toKafkaJsRequest(apiCall, version, encoderOf);
      expect(request).toMatchObject({
        apiKey: apiCall.spec.key,
        apiVersion: version,
        apiName: apiCall.spec.name,
      });
      const frame = (await createRequest({ correlationId: 7, clientId: 'otel', request })).buffer;
      expect(frame.readInt32BE(0)).toBe(frame.length - 4);
      expect(frame.subarray(4).toString('hex')).toBe(vector(name).toString('hex'));
    },
  );

  it('skips the response header TAG_BUFFER, unknown tags included, before the body', async () => {
    const body = vector('describe-quorum.response.v2');
    const apiCall: ApiCall<unknown> = {
      spec: DESCRIBE_QUORUM_API,
      encode: encodeDescribeQuorumRequest,
      decode: decodeDescribeQuorumResponse,
    };
    const { response } = toKafkaJsRequest(apiCall, 2, encoderOf);
    // Header tags: 2 fields (tag 0, 2 bytes; tag 5, 1 byte), then the body.
    const payload = Buffer.concat([Buffer.from([2, 0, 2, 0xaa, 0xbb, 5, 1, 0xcc]), body]);
    const decoded = await response.decode(payload);
    expect(decoded).toEqual(decodeDescribeQuorumResponse(body, 2));
    expect(await response.parse(decoded)).toBe(decoded);
  });

  it('rejects with a decode error for a malformed header or body', async () => {
    const metadata: ApiCall<unknown> = {
      spec: METADATA_API,
      encode: (v) => encodeMetadataRequest({ topics: null }, v),
      decode: decodeMetadataResponse,
    };
    const { response } = toKafkaJsRequest(metadata, 12, encoderOf);
    // An unterminated varint where the header TAG_BUFFER should be.
    await expect(response.decode(Buffer.from([0x80]))).rejects.toThrow(ProtocolDecodeError);
    await expect(response.decode(Buffer.from([0x80]))).rejects.toThrow(/response header/);
    // A valid empty header, then a body cut short.
    await expect(response.decode(Buffer.from([0, 0, 0]))).rejects.toThrow(/Metadata v12 response/);
  });
});
