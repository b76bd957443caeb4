import { describe, expect, it } from 'vitest';
import { LagWindow, type LagWindowView } from '../../../../src/collectors/lag/lag-window';

const S = 1000;

function contents(window: LagWindowView) {
  const rows: Array<[number, number, number]> = [];
  for (let i = 0; i < window.size; i++) {
    rows.push([window.timestampAt(i), window.committedAt(i), window.lagAt(i)]);
  }
  return rows;
}

describe('LagWindow', () => {
  it('keeps the last `capacity` observations, oldest first', () => {
    const window = new LagWindow(3);
    for (let i = 1; i <= 5; i++) {
      expect(window.push({ timestampMs: i * S, committedOffset: i * 10, lag: i })).toBe(true);
    }
    expect(contents(window)).toEqual([
      [3 * S, 30, 3],
      [4 * S, 40, 4],
      [5 * S, 50, 5],
    ]);
    expect(window.newestTimestampMs).toBe(5 * S);
  });

  it('stays at its capacity over 100k pushes and still holds the newest ones', () => {
    const window = new LagWindow(10);
    for (let i = 1; i <= 100_000; i++) window.push({ timestampMs: i, committedOffset: i, lag: 0 });
    expect(window.size).toBe(10);
    expect(window.committedAt(0)).toBe(99_991);
    expect(window.committedAt(9)).toBe(100_000);
  });

  it('clamps a negative lag (offsets race) to 0', () => {
    const window = new LagWindow(2);
    window.push({ timestampMs: 0, committedOffset: 105, lag: -5 });
    expect(window.lagAt(0)).toBe(0);
  });

  it('keeps the log start offset and consumer liveness of the newest observation only', () => {
    const window = new LagWindow(2);
    window.push({ timestampMs: 0, committedOffset: 1, lag: 1, logStartOffset: 0 });
    window.push({ timestampMs: S, committedOffset: 2, lag: 1, consumerActive: false });
    expect(window.newestLogStartOffset).toBeUndefined();
    expect(window.newestConsumerActive).toBe(false);
  });

  it('replaces the newest observation when the same cycle is pushed twice', () => {
    const window = new LagWindow(3);
    window.push({ timestampMs: 0, committedOffset: 1, lag: 9 });
    window.push({ timestampMs: S, committedOffset: 2, lag: 8 });
    window.push({ timestampMs: S, committedOffset: 3, lag: 7 });
    expect(contents(window)).toEqual([
      [0, 1, 9],
      [S, 3, 7],
    ]);
  });

  it('restarts when the clock steps back instead of mixing two timelines', () => {
    const window = new LagWindow(3);
    window.push({ timestampMs: 10 * S, committedOffset: 1, lag: 9 });
    window.push({ timestampMs: 20 * S, committedOffset: 2, lag: 8 });
    window.push({ timestampMs: 15 * S, committedOffset: 3, lag: 7 });
    expect(contents(window)).toEqual([[15 * S, 3, 7]]);
  });

  it('refuses observations without a committed offset or with non-finite numbers', () => {
    const window = new LagWindow(3);
    expect(window.push({ timestampMs: 0, committedOffset: -1, lag: 5 })).toBe(false);
    expect(window.push({ timestampMs: Number.NaN, committedOffset: 1, lag: 5 })).toBe(false);
    expect(window.push({ timestampMs: 0, committedOffset: 1, lag: Number.NaN })).toBe(false);
    expect(window.size).toBe(0);
  });

  it('rejects a capacity too small for a trend', () => {
    expect(() => new LagWindow(1)).toThrow(RangeError);
  });
});
