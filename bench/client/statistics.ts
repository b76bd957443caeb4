/**
 * From raw runs to the report's figures. Comparisons are made within a round (a variant against
 * the baseline that ran minutes apart from it, in the same machine state) and only then reduced
 * to a median over the rounds, which a single disturbed round cannot move much.
 */
import { median } from '../statistics';
import type { PlannedRun } from './run-plan';
import { baselineOf, type RunResult, type Scenario, type Variant } from './run-contract';

/** One finished run with what the bench observed around it. */
export interface RunRecord extends PlannedRun {
  result: RunResult;
  /** Cores other processes used during the run (see machine-load.ts); undefined if unknown. */
  otherCores: number | undefined;
}

export function throughput(result: RunResult): number {
  return result.messages / (result.windowMs / 1000);
}

export function cpuMicrosPerMessage(result: RunResult): number {
  return result.windowCpuMicros / result.messages;
}

export interface VariantSummary {
  scenario: Scenario;
  variant: Variant;
  runs: number;
  throughputMedian: number;
  throughputMin: number;
  throughputMax: number;
  /**
   * Median over rounds of throughput / the bare throughput in the same round: `bare` for KafkaJS
   * variants, `confluent-bare` for Confluent ones (see baselineOf).
   */
  ratioToBare: number | undefined;
  /** Median over rounds of throughput / contrib's throughput in the same round. */
  ratioToContrib: number | undefined;
  cpuMicrosPerMessage: number;
  /** Median over rounds of (CPU per message - the bare one's) in the same round. */
  extraCpuMicrosPerMessage: number | undefined;
  heapAfterGcMedianBytes: number;
  /** Median over rounds of (heap after GC - the bare one's) in the same round. */
  heapDeltaToBareBytes: number | undefined;
  peakRssMedianBytes: number;
}

/** Median over the rounds where both runs exist of `compare(run, other)`. */
function perRound(
  runs: RunRecord[],
  others: RunRecord[],
  compare: (run: RunResult, other: RunResult) => number,
): number | undefined {
  const values: number[] = [];
  for (const run of runs) {
    const other = others.find((o) => o.round === run.round);
    if (other) values.push(compare(run.result, other.result));
  }
  return median(values);
}

function summarizeVariant(
  scenario: Scenario,
  variant: Variant,
  records: RunRecord[],
): VariantSummary | undefined {
  const runs = records.filter((r) => r.scenario === scenario && r.variant === variant);
  if (runs.length === 0) return undefined;
  const baseline = baselineOf(variant);
  const isBaseline = variant === baseline;
  const bare = records.filter((r) => r.scenario === scenario && r.variant === baseline);
  const contrib = records.filter((r) => r.scenario === scenario && r.variant === 'contrib');
  const rates = runs.map((r) => throughput(r.result));
  const definite = (value: number | undefined): number => value ?? Number.NaN;
  return {
    scenario,
    variant,
    runs: runs.length,
    throughputMedian: definite(median(rates)),
    throughputMin: Math.min(...rates),
    throughputMax: Math.max(...rates),
    ratioToBare: isBaseline
      ? undefined
      : perRound(runs, bare, (a, b) => throughput(a) / throughput(b)),
    ratioToContrib:
      variant === 'traces'
        ? perRound(runs, contrib, (a, b) => throughput(a) / throughput(b))
        : undefined,
    cpuMicrosPerMessage: definite(median(runs.map((r) => cpuMicrosPerMessage(r.result)))),
    extraCpuMicrosPerMessage: isBaseline
      ? undefined
      : perRound(runs, bare, (a, b) => cpuMicrosPerMessage(a) - cpuMicrosPerMessage(b)),
    heapAfterGcMedianBytes: definite(median(runs.map((r) => r.result.heapUsedAfterGcBytes))),
    heapDeltaToBareBytes: isBaseline
      ? undefined
      : perRound(runs, bare, (a, b) => a.heapUsedAfterGcBytes - b.heapUsedAfterGcBytes),
    peakRssMedianBytes: definite(median(runs.map((r) => r.result.peakRssBytes))),
  };
}

/** One summary per variant that ran in `scenario`, in the order of `variants`. */
export function summarizeScenario(
  scenario: Scenario,
  variants: readonly Variant[],
  records: RunRecord[],
): VariantSummary[] {
  return variants
    .map((variant) => summarizeVariant(scenario, variant, records))
    .filter((summary): summary is VariantSummary => summary !== undefined);
}
