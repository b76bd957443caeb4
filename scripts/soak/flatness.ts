/**
 * The soak's verdict on one curve (heap, series): flat or growing.
 *
 * The rule, on the samples after the warm-up minute:
 * - baseline: their median;
 * - growth: the least-squares slope over the last half of them, times the last half's length;
 * - end: the median of the last three samples;
 * - tolerance: a share of the baseline, at least an absolute floor.
 * The curve is growing when the growth AND the end's excess over the baseline both exceed the
 * tolerance. Both, because each alone misleads: a heap read between collections saws up and
 * down, so the last half can end on a rising edge (a slope without growth), and one high
 * reading at the end is not a trend; a leak raises both. A linear leak of L per minute over a
 * post-warm-up window of W minutes gives growth and excess of about L*W/2 each, so a ten-minute
 * run flags a leak from about tolerance / 4.5 per minute.
 */

export interface Point {
  /** Seconds since the soak started. */
  t: number;
  value: number;
}

export interface FlatnessRule {
  /** Tolerance as a share of the baseline. */
  relative: number;
  /** The tolerance's floor, in the curve's unit. */
  absolute: number;
}

export interface Judgement {
  verdict: 'flat' | 'growing' | 'too short';
  baseline: number;
  end: number;
  /** Least-squares slope over the last half, per minute. */
  slopePerMinute: number;
  /** The slope times the last half's length. */
  growth: number;
  tolerance: number;
  points: number;
}

/** Fewer post-warm-up samples than this cannot show a trend. */
const MIN_POINTS = 6;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Least-squares slope of value over t (value per second); 0 for fewer than two points. */
export function slope(points: Point[]): number {
  if (points.length < 2) return 0;
  const meanT = points.reduce((sum, p) => sum + p.t, 0) / points.length;
  const meanV = points.reduce((sum, p) => sum + p.value, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.t - meanT) * (p.value - meanV);
    variance += (p.t - meanT) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

/** Judges the post-warm-up points of one curve, in time order. */
export function judgeFlatness(points: Point[], rule: FlatnessRule): Judgement {
  const values = points.map((p) => p.value);
  const baseline = values.length > 0 ? median(values) : 0;
  const end = values.length > 0 ? median(values.slice(-3)) : 0;
  const tolerance = Math.max(rule.relative * baseline, rule.absolute);
  if (points.length < MIN_POINTS) {
    return {
      verdict: 'too short',
      baseline,
      end,
      slopePerMinute: 0,
      growth: 0,
      tolerance,
      points: points.length,
    };
  }
  const first = points[0]!.t;
  const last = points[points.length - 1]!.t;
  const lastHalf = points.filter((p) => p.t >= first + (last - first) / 2);
  const perSecond = slope(lastHalf);
  const growth = perSecond * (last - lastHalf[0]!.t);
  const growing = growth > tolerance && end - baseline > tolerance;
  return {
    verdict: growing ? 'growing' : 'flat',
    baseline,
    end,
    slopePerMinute: perSecond * 60,
    growth,
    tolerance,
    points: points.length,
  };
}
