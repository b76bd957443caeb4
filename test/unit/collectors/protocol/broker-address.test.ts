import { describe, expect, it } from 'vitest';
import {
  formatBrokerAddress,
  parseBrokerAddress,
} from '../../../../src/collectors/protocol/broker-address';

describe('broker addresses', () => {
  it('parses host:port, IPv4 and bracketed IPv6', () => {
    expect(parseBrokerAddress('kafka-1.example:9092')).toEqual({
      host: 'kafka-1.example',
      port: 9092,
    });
    expect(parseBrokerAddress(' 127.0.0.1:59092 ')).toEqual({ host: '127.0.0.1', port: 59092 });
    expect(parseBrokerAddress('[::1]:9093')).toEqual({ host: '::1', port: 9093 });
  });

  it('rejects anything else', () => {
    for (const bad of ['kafka', 'kafka:', ':9092', 'kafka:0', 'kafka:65536', 'kafka:90x', '']) {
      expect(() => parseBrokerAddress(bad), bad).toThrow(TypeError);
    }
  });

  it('formats addresses back, bracketing IPv6', () => {
    expect(formatBrokerAddress({ host: 'kafka', port: 9092 })).toBe('kafka:9092');
    expect(formatBrokerAddress({ host: '::1', port: 9092 })).toBe('[::1]:9092');
  });
});
