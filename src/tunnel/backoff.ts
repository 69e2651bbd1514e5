// Reconnect delays: exponential backoff with full jitter.
import { RECONNECT_BASE_MS, RECONNECT_CAP_MS } from './limits.js';

/**
 * The delay before reconnect attempt `attempt` (0-based): uniform in [0, min(cap, base × 2^attempt)]
 * ("full jitter"), so a fleet of agents cut off together does not come back together.
 * @example backoffDelay(0) // somewhere in 0..1000 ms
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, base = RECONNECT_BASE_MS, cap = RECONNECT_CAP_MS): number {
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
