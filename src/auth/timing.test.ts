// Tests: equalizeTiming pads fast and slow paths to at least minMs.
import { describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { equalizeTiming, timingStart } from './timing.js';

async function timed(work: () => Promise<void>, minMs: number): Promise<number> {
  const start = timingStart();
  await work();
  await equalizeTiming(start, minMs);
  return performance.now() - start;
}

describe('equalizeTiming', () => {
  it('makes a fast path and a slow path both take at least minMs', async () => {
    const minMs = 120;
    const fast = await timed(() => Promise.resolve(), minMs);
    const slow = await timed(() => sleep(80).then(() => undefined), minMs);
    expect(fast).toBeGreaterThanOrEqual(minMs);
    expect(slow).toBeGreaterThanOrEqual(minMs);
  });

  it('adds no wait when the work already took longer than minMs', async () => {
    const start = timingStart() - 500; // as if the work began 500 ms ago
    const before = performance.now();
    await equalizeTiming(start, 100);
    // Generous bound: only proves no 100 ms sleep happened.
    expect(performance.now() - before).toBeLessThan(90);
  });
});
