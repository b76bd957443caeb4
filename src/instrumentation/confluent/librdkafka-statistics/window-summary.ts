import { count, isJsonObject } from './statistics-values';

/**
 * One of librdkafka's rolling-window statistics (a broker's `rtt`, `int_latency`,
 * `outbuf_latency` or `throttle`): the values sampled since the previous statistics document,
 * converted to seconds. librdkafka resets the window at every emit, so each summary describes
 * one `statistics.interval.ms`, not the client's lifetime.
 *
 * The percentiles come from an HDR histogram and are rounded to its buckets, so a percentile can
 * exceed `maxSeconds` by the bucket width (a real document has p50 507903 µs over max 506136 µs).
 * They are passed on as librdkafka computed them.
 */
export interface WindowSummary {
  /** How many values the window sampled (librdkafka's `cnt`); always at least 1. */
  readonly sampleCount: number;
  readonly minSeconds: number;
  readonly maxSeconds: number;
  readonly avgSeconds: number;
  readonly p50Seconds: number;
  readonly p95Seconds: number;
  readonly p99Seconds: number;
}

/**
 * Reads a window whose values are in librdkafka's `toSeconds` unit. Absent when the window
 * sampled nothing: librdkafka then prints 0 for every value, and a 0 s round trip would be a
 * reading of something that did not happen. Absent too when any value is unreadable: a window
 * is one measurement, and half of one would pair numbers that do not belong together.
 */
export function readWindowSummary(
  value: unknown,
  toSeconds: (raw: unknown) => number | undefined,
): WindowSummary | undefined {
  if (!isJsonObject(value)) return undefined;
  const sampleCount = count(value.cnt);
  if (sampleCount === undefined || sampleCount === 0) return undefined;
  const minSeconds = toSeconds(value.min);
  const maxSeconds = toSeconds(value.max);
  const avgSeconds = toSeconds(value.avg);
  const p50Seconds = toSeconds(value.p50);
  const p95Seconds = toSeconds(value.p95);
  const p99Seconds = toSeconds(value.p99);
  if (
    minSeconds === undefined ||
    maxSeconds === undefined ||
    avgSeconds === undefined ||
    p50Seconds === undefined ||
    p95Seconds === undefined ||
    p99Seconds === undefined
  ) {
    return undefined;
  }
  return { sampleCount, minSeconds, maxSeconds, avgSeconds, p50Seconds, p95Seconds, p99Seconds };
}
