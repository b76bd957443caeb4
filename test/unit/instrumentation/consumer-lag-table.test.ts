import { describe, expect, it } from 'vitest';
import { ConsumerLagTable } from '../../../src/instrumentation/recorder/consumer-lag-table';

describe('ConsumerLagTable', () => {
  const attributes = (partition: number) => ({ partition });

  it('keeps the last lag per consumer and partition, clamped at zero', () => {
    const table = new ConsumerLagTable();
    const consumer = {};
    table.set(consumer, 't', 0, 10, attributes(0));
    table.set(consumer, 't', 0, 4, attributes(0));
    table.set(consumer, 't', 1, -3, attributes(1));
    expect([...table.points()].map((p) => p.value)).toEqual([4, 0]);
  });

  it('drops the series of revoked partitions and of forgotten consumers', () => {
    const table = new ConsumerLagTable();
    const a = {};
    const b = {};
    table.set(a, 't', 0, 1, attributes(0));
    table.set(a, 't', 1, 2, attributes(1));
    table.set(b, 't', 2, 3, attributes(2));
    table.retainAssignment(a, { t: [1] });
    expect([...table.points()].map((p) => p.attributes)).toEqual([attributes(1), attributes(2)]);
    table.forget(b);
    expect([...table.points()].map((p) => p.value)).toEqual([2]);
  });
});
