// Fixed-window rate limiter in memory: one counter per (class, key), bounded in size, with Retry-After.
import type { RateSpec } from '../config/index.js';

/** The request classes with their own limits. */
export const RATE_CLASSES = ['auth', 'hosts', 'containers', 'notifications', 'ws'] as const;
export type RateClass = (typeof RATE_CLASSES)[number];

/** Most counters held at once; past it, expired windows are swept and then the oldest dropped. */
export const MAX_RATE_KEYS = 100_000;

export interface RateVerdict {
  allowed: boolean;
  /** Milliseconds until the window that refused the request ends (0 when allowed). */
  retryAfterMs: number;
  /** True for the first refusal of a key in a window (audit that one only, not the flood). */
  firstRefusal: boolean;
}

interface Window {
  count: number;
  resetAt: number;
  refused: boolean;
}

/** Counts hits per (class, key) in fixed windows of each class's RateSpec. */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly specs: Readonly<Record<RateClass, RateSpec>>,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Counts one hit on every key (e.g. `ip:1.2.3.4` and `user:42`); refused when any key is over its
   * limit. A refused hit is not counted further, so a flood does not extend the window.
   */
  hit(cls: RateClass, keys: readonly string[]): RateVerdict {
    const spec = this.specs[cls];
    const t = this.now();
    let verdict: RateVerdict = { allowed: true, retryAfterMs: 0, firstRefusal: false };
    const ws = keys.map((k) => this.window(`${cls}|${k}`, spec, t));
    for (const w of ws) {
      if (w.count >= spec.max) {
        const firstRefusal = !w.refused;
        w.refused = true;
        const retryAfterMs = Math.max(verdict.retryAfterMs, w.resetAt - t);
        verdict = { allowed: false, retryAfterMs, firstRefusal: verdict.firstRefusal || firstRefusal };
      }
    }
    if (verdict.allowed) for (const w of ws) w.count += 1;
    return verdict;
  }

  /** Number of live counters (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  private window(key: string, spec: RateSpec, t: number): Window {
    let w = this.windows.get(key);
    if (!w || w.resetAt <= t) {
      if (!w && this.windows.size >= MAX_RATE_KEYS) this.sweep(t);
      w = { count: 0, resetAt: t + spec.windowMs, refused: false };
      this.windows.set(key, w);
    }
    return w;
  }

  private sweep(t: number): void {
    for (const [k, w] of this.windows) if (w.resetAt <= t) this.windows.delete(k);
    // Still full: drop the oldest entries (Map keeps insertion order).
    for (const k of this.windows.keys()) {
      if (this.windows.size < MAX_RATE_KEYS * 0.9) break;
      this.windows.delete(k);
    }
  }
}
