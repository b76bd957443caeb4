import { describe, expect, it } from 'vitest';
import { OffsetTimeTable } from '../../../../src/collectors/lag/offset-time-table';

const S = 1000; // one second in ms

/** The table of the doc comment's worked example: (1000,0) (1300,15) (1300,45) (1600,60). */
function workedExample(): OffsetTimeTable {
  const table = new OffsetTimeTable();
  table.record(1000, 0);
  table.record(1300, 15 * S);
  table.record(1300, 30 * S);
  table.record(1300, 45 * S);
  table.record(1600, 60 * S);
  return table;
}

describe('OffsetTimeTable: recording', () => {
  it('keeps a flat run as two points: when the log end reached the offset and when last seen', () => {
    const table = new OffsetTimeTable();
    expect(table.record(1000, 0)).toBe('appended');
    expect(table.record(1300, 15 * S)).toBe('appended');
    expect(table.record(1300, 30 * S)).toBe('appended');
    expect(table.record(1300, 45 * S)).toBe('extended');
    expect(table.record(1600, 60 * S)).toBe('appended');
    expect(table.toArray()).toEqual([
      { offset: 1000, timeMs: 0 },
      { offset: 1300, timeMs: 15 * S },
      { offset: 1300, timeMs: 45 * S },
      { offset: 1600, timeMs: 60 * S },
    ]);
  });

  it('restarts from the new point when the log end offset goes backwards (topic recreated)', () => {
    const table = workedExample();
    expect(table.record(40, 75 * S)).toBe('reset');
    expect(table.toArray()).toEqual([{ offset: 40, timeMs: 75 * S }]);
    expect(table.timeLagSeconds(10, 80 * S)).toBeUndefined();
    expect(table.record(100, 90 * S)).toBe('appended');
    // Only the new log's history is used: 70 = 40 + 60 * (t - 75) / 15 -> t = 82.5 s.
    expect(table.timeLagSeconds(70, 90 * S)).toBe(7.5);
  });

  it('restarts when the clock steps back, and ignores a second record at the same instant', () => {
    const table = workedExample();
    expect(table.record(1700, 60 * S)).toBe('ignored');
    expect(table.newestOffset).toBe(1600);
    expect(table.record(1700, 50 * S)).toBe('reset');
    expect(table.toArray()).toEqual([{ offset: 1700, timeMs: 50 * S }]);
  });

  it('ignores offsets that are not offsets and times that are not finite', () => {
    const table = new OffsetTimeTable();
    expect(table.record(-1, 0)).toBe('ignored');
    expect(table.record(Number.NaN, 0)).toBe('ignored');
    expect(table.record(5, Number.POSITIVE_INFINITY)).toBe('ignored');
    expect(table.size).toBe(0);
    expect(table.lastRecordedAtMs).toBeNaN();
  });

  it('rejects a capacity that cannot hold the oldest and the newest point', () => {
    expect(() => new OffsetTimeTable(1)).toThrow(RangeError);
    expect(() => new OffsetTimeTable(2.5)).toThrow(RangeError);
  });
});

describe('OffsetTimeTable: time lag (worked example, now = 60 s)', () => {
  const table = workedExample();
  const now = 60 * S;

  it('is 0 when the group has caught up, or is past the last seen log end (offset race)', () => {
    expect(table.timeLagSeconds(1600, now)).toBe(0);
    expect(table.timeLagSeconds(1605, now)).toBe(0);
    expect(table.estimateKind(1600)).toBe('caught-up');
  });

  it('uses the time of a recorded point for an offset that is exactly a point', () => {
    expect(table.timeLagSeconds(1000, now)).toBe(60);
    expect(table.estimateKind(1000)).toBe('interpolated');
  });

  it('uses the end of a flat run: the latest time the log end was at that offset', () => {
    expect(table.timeLagSeconds(1300, now)).toBe(15);
  });

  it('interpolates linearly between the two surrounding points', () => {
    expect(table.timeLagSeconds(1150, now)).toBe(52.5);
    expect(table.timeLagSeconds(1450, now)).toBe(7.5);
    expect(table.timeLagSeconds(1599, now)).toBeCloseTo(0.05, 10);
  });

  it('extrapolates an offset older than the table at the average rate of the whole table', () => {
    // 600 offsets in 60 s = 10/s; offset 700 is 300 before the oldest point (t = 0): t = -30 s.
    expect(table.timeLagSeconds(700, now)).toBe(90);
    expect(table.estimateKind(700)).toBe('extrapolated');
  });

  it('grows with the clock while the group does not move', () => {
    expect(table.timeLagSeconds(1450, now + 10 * S)).toBe(17.5);
  });

  it('is never negative, even when asked about a time before the points', () => {
    expect(table.timeLagSeconds(1450, 40 * S)).toBe(0);
  });

  it('has no estimate for a missing committed offset (-1)', () => {
    expect(table.timeLagSeconds(-1, now)).toBeUndefined();
    expect(table.estimateKind(-1)).toBe('unknown');
  });
});

