import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { IHeaders } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { headerGetter, headerSetter } from '../../../src/instrumentation/carrier';

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
