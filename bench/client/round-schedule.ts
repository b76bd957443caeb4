import type { Scenario, Variant } from './run-contract';

/** One run of the plan: which scenario and variant, in which round, at which position. */
export interface PlannedRun {
  scenario: Scenario;
  variant: Variant;
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
export function variantOrder(variants: readonly Variant[], round: number): Variant[] {
  const shift = (round - 1) % variants.length;
  return [...variants.slice(shift), ...variants.slice(0, shift)];
}

/**
 * Every run, in execution order: scenario after scenario; within a scenario, round after
 * round, each round running every variant once. Variants are thus interleaved in time, and a
 * slow phase of the machine hits all of them instead of one.
 */
export function planRuns(
  scenarios: readonly Scenario[],
  variants: readonly Variant[],
  rounds: number,
): PlannedRun[] {
  const plan: PlannedRun[] = [];
  for (const scenario of scenarios) {
    for (let round = 1; round <= rounds; round++) {
      variantOrder(variants, round).forEach((variant, index) =>
        plan.push({ scenario, variant, round, position: index + 1 }),
      );
    }
  }
  return plan;
}
