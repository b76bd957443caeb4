import { describe, expect, it } from 'vitest';
import {
  formatBrokerAddress,
  parseBrokerAddress,
  parseBrokerList,
} from '../../../src/config/broker-address';
import { parseBrokerAddress as parseCollectorBrokerAddress } from '../../../src/collectors/protocol/broker-address';
import { InvalidValue } from '../../../src/config/value-parsers';

describe('parseBrokerAddress', () => {
  it('parses host:port, IPv4 and bracketed IPv6, ignoring blanks around the address', () => {
    expect(parseBrokerAddress('kafka-1.example:9092')).toEqual({
      host: 'kafka-1.example',
      port: 9092,
    });
    expect(parseBrokerAddress('1.2.3.4:9092')).toEqual({ host: '1.2.3.4', port: 9092 });
    expect(parseBrokerAddress(' [::1]:9092 ')).toEqual({ host: '::1', port: 9092 });
    expect(parseBrokerAddress('[fe80::1:2]:1')).toEqual({ host: 'fe80::1:2', port: 1 });
    expect(parseBrokerAddress('kafka_internal:65535')).toEqual({
      host: 'kafka_internal',
      port: 65535,
    });
  });

  it.each([
    ['kafka', "'kafka' is not host:port (port 1-65535)"],
    ['kafka:', "'kafka:' is not host:port (port 1-65535)"],
    ['kafka:0', "'kafka:0' is not host:port (port 1-65535)"],
    ['kafka:65536', "'kafka:65536' is not host:port (port 1-65535)"],
    ['kafka:0x10', "'kafka:0x10' is not host:port (port 1-65535)"],
    ['kafka:-1', "'kafka:-1' is not host:port (port 1-65535)"],
    [':9092', "':9092' is not host:port (port 1-65535): the host is empty"],
    ['[]:9092', "'[]:9092' is not host:port (port 1-65535): the host is empty"],
    [
      '::1:9092',
      "'::1:9092' is not host:port (port 1-65535): write an IPv6 address in brackets, as in [::1]:9092",
    ],
    [
      'fe80::1:9092',
      "'fe80::1:9092' is not host:port (port 1-65535): write an IPv6 address in brackets, as in [::1]:9092",
    ],
    ['[::1]', "'[::1]' is not host:port (port 1-65535)"],
    ['[::1:9092', "'[::1:9092' is not host:port (port 1-65535)"],
    [
      '[kafka]:9092',
      "'[kafka]:9092' is not host:port (port 1-65535): only an IPv6 address goes in brackets",
    ],
    ['a b:1', "'a b:1' is not host:port (port 1-65535): no blanks inside an address"],
    ['kafka: 9092', "'kafka: 9092' is not host:port (port 1-65535): no blanks inside an address"],
    [
      'kafka/1:9092',
      "'kafka/1:9092' is not host:port (port 1-65535): a host name holds only letters, digits, '.', '-' and '_'",
    ],
    ['', "'' is not host:port (port 1-65535)"],
  ])('refuses %j with a message saying why', (text, message) => {
    expect(() => parseBrokerAddress(text)).toThrow(new InvalidValue(message));
  });

  it('formats addresses back, bracketing IPv6', () => {
    expect(formatBrokerAddress(parseBrokerAddress('kafka:9092'))).toBe('kafka:9092');
    expect(formatBrokerAddress(parseBrokerAddress('[::1]:9092'))).toBe('[::1]:9092');
  });
});

describe('parseBrokerList', () => {
  it('parses comma-separated addresses, trimming blanks and dropping empty entries', () => {
    expect(parseBrokerList(' a:1 , b.example:9092,[::1]:9093,')).toEqual([
      'a:1',
      'b.example:9092',
      '[::1]:9093',
    ]);
  });

  it('refuses an empty list and any bad address, naming it', () => {
    expect(() => parseBrokerList(' , ')).toThrow('expected host:port[,host:port...]');
    for (const bad of ['', 'a', 'a:', 'a:0', 'a:65536', ':9092', 'a b:1', '::1:9092']) {
      expect(() => parseBrokerList(bad), bad).toThrow(InvalidValue);
    }
    expect(() => parseBrokerList('k:1,::1:9092')).toThrow(
      "'::1:9092' is not host:port (port 1-65535): write an IPv6 address in brackets",
    );
  });
});

describe("the collector's broker address parser", () => {
  it('follows the same rules, throwing a TypeError', () => {
    expect(parseCollectorBrokerAddress('[::1]:9092')).toEqual({ host: '::1', port: 9092 });
    expect(() => parseCollectorBrokerAddress('::1:9092')).toThrow(
      new TypeError(
        "invalid broker address: '::1:9092' is not host:port (port 1-65535): write an IPv6 address in brackets, as in [::1]:9092",
      ),
    );
  });
});