describe('OffsetTimeTable: too little history', () => {
  it('has no estimate when empty', () => {
    const table = new OffsetTimeTable();
    expect(table.timeLagSeconds(0, 0)).toBeUndefined();
    expect(table.estimateKind(0)).toBe('unknown');
  });

  it('with a single point: caught up is 0, behind is unknown (no rate to estimate with)', () => {
    const table = new OffsetTimeTable();
    table.record(500, 10 * S);
    expect(table.timeLagSeconds(500, 20 * S)).toBe(0);
    expect(table.timeLagSeconds(400, 20 * S)).toBeUndefined();
  });

  it('clamps to the oldest point (a lower bound) when the table saw no production', () => {
    const table = new OffsetTimeTable();
    table.record(500, 10 * S);
    table.record(500, 40 * S);
    expect(table.estimateKind(300)).toBe('clamped');
    expect(table.timeLagSeconds(300, 70 * S)).toBe(60);
  });
});

describe('OffsetTimeTable: bounded memory', () => {
  it('never holds more than its capacity, over 100k records', () => {
    const table = new OffsetTimeTable(8);
    let offset = 0;
    let largest = 0;
    for (let i = 1; i <= 100_000; i++) {
      offset += 1 + (i % 7) * (i % 3); // uneven production: 1 to 13 offsets a second
      table.record(offset, i * S);
      largest = Math.max(largest, table.size);
    }
    expect(largest).toBe(8);
    const points = table.toArray();
    expect(points).toHaveLength(8);
    expect(points[0]).toEqual({ offset: 2, timeMs: S }); // the oldest point is never dropped
    expect(points[7]).toEqual({ offset, timeMs: 100_000 * S }); // nor the newest
  });

  it('loses nothing when production is steady: only collinear points are dropped', () => {
    const table = new OffsetTimeTable(4);
    for (let i = 0; i <= 100; i++) table.record(i * 10, i * S); // 10 offsets per second
    expect(table.size).toBe(4);
    expect(table.toArray()[0]).toEqual({ offset: 0, timeMs: 0 });
    // Far past the span a drop-oldest ring of 4 points would keep (3 s), still exact:
    expect(table.estimateKind(5)).toBe('interpolated');
    expect(table.timeLagSeconds(5, 100 * S)).toBeCloseTo(99.5, 9);
    expect(table.timeLagSeconds(555, 100 * S)).toBeCloseTo(44.5, 9);
  });

  it('drops the point whose removal costs the least relative to its age, keeping recent detail', () => {
    const table = new OffsetTimeTable(4);
    table.record(0, 0);
    table.record(100, 100 * S); // old bend: 1/s before, 0.1/s after
    table.record(110, 200 * S);
    table.record(200, 210 * S); // recent burst: 9/s
    // Full. Candidates when (205, 220 s) arrives, as (time error / age):
    //   (100,100): line (0,0)-(110,200) gives 181.8 s there: 81.8 / 120 = 0.68
    //   (110,200): line (100,100)-(200,210) gives 111 s:     89   / 20  = 4.45
    //   (200,210): line (110,200)-(205,220) gives 218.9 s:   8.9  / 10  = 0.89
    expect(table.record(205, 220 * S)).toBe('appended');
    expect(table.toArray().map((p) => p.offset)).toEqual([0, 110, 200, 205]);
  });

  it('stays accurate at every age after 100k records of varying production', () => {
    const table = new OffsetTimeTable(60);
    const logEndAt: number[] = [0]; // true log end offset at each second
    for (let second = 1; second <= 100_000; second++) {
      const burst = second % 13 === 0 ? 20 : 0;
      const rate = Math.floor(5 + 4 * Math.sin(second / 500)) + burst;
      logEndAt.push(logEndAt[second - 1]! + rate);
      table.record(logEndAt[second]!, second * S);
    }
    const now = 100_000 * S;
    // A group whose committed offset is the log end of `age` seconds ago is `age` seconds behind.
    for (const age of [10, 30, 60, 300, 1_000, 5_000, 20_000, 90_000]) {
      const estimate = table.timeLagSeconds(logEndAt[100_000 - age]!, now)!;
      expect(Math.abs(estimate - age) / age).toBeLessThan(0.02);
    }
    expect(table.size).toBe(60);
  });

  it('removes the oldest candidate on ties (thins old history first)', () => {
    const table = new OffsetTimeTable(3);
    table.record(0, 0);
    table.record(10, 10 * S);
    table.record(20, 20 * S);
    table.record(30, 30 * S); // all collinear: every removal costs 0
    expect(table.toArray().map((p) => p.offset)).toEqual([0, 20, 30]);
  });
});
