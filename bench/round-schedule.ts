/** One slot of a round: which variant runs, in which round, at which position. */
export interface RoundSlot<V> {
  variant: V;
  /** 1-based. */
  round: number;
  /** 1-based position of the variant within its round. */
  position: number;
}

/**
 * The variants of round `round` (1-based), rotated by one place per round, so that over the
 * rounds each variant runs first, second, ... equally often and no variant always inherits a
 * warm page cache, a broker busy compacting, or a machine just left alone.
 */
export function variantOrder<V>(variants: readonly V[], round: number): V[] {
  const shift = (round - 1) % variants.length;
  return [...variants.slice(shift), ...variants.slice(0, shift)];
}

/**
 * Every slot of `rounds` rounds, in execution order: round after round, each round running
 * every variant once. Variants are thus interleaved in time, and a slow phase of the machine
 * hits all of them instead of one.
 */
export function planRounds<V>(variants: readonly V[], rounds: number): RoundSlot<V>[] {
  const plan: RoundSlot<V>[] = [];
  for (let round = 1; round <= rounds; round++) {
    variantOrder(variants, round).forEach((variant, index) =>
      plan.push({ variant, round, position: index + 1 }),
    );
  }
  return plan;
}
