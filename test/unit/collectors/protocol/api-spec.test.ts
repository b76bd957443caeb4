import { KAFKA_4_4_VERSIONS } from './fixtures/broker-versions';
import { describe, expect, it } from 'vitest';
import {
  assertImplementedVersion,
  isFlexibleVersion,
  negotiateVersion,
  type ApiSpec,
} from '../../../../src/collectors/protocol/api-spec';
import { DESCRIBE_CONFIGS_API } from '../../../../src/collectors/protocol/describe-configs';
import { DESCRIBE_GROUPS_API } from '../../../../src/collectors/protocol/describe-groups';
import { DESCRIBE_LOG_DIRS_API } from '../../../../src/collectors/protocol/describe-log-dirs';
import { DESCRIBE_QUORUM_API } from '../../../../src/collectors/protocol/describe-quorum';
import { FIND_COORDINATOR_API } from '../../../../src/collectors/protocol/find-coordinator';
import { LIST_GROUPS_API } from '../../../../src/collectors/protocol/list-groups';
import { LIST_OFFSETS_API } from '../../../../src/collectors/protocol/list-offsets';
import { METADATA_API } from '../../../../src/collectors/protocol/metadata';
import { OFFSET_FETCH_API } from '../../../../src/collectors/protocol/offset-fetch';
import { apiName } from '../../../../src/kafka-names/api-names';

const ALL_APIS = [
  METADATA_API,
  LIST_OFFSETS_API,
  FIND_COORDINATOR_API,
  LIST_GROUPS_API,
  DESCRIBE_GROUPS_API,
  OFFSET_FETCH_API,
  DESCRIBE_LOG_DIRS_API,
  DESCRIBE_QUORUM_API,
  DESCRIBE_CONFIGS_API,
];

/** Version ranges as the brokers advertise them (protocol notes, checked in both jars). */
const KAFKA_39: Record<number, [number, number]> = {
  2: [0, 9],
  3: [0, 12],
  9: [0, 9],
  10: [0, 6],
  15: [0, 5],
  16: [0, 5],
  32: [0, 4],
  35: [0, 4],
  55: [0, 2],
};
const KAFKA_44 = KAFKA_4_4_VERSIONS;

function negotiateAll(
  ranges: Record<number, [number, number]>,
): Record<string, number | undefined> {
  return Object.fromEntries(
    ALL_APIS.map((spec) => {
      const [minVersion, maxVersion] = ranges[spec.key]!;
      return [spec.name, negotiateVersion(spec, { minVersion, maxVersion })];
    }),
  );
}

describe('API specs', () => {
  it("use Kafka's API names and only flexible versions", () => {
    for (const spec of ALL_APIS) {
      expect(spec.name).toBe(apiName(spec.key));
      expect(spec.minVersion).toBeLessThanOrEqual(spec.maxVersion);
      expect(isFlexibleVersion(spec, spec.minVersion)).toBe(true);
    }
  });

  it('negotiate these versions with Kafka 3.9', () => {
    expect(negotiateAll(KAFKA_39)).toEqual({
      Metadata: 12,
      ListOffsets: 9,
      FindCoordinator: 6,
      ListGroups: 5,
      DescribeGroups: 5,
      OffsetFetch: 9,
      DescribeLogDirs: 4,
      DescribeQuorum: 2,
      DescribeConfigs: 4,
    });
  });

  it('negotiate these versions with Kafka 4.4', () => {
    expect(negotiateAll(KAFKA_44)).toEqual({
      Metadata: 13,
      ListOffsets: 9,
      FindCoordinator: 6,
      ListGroups: 5,
      DescribeGroups: 6,
      OffsetFetch: 9,
      DescribeLogDirs: 5,
      DescribeQuorum: 2,
      DescribeConfigs: 4,
    });
  });
});

describe('negotiateVersion', () => {
  const spec: ApiSpec = {
    key: 1,
    name: 'X',
    minVersion: 4,
    maxVersion: 6,
    firstFlexibleVersion: 3,
  };

  it('picks the highest common version', () => {
    expect(negotiateVersion(spec, { minVersion: 0, maxVersion: 9 })).toBe(6);
    expect(negotiateVersion(spec, { minVersion: 0, maxVersion: 5 })).toBe(5);
    expect(negotiateVersion(spec, { minVersion: 6, maxVersion: 9 })).toBe(6);
  });

  it('gives undefined without overlap or when the broker does not list the API', () => {
    expect(negotiateVersion(spec, { minVersion: 0, maxVersion: 3 })).toBeUndefined();
    expect(negotiateVersion(spec, { minVersion: 7, maxVersion: 9 })).toBeUndefined();
    expect(negotiateVersion(spec, undefined)).toBeUndefined();
  });

  it('guards codecs against versions they do not implement', () => {
    expect(() => assertImplementedVersion(spec, 5)).not.toThrow();
    expect(() => assertImplementedVersion(spec, 7)).toThrow('X v7 is not implemented (v4-v6)');
    expect(() => assertImplementedVersion(spec, 4.5)).toThrow(RangeError);
  });
});
