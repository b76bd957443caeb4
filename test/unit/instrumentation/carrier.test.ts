import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { IHeaders } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { headerGetter, headersWith, headerSetter } from '../../../src/instrumentation/carrier';

const propagator = new W3CTraceContextPropagator();
const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

const extract = (headers: IHeaders | undefined) =>
  trace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, headerGetter));

describe('header carrier', () => {
  it('reads traceparent from Buffer, string and array values', () => {
    for (const value of [Buffer.from(traceparent), traceparent, [Buffer.from(traceparent), 'x']]) {
      expect(extract({ traceparent: value })?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    }
  });

  it('ignores malformed and absent values without throwing', () => {
    const bad = [
      { traceparent: 'not-a-traceparent' },
      { traceparent: [] as string[] },
      { traceparent: 42 as unknown as string },
      {},
      undefined,
    ];
    for (const headers of bad) expect(extract(headers as IHeaders | undefined)).toBeUndefined();
  });

  it('writes into the given header object', () => {
    const headers: IHeaders = { existing: 'kept' };
    const spanContext = extract({ traceparent })!;
    propagator.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), headers, headerSetter);
    expect(headers).toEqual({ existing: 'kept', traceparent });
    expect(headerGetter.keys(headers)).toEqual(['existing', 'traceparent']);
  });
});

describe('headersWith: the header object a message is sent with', () => {
  const written = { traceparent };

  it('is what the propagator wrote when the message had no headers', () => {
    expect(headersWith(undefined, written, true)).toBe(written);
    const shared = headersWith(undefined, written, false);
    expect(shared).toEqual(written);
    expect(shared).not.toBe(written);
  });

  it('copies the application headers and adds ours, leaving the application object alone', () => {
    const own = Object.freeze({ a: '1', b: Buffer.from('2'), r: ['x', Buffer.from('y')] });
    const merged = headersWith(own, written, true);
    expect(merged).toEqual({ ...own, traceparent });
    expect(own).toEqual({ a: '1', b: Buffer.from('2'), r: ['x', Buffer.from('y')] });
  });

  it('reads header objects as encoders do: own enumerable keys only, arrays by index', () => {
    const inherited = Object.assign(Object.create({ up: '1' }) as object, { own: '2' });
    Object.defineProperty(inherited, 'hidden', { value: '3', enumerable: false });
    expect(headersWith(inherited, written, false)).toEqual({ own: '2', traceparent });
    expect(headersWith(['x', 'y'], written, false)).toEqual({ 0: 'x', 1: 'y', traceparent });
    expect(headersWith(new Map([['a', '1']]), written, false)).toEqual({ traceparent });
  });

  it('replaces a propagation header the application forwarded when it is a valid header', () => {
    for (const value of ['stale', Buffer.from('stale'), ['stale', Buffer.from('older')], []]) {
      expect(headersWith({ traceparent: value, other: 'kept' }, written, false)).toEqual({
        traceparent,
        other: 'kept',
      });
    }
  });

  it('leaves the message alone when KafkaJS would refuse the header it replaces', () => {
    const refused = [5, null, undefined, { a: 'b' }, ['ok', 5], true];
    for (const [index, value] of refused.entries()) {
      expect(headersWith({ traceparent: value }, written, false), `#${index}`).toBeUndefined();
    }
  });

  it('leaves the message alone when its headers are not a header object', () => {
    for (const own of [null, false, 0, '', 'ab', 7, true, Symbol('h'), () => undefined]) {
      expect(headersWith(own, written, true), String(own)).toBeUndefined();
    }
  });
});
