import { describe, expect, it } from 'vitest';
import type { RunResult, Scenario, Variant } from '../../../bench/client/run-contract';
import { summarizeScenario, type RunRecord } from '../../../bench/client/statistics';

/** A run moving 1,000 messages in `windowMs`, with `cpuMicros` of CPU and `heapBytes` of heap. */
function record(
  scenario: Scenario,
  variant: Variant,
  round: number,
  figures: { windowMs: number; cpuMicros: number; heapBytes: number },
): RunRecord {
  const result: RunResult = {
    scenario,
    variant,
    messages: 1_000,
    windowMs: figures.windowMs,
    windowCpuMicros: figures.cpuMicros,
    heapUsedAfterGcBytes: figures.heapBytes,
    peakRssBytes: 100,
    lifetimeCpuMicros: 0,
    spansExported: undefined,
    messageCounterTotal: undefined,
  };
  return { scenario, variant, round, position: 1, result, otherCores: undefined };
}

describe('client bench statistics', () => {
  it('compares Confluent variants with confluent-bare of the same round, KafkaJS ones with bare', () => {
    const records = [
      // Round 1: bare KafkaJS is fast, bare Confluent half as fast.
      record('produce', 'bare', 1, { windowMs: 100, cpuMicros: 10_000, heapBytes: 1_000 }),
      record('produce', 'confluent-bare', 1, {
        windowMs: 200,
        cpuMicros: 20_000,
        heapBytes: 2_000,
      }),
      record('produce', 'confluent-metrics', 1, {
        windowMs: 250,
        cpuMicros: 25_000,
        heapBytes: 2_500,
      }),
      record('produce', 'metrics', 1, { windowMs: 125, cpuMicros: 12_000, heapBytes: 1_100 }),
      // Round 2: everything twice as slow; same-round ratios are unchanged.
      record('produce', 'bare', 2, { windowMs: 200, cpuMicros: 10_000, heapBytes: 1_000 }),
      record('produce', 'confluent-bare', 2, {
        windowMs: 400,
        cpuMicros: 20_000,
        heapBytes: 2_000,
      }),
      record('produce', 'confluent-metrics', 2, {
        windowMs: 500,
        cpuMicros: 27_000,
        heapBytes: 2_700,
      }),
      record('produce', 'metrics', 2, { windowMs: 250, cpuMicros: 14_000, heapBytes: 1_300 }),
    ];
    const [confluentBare, confluentMetrics] = summarizeScenario(
      'produce',
      ['confluent-bare', 'confluent-metrics'],
      records,
    );
    expect(confluentBare).toMatchObject({
      variant: 'confluent-bare',
      ratioToBare: undefined,
      extraCpuMicrosPerMessage: undefined,
      heapDeltaToBareBytes: undefined,
      ratioToContrib: undefined,
    });
    // 200/250 in both rounds; CPU +5 and +7 µs/msg (median +6); heap +500 and +700 (median +600).
    expect(confluentMetrics).toMatchObject({
      variant: 'confluent-metrics',
      ratioToContrib: undefined,
    });
    expect(confluentMetrics?.ratioToBare).toBeCloseTo(0.8, 10);
    expect(confluentMetrics?.extraCpuMicrosPerMessage).toBeCloseTo(6, 10);
    expect(confluentMetrics?.heapDeltaToBareBytes).toBe(600);

    const [metrics] = summarizeScenario('produce', ['metrics'], records);
    // 100/125 and 200/250: against KafkaJS's bare, never against confluent-bare.
    expect(metrics?.ratioToBare).toBeCloseTo(0.8, 10);
    expect(metrics?.extraCpuMicrosPerMessage).toBeCloseTo(3, 10);
    expect(metrics?.heapDeltaToBareBytes).toBe(200);
  });

  it('leaves the ratios empty when the run had no confluent-bare', () => {
    const records = [
      record('eachBatch', 'confluent-traces', 1, { windowMs: 100, cpuMicros: 1, heapBytes: 1 }),
      record('eachBatch', 'bare', 1, { windowMs: 100, cpuMicros: 1, heapBytes: 1 }),
    ];
    const [traces] = summarizeScenario('eachBatch', ['confluent-traces'], records);
    expect(traces?.ratioToBare).toBeUndefined();
    expect(traces?.extraCpuMicrosPerMessage).toBeUndefined();
  });
});
