import { describe, expect, it } from 'vitest';
import {
  LAG_STATUSES,
  lagStatusSeverity,
  worseLagStatus,
} from '../../../../src/collectors/lag/lag-status';

describe('lag statuses', () => {
  it('are the six gauge attribute values, least severe first', () => {
    expect(LAG_STATUSES).toEqual(['OK', 'WARN', 'STALL', 'STOP', 'REWIND', 'ERR']);
    expect(LAG_STATUSES.map(lagStatusSeverity)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('pick the more severe of two, whichever side it is on', () => {
    expect(worseLagStatus('OK', 'WARN')).toBe('WARN');
    expect(worseLagStatus('STOP', 'STALL')).toBe('STOP');
    expect(worseLagStatus('REWIND', 'ERR')).toBe('ERR');
    expect(worseLagStatus('ERR', 'OK')).toBe('ERR');
    expect(worseLagStatus('WARN', 'WARN')).toBe('WARN');
  });
});
