import { describe, expect, it } from 'vitest';
import {
  committedOffset,
  formatShape,
  layoutShape,
  parseShape,
} from '../../../bench/collector/cluster-shape';

describe('parseShape', () => {
  it('reads PARTITIONSxGROUPS, tiny or large', () => {
    expect(parseShape('6000x300')).toEqual({ partitions: 6000, groups: 300 });
    expect(parseShape('20x4')).toEqual({ partitions: 20, groups: 4 });
    expect(formatShape(parseShape('10000x500'))).toBe('10000x500');
  });

  it.each(['6000', '6000x', 'x300', '6000*300', '0x4', '20x0', '-1x2', '1.5x2'])(
    'refuses %s',
    (text) => {
      expect(() => parseShape(text)).toThrow();
    },
  );
});

describe('layoutShape', () => {
  it('lays 6000x300 out as 60 topics of 100 partitions, 5 groups per topic', () => {
    const layout = layoutShape({ partitions: 6000, groups: 300 });
    expect(layout.topics).toHaveLength(60);
    expect(layout.topics.every((t) => t.partitions === 100)).toBe(true);
    expect(layout.groups).toHaveLength(300);
    expect(layout.groupPartitions).toBe(30_000);
    const perTopic = new Map<string, number>();
    for (const g of layout.groups)
      perTopic.set(g.topic.name, (perTopic.get(g.topic.name) ?? 0) + 1);
    expect([...perTopic.values()].every((n) => n === 5)).toBe(true);
    expect(layout.topics[0]?.name).toBe('bench-collector-6000x300-t00');
    expect(layout.groups[299]?.name).toBe('bench-collector-6000x300-g299');
  });

  it('lays 10000x500 out as 100 topics and 50,000 group-partitions', () => {
    const layout = layoutShape({ partitions: 10_000, groups: 500 });
    expect(layout.topics).toHaveLength(100);
    expect(layout.groupPartitions).toBe(50_000);
  });

  it('keeps every partition when they do not divide evenly', () => {
    const layout = layoutShape({ partitions: 7, groups: 11 });
    expect(layout.topics.reduce((sum, t) => sum + t.partitions, 0)).toBe(7);
    expect(layout.topics.map((t) => t.partitions)).toEqual([3, 2, 2]);
    expect(layout.groups).toHaveLength(11);
  });

  it('puts a tiny shape on one topic', () => {
    const layout = layoutShape({ partitions: 20, groups: 4 });
    expect(layout.topics).toEqual([{ name: 'bench-collector-20x4-t0', partitions: 20 }]);
    expect(layout.groupPartitions).toBe(80);
  });
});

describe('committedOffset', () => {
  it('is always behind the log end, by 1 to the records per partition', () => {
    const messages = 4;
    const lags = new Set<number>();
    for (let group = 0; group < 10; group++) {
      for (let partition = 0; partition < 10; partition++) {
        const lag = messages - committedOffset(group, partition, messages);
        expect(lag).toBeGreaterThanOrEqual(1);
        expect(lag).toBeLessThanOrEqual(messages);
        lags.add(lag);
      }
    }
    expect(lags.size).toBe(messages);
  });
});
