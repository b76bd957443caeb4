/**
 * librdkafka's totals of one client, kept from going backwards. librdkafka counts from 0 again
 * when its handle is recreated, while the client object (the key the totals are kept under) may
 * live on; an observable counter that went down would read as a counter reset to a backend, and
 * a delta handed to a synchronous counter would be negative. So a total that drops is taken as a
 * restart: what was counted before it is carried as an offset, and the new count adds to it.
 */
export class MonotonicTotals {
  private readonly series = new Map<string, { last: number; offset: number }>();

  /** The total to report for `key` when librdkafka now says `raw`. */
  total(key: string, raw: number): number {
    const seen = this.series.get(key);
    if (seen === undefined) {
      this.series.set(key, { last: raw, offset: 0 });
      return raw;
    }
    if (raw < seen.last) seen.offset += seen.last;
    seen.last = raw;
    return seen.offset + raw;
  }

  /** What `key` gained since the previous document: all of `raw` the first time or after a restart. */
  increase(key: string, raw: number): number {
    const seen = this.series.get(key);
    this.series.set(key, { last: raw, offset: 0 });
    if (seen === undefined || raw < seen.last) return raw;
    return raw - seen.last;
  }
}
