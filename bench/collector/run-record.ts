/** What one measured process of the collector bench yields, whichever tool it runs. */
import type { RoundSlot } from '../round-schedule';

/** `kafka-otel` (working tree), `kafka-otel@REF` (--git-ref), `kafkametrics` (the Collector). */
export type CollectorVariant = string;

export const KAFKA_OTEL_VARIANT = 'kafka-otel';
export const KAFKAMETRICS_VARIANT = 'kafkametrics';

export interface CollectorRunResult {
  /** Duration of each timed snapshot (kafka-otel) or receiver scrape (kafkametrics), in ms. */
  snapshotMs: number[];
  /** Wall time of each timed `GET /metrics` (kafka-otel only; empty for kafkametrics). */
  httpMs: number[];
  /** Series exported, per timed scrape (kafka-otel) or once at the end (kafkametrics). */
  series: number[];
  /** Response size of each timed scrape (kafka-otel only). */
  bytes: number[];
  /** VmHWM at the end of the run. */
  peakRssBytes: number;
  /** VmRSS right after the timed scrapes. */
  steadyRssBytes: number;
  /** CPU seconds the process used over its whole life. */
  cpuSeconds: number | undefined;
  /** Data points the receiver reported per timed scrape (kafkametrics only). */
  points: number[];
  /** Metric points the receiver's scrapers reported as failed, summed (kafkametrics only). */
  erroredPoints: number;
  /** What the run used, e.g. the --interval value (kafka-otel) or the scrape cycle count. */
  note: string;
}

export interface CollectorRunRecord extends RoundSlot<CollectorVariant> {
  result: CollectorRunResult;
  /** Cores other processes used during the run (see machine-load.ts); undefined if unknown. */
  otherCores: number | undefined;
}
