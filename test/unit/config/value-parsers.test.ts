import { describe, expect, it } from 'vitest';
import {
  InvalidValue,
  parseBoolean,
  parseDuration,
  parseDurationOrZero,
  parseHttpUrl,
  parsePort,
  parsePositiveInteger,
  parseRatio,
  parseRegex,
} from '../../../src/config/value-parsers';

describe('value parsers', () => {
  it('parses durations with units, refusing bare numbers', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('15s')).toBe(15_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1.5s')).toBe(1_500);
    expect(parseDuration('2h')).toBe(7_200_000);
    for (const bad of ['15', '15x', 's', '', '1m 30s', '-1s']) {
      expect(() => parseDuration(bad), bad).toThrow('expected a duration such as 500ms');
    }
  });

  it('takes a bare 0 as a zero duration where zero is allowed, and nothing else bare', () => {
    expect(parseDurationOrZero(' 0 ')).toBe(0);
    expect(parseDurationOrZero('0s')).toBe(0);
    expect(parseDurationOrZero('250ms')).toBe(250);
    for (const bad of ['5', '00', '-0', '']) {
      expect(() => parseDurationOrZero(bad), bad).toThrow('expected a duration such as 500ms');
    }
  });

  it('parses ports, positive integers, ratios and booleans', () => {
    expect(parsePort('9464')).toBe(9464);
    expect(() => parsePort('0')).toThrow('expected a port number 1-65535');
    expect(parsePort('0', { allowZero: true })).toBe(0);
    expect(() => parsePort('94x')).toThrow(InvalidValue);
    expect(parsePositiveInteger(' 250 ')).toBe(250);
    for (const bad of ['0', '-5', '1.5', 'abc', '1e3']) {
      expect(() => parsePositiveInteger(bad), bad).toThrow(
        'expected a whole number greater than 0',
      );
    }
    expect(parseRatio('0.25')).toBe(0.25);
    expect(() => parseRatio('1.5')).toThrow('expected a number from 0 to 1');
    expect(() => parseRatio('half')).toThrow(InvalidValue);
    expect([parseBoolean('TRUE'), parseBoolean('1'), parseBoolean('off')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(() => parseBoolean('maybe')).toThrow('expected true or false');
  });

  it('parses regular expressions and http(s) URLs', () => {
    expect(parseRegex('orders.*').source).toBe('orders.*');
    expect(() => parseRegex('(')).toThrow(/^not a regular expression/);
    expect(parseHttpUrl('https://otel:4318').href).toBe('https://otel:4318/');
    expect(() => parseHttpUrl('otel:4318')).toThrow('expected an http:// or https:// URL');
    expect(() => parseHttpUrl('nope')).toThrow('expected an absolute URL');
  });
});
