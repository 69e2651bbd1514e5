// Unit tests of the reconnect delay: exponential growth, the 60 s cap, full jitter between 0 and the ceiling.
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';
import { RECONNECT_BASE_MS, RECONNECT_CAP_MS } from './limits.js';

/** A "random" source that always answers `v`. */
const fixed = (v: number) => (): number => v;
const ALMOST_ONE = 1 - Number.EPSILON;

describe('backoffDelay', () => {
  it('starts at 1 s and caps at 60 s, as the issue asks', () => {
    expect(RECONNECT_BASE_MS).toBe(1_000);
    expect(RECONNECT_CAP_MS).toBe(60_000);
  });

  it('keeps the first delay below the 1 s base', () => {
    expect(backoffDelay(0, fixed(ALMOST_ONE))).toBe(999);
    expect(backoffDelay(0, fixed(0.5))).toBe(500);
  });

  it('doubles the ceiling with each failed attempt until the cap', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, fixed(0.5)) * 2);
    expect(ceilings).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
  });

  it('never waits longer than the cap, even after very many attempts', () => {
    for (const attempt of [6, 10, 31, 64, 1_000, Number.MAX_SAFE_INTEGER]) {
      const d = backoffDelay(attempt, fixed(ALMOST_ONE));
      expect(Number.isFinite(d)).toBe(true);
      expect(d).toBe(RECONNECT_CAP_MS - 1);
    }
  });

  it('can answer 0 ms (full jitter reaches down to zero, so a fleet spreads out)', () => {
    for (const attempt of [0, 3, 20]) expect(backoffDelay(attempt, fixed(0))).toBe(0);
  });

  it('answers whole milliseconds', () => {
    for (let a = 0; a < 12; a += 1) expect(Number.isInteger(backoffDelay(a, fixed(0.123456789)))).toBe(true);
  });

  it('honours a custom base and cap', () => {
    expect(backoffDelay(0, fixed(0.5), 100, 1_000)).toBe(50);
    expect(backoffDelay(3, fixed(0.5), 100, 1_000)).toBe(400);
    expect(backoffDelay(4, fixed(0.5), 100, 1_000)).toBe(500);
  });

  it('spreads real random delays over the whole range [0, ceiling)', () => {
    const samples = Array.from({ length: 4_000 }, () => backoffDelay(3));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(8_000);
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    // uniform on [0, 8000): mean 4000, standard error ≈ 37 ms for 4000 samples
    expect(mean).toBeGreaterThan(3_700);
    expect(mean).toBeLessThan(4_300);
    const low = samples.filter((s) => s < 2_000).length / samples.length;
    const high = samples.filter((s) => s >= 6_000).length / samples.length;
    expect(low).toBeGreaterThan(0.2);
    expect(high).toBeGreaterThan(0.2);
  });
});
