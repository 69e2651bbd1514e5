// Tests: lockout arithmetic (windows, thresholds, lock expiry).
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_IP_POLICY, DEFAULT_USER_POLICY, applyFailure, lockRemainingMs, validateFailurePolicy, type FailureState,
} from './lockout-policy.js';

const MIN = 60_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

function failures(times: number[], policy = DEFAULT_USER_POLICY): FailureState | undefined {
  let s: FailureState | undefined;
  for (const t of times) s = applyFailure(s, policy, t);
  return s;
}

describe('lockout policy arithmetic', () => {
  it('locks after 5 failures within 15 minutes, for 15 minutes', () => {
    const s = failures([0, 1, 2, 3, 14].map((m) => T0 + m * MIN));
    expect(s?.count).toBe(5);
    expect(lockRemainingMs(s, T0 + 14 * MIN)).toBe(15 * MIN);
    expect(lockRemainingMs(s, T0 + 28 * MIN)).toBe(MIN);
    expect(lockRemainingMs(s, T0 + 29 * MIN)).toBe(0);
  });

  it('does not lock after 4 failures', () => {
    const s = failures([0, 1, 2, 3].map((m) => T0 + m * MIN));
    expect(lockRemainingMs(s, T0 + 3 * MIN)).toBe(0);
  });

  it('starts a new window when the first failure is 15 minutes old', () => {
    const s = failures([0, 1, 2, 3, 15].map((m) => T0 + m * MIN));
    expect(s).toEqual({ count: 1, windowStart: T0 + 15 * MIN, lockedUntil: null });
  });

  it('does not extend a lock with failures made while locked', () => {
    const locked = failures([0, 1, 2, 3, 4].map((m) => T0 + m * MIN));
    const later = applyFailure(locked, DEFAULT_USER_POLICY, T0 + 10 * MIN);
    expect(later).toEqual(locked);
  });

  it('counts from 1 again once a lock has expired', () => {
    const locked = failures([0, 1, 2, 3, 4].map((m) => T0 + m * MIN));
    const after = applyFailure(locked, DEFAULT_USER_POLICY, T0 + 20 * MIN);
    expect(after).toEqual({ count: 1, windowStart: T0 + 20 * MIN, lockedUntil: null });
  });

  it('gives client IPs a looser threshold than accounts', () => {
    expect(DEFAULT_IP_POLICY.maxFailures).toBeGreaterThan(DEFAULT_USER_POLICY.maxFailures);
    const s = failures(Array.from({ length: 19 }, (_, i) => T0 + i * 1000), DEFAULT_IP_POLICY);
    expect(lockRemainingMs(s, T0 + 19_000)).toBe(0);
  });

  it('refuses policies that cannot work', () => {
    expect(() => validateFailurePolicy({ windowMs: 0, maxFailures: 5, lockMs: 1 }, 'user lockout')).toThrow(/windowMs/);
    expect(() => validateFailurePolicy({ windowMs: 1, maxFailures: 0, lockMs: 1 }, 'user lockout')).toThrow(/maxFailures/);
    expect(() => validateFailurePolicy({ windowMs: 1, maxFailures: 1, lockMs: -1 }, 'user lockout')).toThrow(/lockMs/);
    expect(() => validateFailurePolicy(DEFAULT_USER_POLICY, 'user lockout')).not.toThrow();
  });
});
