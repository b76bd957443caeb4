import { describe, expect, it } from 'vitest';
import { decodeConsumerAssignment } from '../../../../src/collectors/protocol/consumer-assignment';
import { vector } from './fixtures/java-vectors';

const assigned = [
  { topic: 'orders', partitions: [0, 2] },
  { topic: 'payments', partitions: [1] },
];

describe('decodeConsumerAssignment', () => {
  it('decodes every ConsumerProtocolAssignment version Kafka writes (0-3)', () => {
    for (const version of [0, 1, 2, 3] as const) {
      expect(decodeConsumerAssignment(vector(`consumer-assignment.v${version}`))).toEqual(assigned);
    }
  });

  it('reads a future version by its common prefix', () => {
    const future = Buffer.from(vector('consumer-assignment.v3'));
    future.writeInt16BE(9, 0);
    const extended = Buffer.concat([future, Buffer.from([1, 2, 3, 4])]);
    expect(decodeConsumerAssignment(extended)).toEqual(assigned);
  });

  it('gives [] for empty bytes (a member of a group that is not Stable)', () => {
    expect(decodeConsumerAssignment(Buffer.alloc(0))).toEqual([]);
  });

  it('gives null, not an exception, for bytes that are not an assignment', () => {
    const bytes = vector('consumer-assignment.v3');
    for (let length = 1; length < 30; length++) {
      expect(decodeConsumerAssignment(bytes.subarray(0, length)), `prefix ${length}`).toBeNull();
    }
    expect(decodeConsumerAssignment(Buffer.from([0xff, 0xff, 0, 0, 0, 0]))).toBeNull();
    expect(decodeConsumerAssignment(Buffer.from([0, 0, 0x7f, 0xff, 0xff, 0xff]))).toBeNull();
  });
});
