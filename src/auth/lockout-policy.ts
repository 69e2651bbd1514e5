// Lockout arithmetic (pure): failure windows, lock thresholds and what a counter means at a given time.

/** How failures are counted for one kind of key (an account or a client IP). */
export interface FailurePolicy {
  /** Failures are counted within a window of this length, starting at the first failure. */
  windowMs: number;
  /** Reaching this many failures in one window locks the key. */
  maxFailures: number;
  /** How long a lock lasts. */
  lockMs: number;
}

/** A failure counter as the store keeps it (times as epoch milliseconds here). */
export interface FailureState {
  count: number;
  windowStart: number;
  lockedUntil: number | null;
}

const MINUTE = 60_000;

/** Accounts: 5 failures within 15 minutes lock the account for 15 minutes. */
export const DEFAULT_USER_POLICY: Readonly<FailurePolicy> = Object.freeze({ windowMs: 15 * MINUTE, maxFailures: 5, lockMs: 15 * MINUTE });
/**
 * Client IPs: a separate, looser counter (several people can share one NAT address), which still stops
 * one address from trying many accounts (password spraying) — 20 failures within 15 minutes lock it for 15 minutes.
 */
export const DEFAULT_IP_POLICY: Readonly<FailurePolicy> = Object.freeze({ windowMs: 15 * MINUTE, maxFailures: 20, lockMs: 15 * MINUTE });

/** Throws when a policy cannot work (zero window, zero threshold, negative lock). */
export function validateFailurePolicy(p: FailurePolicy, what: string): void {
  if (!Number.isFinite(p.windowMs) || p.windowMs <= 0) throw new Error(`${what}: windowMs must be a positive number`);
  if (!Number.isInteger(p.maxFailures) || p.maxFailures < 1) throw new Error(`${what}: maxFailures must be a positive integer`);
  if (!Number.isFinite(p.lockMs) || p.lockMs <= 0) throw new Error(`${what}: lockMs must be a positive number`);
}

/** Milliseconds the key stays locked at `now`, or 0 when it is not locked. */
export function lockRemainingMs(state: FailureState | undefined, now: number): number {
  if (!state || state.lockedUntil === null) return 0;
  return Math.max(0, state.lockedUntil - now);
}

/**
 * The counter after one more failure at `now`: a window older than `windowMs` (or an expired lock)
 * starts again at 1; reaching `maxFailures` locks until now + lockMs. A failure while still locked does
 * not extend the lock, so an attacker cannot keep a victim's account locked for ever by hammering it.
 */
export function applyFailure(prev: FailureState | undefined, policy: FailurePolicy, now: number): FailureState {
  if (prev && lockRemainingMs(prev, now) > 0) return prev;
  const fresh = !prev || now - prev.windowStart >= policy.windowMs || prev.lockedUntil !== null;
  const count = fresh ? 1 : prev.count + 1;
  const windowStart = fresh ? now : prev.windowStart;
  return { count, windowStart, lockedUntil: count >= policy.maxFailures ? now + policy.lockMs : null };
}
