// Unit tests of the exposure score.
import { describe, expect, it } from 'vitest';
import { exposureScore, scoreColor } from './exposure';

const base = { critical: 0, high: 0, medium: 0, low: 0, info: 0, suppressed: 0 };

describe('exposureScore', () => {
  it('is 100 for a host with no open findings, whatever was suppressed or informational', () => {
    expect(exposureScore({ ...base, info: 7, suppressed: 12 })).toBe(100);
  });

  it('takes 25 per critical, 10 per high, 3 per medium and 1 per low finding', () => {
    expect(exposureScore({ ...base, critical: 1, high: 2, low: 5 })).toBe(50);
    expect(exposureScore({ ...base, medium: 3 })).toBe(91);
  });

  it('never goes below 0', () => {
    expect(exposureScore({ ...base, critical: 9 })).toBe(0);
  });

  it('bands the score by colour', () => {
    expect([scoreColor(100), scoreColor(75), scoreColor(50), scoreColor(10)]).toEqual(['green', 'yellow', 'orange', 'red']);
  });
});
