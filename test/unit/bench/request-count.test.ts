import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { requestDelta } from '../../../bench/collector/request-count';

interface Tally {
  record(api: unknown, broker: unknown): void;
  snapshot(): Record<string, { total: number; byBroker: Record<string, number> }>;
}
const hook = createRequire(__filename)('../../../bench/collector/request-count-hook.cjs') as {
  createRequestTally(): Tally;
  wrapChokePoint(target: object, method: string, tally: Tally): boolean;
};

describe('request-count-hook', () => {
  it('counts calls by API and broker, and leaves the call itself alone', async () => {
    class Connection {
      constructor(readonly address: string) {}
      send(call: { spec: { name: string } }, extra: number): Promise<string> {
        return Promise.resolve(`${this.address}:${call.spec.name}:${extra}`);
      }
    }
    const tally = hook.createRequestTally();
    expect(hook.wrapChokePoint(Connection.prototype, 'send', tally)).toBe(true);
    const a = new Connection('b1:9092');
    const b = new Connection('b2:9092');
    await expect(a.send({ spec: { name: 'Metadata' } }, 7)).resolves.toBe('b1:9092:Metadata:7');
    await a.send({ spec: { name: 'OffsetFetch' } }, 0);
    await b.send({ spec: { name: 'OffsetFetch' } }, 0);
    expect(tally.snapshot()).toEqual({
      Metadata: { total: 1, byBroker: { 'b1:9092': 1 } },
      OffsetFetch: { total: 2, byBroker: { 'b1:9092': 1, 'b2:9092': 1 } },
    });
  });

  it('reports a missing method instead of wrapping', () => {
    expect(hook.wrapChokePoint({}, 'send', hook.createRequestTally())).toBe(false);
  });
});

describe('requestDelta', () => {
  it('is the requests of one snapshot, by API, with the brokers they went to', () => {
    const before = {
      Metadata: { total: 2, byBroker: { b1: 2 } },
      OffsetFetch: { total: 3, byBroker: { b1: 2, b2: 1 } },
    };
    const after = {
      Metadata: { total: 3, byBroker: { b1: 3 } },
      OffsetFetch: { total: 6, byBroker: { b1: 3, b2: 2, b3: 1 } },
      ListGroups: { total: 0, byBroker: {} },
    };
    expect(requestDelta(before, after)).toEqual({
      perApi: { Metadata: 1, OffsetFetch: 3 },
      brokersPerApi: { Metadata: 1, OffsetFetch: 3 },
      total: 4,
    });
  });
});
