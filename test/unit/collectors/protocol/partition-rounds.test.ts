import { describe, expect, it } from 'vitest';
import { splitIntoRounds } from '../../../../src/collectors/protocol/partition-rounds';

describe('splitIntoRounds', () => {
  it('keeps lookups of distinct partitions in one request', () => {
    const topics = [
      {
        topic: 'a',
        partitions: [
          { partition: 0, timestamp: -1 },
          { partition: 1, timestamp: -1 },
        ],
      },
      { topic: 'b', partitions: [{ partition: 0, timestamp: -2 }] },
    ];
    expect(splitIntoRounds(topics)).toEqual([topics]);
  });

  it('puts the n-th lookup of a partition into the n-th request', () => {
    const rounds = splitIntoRounds([
      {
        topic: 'a',
        partitions: [
          { partition: 0, timestamp: -2 },
          { partition: 0, timestamp: -1 },
          { partition: 1, timestamp: -2 },
        ],
      },
      { topic: 'b', partitions: [{ partition: 0, timestamp: -2 }] },
      // The same topic twice in the input counts as one topic.
      { topic: 'a', partitions: [{ partition: 1, timestamp: -1 }] },
    ]);
    expect(rounds).toEqual([
      [
        {
          topic: 'a',
          partitions: [
            { partition: 0, timestamp: -2 },
            { partition: 1, timestamp: -2 },
          ],
        },
        { topic: 'b', partitions: [{ partition: 0, timestamp: -2 }] },
      ],
      [
        {
          topic: 'a',
          partitions: [
            { partition: 0, timestamp: -1 },
            { partition: 1, timestamp: -1 },
          ],
        },
      ],
    ]);
  });

  it('asks nothing for nothing', () => {
    expect(splitIntoRounds([])).toEqual([]);
    expect(splitIntoRounds([{ topic: 'a', partitions: [] }])).toEqual([]);
  });
});
