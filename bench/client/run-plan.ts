import { planRounds, type RoundSlot } from '../round-schedule';
import type { Scenario, Variant } from './run-contract';

/** One run of the client bench's plan: a round slot of one scenario. */
export interface PlannedRun extends RoundSlot<Variant> {
  scenario: Scenario;
}

/** Every run, in execution order: scenario after scenario, each with its interleaved rounds. */
export function planRuns(
  scenarios: readonly Scenario[],
  variants: readonly Variant[],
  rounds: number,
): PlannedRun[] {
  return scenarios.flatMap((scenario) =>
    planRounds(variants, rounds).map((slot) => ({ scenario, ...slot })),
  );
}
