import { describe, expect, it } from 'vitest';
import {
  decodeDescribeGroupsResponse,
  encodeDescribeGroupsRequest,
} from '../../../../src/collectors/protocol/describe-groups';
import { WireWriter } from '../../../../src/collectors/protocol/wire-writer';
import { vector } from './fixtures/java-vectors';
import { expectStrictFraming, javaRequestBody } from './support/codec-checks';

const billing = {
  groupId: 'billing',
  errorCode: 0,
  errorMessage: null,
  state: 'Stable',
  protocolType: 'consumer',
  protocol: 'range',
  members: [
    {
      memberId: 'consumer-1-5f0c',
      groupInstanceId: null,
      clientId: 'consumer-1',
      clientHost: '/127.0.0.1',
      assignment: [
        { topic: 'orders', partitions: [0, 2] },
        { topic: 'payments', partitions: [1] },
      ],
    },
    {
      memberId: 'consumer-2-77aa',
      groupInstanceId: 'static-2',
      clientId: 'consumer-2',
      clientHost: '/10.0.0.2',
      assignment: [],
    },
  ],
};
const elsewhere = {
  groupId: 'elsewhere',
  errorCode: 16,
  errorMessage: null,
  state: '',
  protocolType: '',
  protocol: '',
  members: [],
};

/** A one-group, one-member answer (v5) with the given protocol type and assignment bytes. */
function oneMemberAnswer(protocolType: string, assignment: Buffer): Buffer {
  const writer = new WireWriter()
    .int32(0)
    .compactArrayLength(1)
    .int16(0)
    .compactString('g')
    .compactString('Stable')
    .compactString(protocolType)
    .compactString('p')
    .compactArrayLength(1)
    .compactString('m')
    .compactNullableString(null)
    .compactString('c')
    .compactString('/h')
    .uvarint(1) // metadata: empty
    .uvarint(assignment.length + 1);
  return Buffer.concat([
    writer.toBuffer(),
    assignment,
    new WireWriter()
      .emptyTaggedFields()
      .int32(0)
      .emptyTaggedFields()
      .emptyTaggedFields()
      .toBuffer(),
  ]);
}

describe('DescribeGroups codec', () => {
  it('encodes the request exactly as Kafka does (v5, v6)', () => {
    for (const version of [5, 6] as const) {
      expect(encodeDescribeGroupsRequest({ groupIds: ['billing', 'audit'] }, version)).toEqual(
        javaRequestBody(`describe-groups.request.v${version}`, 15, version),
      );
    }
  });

  it('decodes state, members and their assignments; group errors are values (v5)', () => {
    expect(decodeDescribeGroupsResponse(vector('describe-groups.response.v5'), 5)).toEqual([
      billing,
      {
        groupId: 'audit',
        errorCode: 0,
        errorMessage: null,
        state: 'Dead',
        protocolType: '',
        protocol: '',
        members: [],
      },
      elsewhere,
    ]);
  });

  it('reads the v6 error message (GROUP_ID_NOT_FOUND for unknown groups on Kafka 4.x)', () => {
    const groups = decodeDescribeGroupsResponse(vector('describe-groups.response.v6'), 6);
    expect(groups[0]).toEqual(billing);
    expect(groups[1]).toMatchObject({
      groupId: 'audit',
      errorCode: 69,
      errorMessage: 'Group audit not found.',
      state: 'Dead',
    });
    expect(groups[2]).toEqual(elsewhere);
  });

  it('leaves assignments of non-consumer protocols undecoded (null)', () => {
    const assignment = vector('consumer-assignment.v3');
    const [connect] = decodeDescribeGroupsResponse(oneMemberAnswer('connect', assignment), 5);
    expect(connect?.members[0]?.assignment).toBeNull();
    const [consumer] = decodeDescribeGroupsResponse(oneMemberAnswer('consumer', assignment), 5);
    expect(consumer?.members[0]?.assignment).toEqual(billing.members[0]!.assignment);
  });

  it('survives a member assignment that is not a consumer assignment', () => {
    const [group] = decodeDescribeGroupsResponse(
      oneMemberAnswer('consumer', Buffer.from([0, 1, 0x7f])),
      5,
    );
    expect(group?.members[0]).toMatchObject({ memberId: 'm', assignment: null });
  });

  it('throws a decode error for truncated or overlong answers', () => {
    expectStrictFraming(vector('describe-groups.response.v5'), (bytes) =>
      decodeDescribeGroupsResponse(bytes, 5),
    );
    expectStrictFraming(vector('describe-groups.response.v6'), (bytes) =>
      decodeDescribeGroupsResponse(bytes, 6),
    );
  });
});
