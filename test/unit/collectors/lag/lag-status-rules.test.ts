import { describe, expect, it } from 'vitest';
import type { LagStatus } from '../../../../src/collectors/lag/lag-status';
import { evaluateLagWindow } from '../../../../src/collectors/lag/lag-status-rules';
import { LagWindow } from '../../../../src/collectors/lag/lag-window';

const CYCLE_MS = 15_000;

interface Newest {
  logStartOffset?: number;
  consumerActive?: boolean;
}

/**
 * Status of a window of 5 (minObservations 5 unless given) holding these observations, one per
 * 15 s cycle; `newest` goes on the last observation.
 */
function statusOf(
  committed: number[],
  lag: number[],
  newest: Newest = {},
  minObservations = 5,
): LagStatus {
  const window = new LagWindow(5);
  committed.forEach((committedOffset, i) => {
    const last = i === committed.length - 1;
    window.push({
      timestampMs: i * CYCLE_MS,
      committedOffset,
      lag: lag[i]!,
      ...(last ? newest : {}),
    });
  });
  return evaluateLagWindow(window, minObservations);
}

describe('lag status rules: the documented examples (window 5)', () => {
  it('OK: caught up once within the window', () => {
    expect(statusOf([100, 150, 150, 160, 170], [20, 0, 30, 25, 40])).toBe('OK');
  });

  it('OK: lag held steady while offsets move (keeps pace)', () => {
    expect(statusOf([100, 120, 140, 160, 180], [50, 50, 50, 50, 50])).toBe('OK');
  });

  it('WARN: offsets move but lag never decreases and grows overall', () => {
    expect(statusOf([100, 120, 140, 160, 180], [10, 30, 30, 50, 70])).toBe('WARN');
  });

  it('STALL: offset stuck with lag, while a live consumer holds the partition', () => {
    expect(
      statusOf([500, 500, 500, 500, 500], [10, 20, 30, 40, 50], { consumerActive: true }),
    ).toBe('STALL');
  });

  it('STOP: offset stuck with lag, and nobody (known or unknown) consuming', () => {
    const committed = [500, 500, 500, 500, 500];
    const lag = [10, 20, 30, 40, 50];
    expect(statusOf(committed, lag, { consumerActive: false })).toBe('STOP');
    expect(statusOf(committed, lag)).toBe('STOP');
  });

  it('REWIND: the committed offset went backwards and the group has not caught up since', () => {
    expect(statusOf([900, 950, 400, 420, 440], [10, 15, 600, 610, 620])).toBe('REWIND');
  });

  it('OK after a rewind once the group caught up after it', () => {
    expect(statusOf([900, 950, 400, 420, 2000], [10, 15, 600, 0, 20])).toBe('OK');
  });

  it('ERR: committed offset below the log start offset, from a single observation', () => {
    expect(statusOf([100], [900], { logStartOffset: 250 })).toBe('ERR');
  });
});

describe('lag status rules: edges between statuses', () => {
  it('current lag 0 is OK even when the offset never moved (idle, caught-up consumer)', () => {
    expect(statusOf([500, 500, 500, 500, 500], [0, 0, 0, 0, 0], { consumerActive: false })).toBe(
      'OK',
    );
  });

  it('one zero anywhere in the window turns a would-be STOP or WARN into OK', () => {
    expect(statusOf([500, 500, 500, 500, 500], [0, 20, 30, 40, 50])).toBe('OK');
    expect(statusOf([100, 120, 140, 160, 180], [10, 30, 0, 50, 70])).toBe('OK');
  });

  it('a single decrease of the lag is enough for OK (catching up)', () => {
    expect(statusOf([100, 120, 140, 160, 180], [10, 30, 29, 50, 70])).toBe('OK');
  });

  it('WARN tolerates flat intervals (bursty producer), as long as the lag grew overall', () => {
    expect(statusOf([100, 120, 140, 160, 180], [10, 10, 10, 10, 11])).toBe('WARN');
  });

  it('STOP needs the offset unchanged in every observation; one move makes it a lag trend', () => {
    expect(statusOf([499, 500, 500, 500, 500], [10, 20, 30, 40, 50])).toBe('WARN');
  });

  it('REWIND is a fact: it shows before the window is full, and even after a caught-up start', () => {
    expect(statusOf([900, 400], [0, 500])).toBe('REWIND');
    expect(statusOf([900, 900, 900, 400, 410], [0, 0, 0, 500, 510])).toBe('REWIND');
  });

  it('REWIND outranks the offset being stuck afterwards', () => {
    expect(statusOf([900, 400, 400, 400, 400], [10, 500, 510, 520, 530])).toBe('REWIND');
  });

  it('ERR outranks everything, even a current lag of 0 reported by a race', () => {
    expect(statusOf([900, 400], [10, 0], { logStartOffset: 401 })).toBe('ERR');
    expect(statusOf([100], [0], { logStartOffset: 100 })).toBe('OK'); // at the log start: fine
  });

  it('only the newest log start offset counts: once the group is back in range it is not ERR', () => {
    const window = new LagWindow(5);
    window.push({ timestampMs: 0, committedOffset: 100, lag: 50, logStartOffset: 120 });
    expect(evaluateLagWindow(window, 5)).toBe('ERR');
    window.push({ timestampMs: CYCLE_MS, committedOffset: 130, lag: 40, logStartOffset: 120 });
    expect(evaluateLagWindow(window, 5)).toBe('OK');
  });
});

describe('lag status rules: minimum observations', () => {
  it('trends are OK until minObservations observations exist', () => {
    const stuck = [500, 500, 500, 500];
    const growing = [10, 20, 30, 40];
    expect(statusOf(stuck, growing)).toBe('OK');
    expect(statusOf(stuck, growing, {}, 4)).toBe('STOP');
    expect(statusOf([100, 120, 140], [10, 20, 30], {}, 3)).toBe('WARN');
    expect(statusOf([100, 120, 140], [10, 20, 30], {}, 4)).toBe('OK');
  });

  it('an empty window is OK', () => {
    expect(evaluateLagWindow(new LagWindow(5), 5)).toBe('OK');
  });
});
