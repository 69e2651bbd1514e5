// Constant-time rejection: pad a response so fast and slow failure paths take the same time.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** A start mark for equalizeTiming (milliseconds on the monotonic clock). */
export function timingStart(): number {
  return performance.now();
}

/**
 * Waits until at least `minMs` have passed since `start` (from timingStart()). Call it before answering
 * a failed login, so "no such user", "locked" and "wrong password" all take at least `minMs`.
 * Choose `minMs` above the slowest real path (an argon2 verify).
 * @example const t = timingStart(); …check…; await equalizeTiming(t, 500); reply(401)
 */
export async function equalizeTiming(start: number, minMs: number): Promise<void> {
  for (;;) {
    const remaining = start + minMs - performance.now();
    if (remaining <= 0) return;
    // Timers may fire a fraction of a millisecond early, so re-check instead of trusting one sleep.
    await sleep(Math.ceil(remaining));
  }
}
