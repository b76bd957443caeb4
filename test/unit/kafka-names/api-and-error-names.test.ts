import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { API_NAMES, apiName } from '../../../src/kafka-names/api-names';
import { ERROR_NAMES, errorName, isRetriable } from '../../../src/kafka-names/error-names';

// KafkaJS's own protocol tables, so the comparison follows whatever KafkaJS version is installed.
const requireKafkajs = createRequire(import.meta.url);
const kafkajsApiKeys = requireKafkajs('kafkajs/src/protocol/requests/apiKeys') as Record<
  string,
  number
>;
const kafkajsErrorCodes = (
  requireKafkajs('kafkajs/src/protocol/error') as {
    errorCodes: { type: string; code: number; retriable: boolean }[];
  }
).errorCodes;

// Where KafkaJS still uses an older name for the same key or code.
const KAFKAJS_API_NAMES: Record<number, string> = {
  10: 'GroupCoordinator',
  43: 'ElectPreferredLeaders',
};
const KAFKAJS_ERROR_NAMES: Record<number, string> = {
  [-1]: 'UNKNOWN',
  6: 'NOT_LEADER_FOR_PARTITION',
  14: 'GROUP_LOAD_IN_PROGRESS',
  15: 'GROUP_COORDINATOR_NOT_AVAILABLE',
  16: 'NOT_COORDINATOR_FOR_GROUP',
};

describe('apiName', () => {
  it('names well-known API keys', () => {
    expect(apiName(0)).toBe('Produce');
    expect(apiName(1)).toBe('Fetch');
    expect(apiName(2)).toBe('ListOffsets');
    expect(apiName(3)).toBe('Metadata');
    expect(apiName(10)).toBe('FindCoordinator');
    expect(apiName(18)).toBe('ApiVersions');
    expect(apiName(35)).toBe('DescribeLogDirs');
    expect(apiName(43)).toBe('ElectLeaders');
    expect(apiName(55)).toBe('DescribeQuorum');
    expect(apiName(75)).toBe('DescribeTopicPartitions');
  });

  it('covers every key from 0 to the highest without gaps', () => {
    const keys = Object.keys(API_NAMES).map(Number);
    const highest = Math.max(...keys);
    expect(highest).toBeGreaterThanOrEqual(94);
    expect(keys.sort((a, b) => a - b)).toEqual([...Array(highest + 1).keys()]);
    expect(Object.isFrozen(API_NAMES)).toBe(true);
  });

  it('falls back to UnknownApi<key> for keys it does not know', () => {
    expect(apiName(10_000)).toBe('UnknownApi10000');
    expect(apiName(-1)).toBe('UnknownApi-1');
  });

  it('agrees with KafkaJS wherever both name a key', () => {
    const entries = Object.entries(kafkajsApiKeys);
    expect(entries.length).toBeGreaterThan(40);
    for (const [kafkajsName, key] of entries) {
      expect({ key, name: KAFKAJS_API_NAMES[key] ?? apiName(key) }).toEqual({
        key,
        name: kafkajsName,
      });
    }
  });
});

describe('errorName', () => {
  it('names well-known error codes', () => {
    expect(errorName(-1)).toBe('UNKNOWN_SERVER_ERROR');
    expect(errorName(0)).toBe('NONE');
    expect(errorName(3)).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(errorName(6)).toBe('NOT_LEADER_OR_FOLLOWER');
    expect(errorName(16)).toBe('NOT_COORDINATOR');
    expect(errorName(35)).toBe('UNSUPPORTED_VERSION');
    expect(errorName(56)).toBe('KAFKA_STORAGE_ERROR');
    expect(errorName(69)).toBe('GROUP_ID_NOT_FOUND');
    expect(errorName(100)).toBe('UNKNOWN_TOPIC_ID');
  });

  it('covers every code from -1 to the highest without gaps', () => {
    const codes = Object.keys(ERROR_NAMES).map(Number);
    const highest = Math.max(...codes);
    expect(highest).toBeGreaterThanOrEqual(136);
    expect(codes.sort((a, b) => a - b)).toEqual([...Array(highest + 2).keys()].map((i) => i - 1));
    expect(Object.isFrozen(ERROR_NAMES)).toBe(true);
  });

  it('falls back to KAFKA_ERROR_<code> for codes it does not know', () => {
    expect(errorName(9_999)).toBe('KAFKA_ERROR_9999');
    expect(errorName(-2)).toBe('KAFKA_ERROR_-2');
  });

  it('agrees with KafkaJS wherever both name a code', () => {
    expect(kafkajsErrorCodes.length).toBeGreaterThan(80);
    for (const { type, code } of kafkajsErrorCodes) {
      expect({ code, name: KAFKAJS_ERROR_NAMES[code] ?? errorName(code) }).toEqual({
        code,
        name: type,
      });
    }
  });
});

describe('isRetriable', () => {
  it('marks transient errors retriable and the rest not', () => {
    expect(isRetriable(3)).toBe(true);
    expect(isRetriable(6)).toBe(true);
    expect(isRetriable(15)).toBe(true);
    expect(isRetriable(0)).toBe(false);
    expect(isRetriable(-1)).toBe(false);
    expect(isRetriable(29)).toBe(false);
    expect(isRetriable(9_999)).toBe(false);
  });

  it('agrees with KafkaJS for every code KafkaJS knows', () => {
    for (const { code, retriable } of kafkajsErrorCodes) {
      expect({ code, retriable: isRetriable(code) }).toEqual({ code, retriable });
    }
  });
});
