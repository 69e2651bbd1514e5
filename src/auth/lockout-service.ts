// Login lockout over store.authFailures: an account counter and a separate client-IP counter.
import type { AuthFailure, Store } from '../store/index.js';
import { iso, ms, systemClock, type Clock } from './clock.js';
import { ipKey, userKey } from './client-key.js';
import {
  DEFAULT_IP_POLICY, DEFAULT_USER_POLICY, lockRemainingMs, validateFailurePolicy, type FailurePolicy, type FailureState,
} from './lockout-policy.js';

export interface LockoutOptions {
  user?: FailurePolicy;
  ip?: FailurePolicy;
  clock?: Clock;
}

export interface LockStatus {
  locked: boolean;
  /** Milliseconds until every lock that applies has ended (for Retry-After); 0 when not locked. */
  retryAfterMs: number;
  /** Which counters are locked. */
  by: Array<'user' | 'ip'>;
}

export interface FailureOutcome {
  /** Counters this failure locked (audit these as lockouts). */
  lockedNow: Array<'user' | 'ip'>;
  userFailures: number;
  ipFailures: number;
}

function toState(f: AuthFailure | undefined): FailureState | undefined {
  return f && { count: f.count, windowStart: ms(f.windowStart), lockedUntil: f.lockedUntil === null ? null : ms(f.lockedUntil) };
}

/**
 * Lockout: by default 5 failures within 15 minutes lock the account for 15 minutes; a separate counter
 * per client IP (20 in 15 minutes). The account counter is keyed by the name typed, whether or not the
 * user exists, so a lockout answer reveals nothing about existence.
 */
export class LockoutService {
  readonly userPolicy: FailurePolicy;
  readonly ipPolicy: FailurePolicy;
  private readonly clock: Clock;

  constructor(
    private readonly store: Pick<Store, 'authFailures'>,
    opts: LockoutOptions = {},
  ) {
    this.userPolicy = opts.user ?? DEFAULT_USER_POLICY;
    this.ipPolicy = opts.ip ?? DEFAULT_IP_POLICY;
    validateFailurePolicy(this.userPolicy, 'account lockout');
    validateFailurePolicy(this.ipPolicy, 'client IP lockout');
    this.clock = opts.clock ?? systemClock;
  }

  /** Whether a login for `username` from `ip` must be refused before any password is checked. */
  async check(username: string, ip: string): Promise<LockStatus> {
    const now = this.clock();
    const [u, i] = await Promise.all([this.store.authFailures.get(userKey(username)), this.store.authFailures.get(ipKey(ip))]);
    const ru = lockRemainingMs(toState(u), now);
    const ri = lockRemainingMs(toState(i), now);
    const by: LockStatus['by'] = [];
    if (ru > 0) by.push('user');
    if (ri > 0) by.push('ip');
    return { locked: by.length > 0, retryAfterMs: Math.max(ru, ri), by };
  }

  /** Counts one failed login on both counters. A counter that is locked already is left alone (no extension). */
  async recordFailure(username: string, ip: string): Promise<FailureOutcome> {
    const [u, i] = await Promise.all([
      this.bump(userKey(username), this.userPolicy),
      this.bump(ipKey(ip), this.ipPolicy),
    ]);
    const lockedNow: FailureOutcome['lockedNow'] = [];
    if (u.lockedNow) lockedNow.push('user');
    if (i.lockedNow) lockedNow.push('ip');
    return { lockedNow, userFailures: u.count, ipFailures: i.count };
  }

  /**
   * Clears the account counter after a successful login. The IP counter is kept on purpose: otherwise one
   * valid account would let an attacker reset their address's counter between guesses at other accounts.
   */
  async reset(username: string): Promise<void> {
    await this.store.authFailures.reset(userKey(username));
  }

  /** Admin unlock of an account; true when there was a counter to clear. */
  async unlock(username: string): Promise<boolean> {
    return this.store.authFailures.reset(userKey(username));
  }

  /** Admin unlock of a client address. */
  async unlockIp(ip: string): Promise<boolean> {
    return this.store.authFailures.reset(ipKey(ip));
  }

  private async bump(key: string, policy: FailurePolicy): Promise<{ count: number; lockedNow: boolean }> {
    const now = this.clock();
    const cur = toState(await this.store.authFailures.get(key));
    if (cur && lockRemainingMs(cur, now) > 0) return { count: cur.count, lockedNow: false };
    // After a lock ends, counting starts again from 1 (the store would otherwise carry the old count on).
    if (cur && cur.lockedUntil !== null) await this.store.authFailures.reset(key);
    const next = await this.store.authFailures.record(key, policy, iso(now));
    return { count: next.count, lockedNow: next.lockedUntil !== null && ms(next.lockedUntil) > now };
  }
}
