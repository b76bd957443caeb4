/**
 * Counter series exported from a source's own totals start where the collector first saw them,
 * and again where the source restarted (a lower total); one snapshot rendered twice (two
 * readers) gives the same start; series that left are forgotten.
 */
import { describe, expect, it } from 'vitest';
import { CounterStarts } from '../../../src/collectors/export/counter-starts';

const at = (seconds: number): [number, number] => [seconds, 0];
const task = { connector: 'orders-sink', task: 0 };

describe('CounterStarts', () => {
  it('starts a series at its first point and again after the source restarted', () => {
    const starts = new CounterStarts();
    starts.beginSnapshot(1_000);
    expect(starts.startOf('records', task, 1_000_000, at(1))).toEqual(at(1));
    starts.beginSnapshot(2_000);
    expect(starts.startOf('records', task, 1_000_050, at(2))).toEqual(at(1));
    // The task restarted: its total began again from 0.
    starts.beginSnapshot(3_000);
    expect(starts.startOf('records', task, 3, at(3))).toEqual(at(3));
    starts.beginSnapshot(4_000);
    expect(starts.startOf('records', task, 7, at(4))).toEqual(at(3));
  });

  it('gives every reader of one snapshot the same start', () => {
    const starts = new CounterStarts();
    starts.beginSnapshot(1_000);
    starts.startOf('records', task, 10, at(1));
    starts.beginSnapshot(2_000);
    expect(starts.startOf('records', task, 2, at(2))).toEqual(at(2));
    starts.beginSnapshot(2_000);
    expect(starts.startOf('records', task, 2, at(2))).toEqual(at(2));
  });

  it('keys series by metric and attributes, and forgets those a snapshot did not hold', () => {
    const starts = new CounterStarts();
    starts.beginSnapshot(1_000);
    starts.startOf('records', task, 10, at(1));
    starts.startOf('errors', task, 10, at(1));
    starts.startOf('records', { ...task, task: 1 }, 10, at(1));
    starts.beginSnapshot(2_000);
    expect(starts.startOf('records', task, 11, at(2))).toEqual(at(1));
    starts.beginSnapshot(3_000);
    // Not in the 2 000 snapshot: a new series now, whatever it was before.
    expect(starts.startOf('errors', task, 12, at(3))).toEqual(at(3));
    expect(starts.startOf('records', task, 12, at(3))).toEqual(at(1));
  });
});
