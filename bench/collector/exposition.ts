/**
 * Reading a Prometheus text exposition (what `GET /metrics` answers): how many series it holds,
 * and the totals of one histogram, from which the collector's own snapshot durations follow.
 */

/** Series in the exposition: every sample line, i.e. every line that is neither empty nor a comment. */
export function countSeries(text: string): number {
  let series = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) series++;
  }
  return series;
}

export interface HistogramTotals {
  count: number;
  sum: number;
}

/**
 * `_count` and `_sum` of histogram `name`, added over its label sets (a unit suffix such as
 * `_seconds` after the name is accepted); undefined when the exposition has no such histogram.
 */
export function histogramTotals(text: string, name: string): HistogramTotals | undefined {
  const pattern = new RegExp(`^${name}(?:_seconds)?_(count|sum)(?:\\{[^}]*\\})?\\s+(\\S+)`);
  let found = false;
  let count = 0;
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = pattern.exec(line);
    if (!match) continue;
    found = true;
    const value = Number(match[2]);
    if (match[1] === 'count') count += value;
    else sum += value;
  }
  return found ? { count, sum } : undefined;
}

/**
 * The duration of each snapshot, from the histogram totals seen along a series of scrapes: a
 * snapshot's duration is the rise of `sum` between the exposition that counted it and the one
 * that counted the snapshot before it. Returned by snapshot number (`count`), for the numbers
 * `wanted`; a snapshot whose neighbour was never seen is left out.
 */
export function snapshotDurations(
  seen: readonly HistogramTotals[],
  wanted: readonly number[],
): Map<number, number> {
  const sumAt = new Map<number, number>([[0, 0]]);
  for (const totals of seen) sumAt.set(totals.count, totals.sum);
  const durations = new Map<number, number>();
  for (const n of wanted) {
    const now = sumAt.get(n);
    const before = sumAt.get(n - 1);
    if (now !== undefined && before !== undefined) durations.set(n, now - before);
  }
  return durations;
}
