import { describe, expect, it } from 'vitest';
import { planRounds, variantOrder } from '../../../bench/round-schedule';

describe('round schedule', () => {
  it('rotates the order by one place per round', () => {
    expect(variantOrder(['a', 'b', 'c'], 1)).toEqual(['a', 'b', 'c']);
    expect(variantOrder(['a', 'b', 'c'], 2)).toEqual(['b', 'c', 'a']);
    expect(variantOrder(['a', 'b', 'c'], 4)).toEqual(['a', 'b', 'c']);
  });

  it('plans every variant once per round, rounds one after the other', () => {
    expect(planRounds(['x', 'y'], 2)).toEqual([
      { variant: 'x', round: 1, position: 1 },
      { variant: 'y', round: 1, position: 2 },
      { variant: 'y', round: 2, position: 1 },
      { variant: 'x', round: 2, position: 2 },
    ]);
  });
});
