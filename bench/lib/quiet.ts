// Waits (bounded) for the shared machine to calm down before a benchmark, and says how busy it was.
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemBusySeconds } from './proc-stats.js';

/** What {@link waitForQuiet} saw. */
export interface QuietReport {
  /** CPUs' worth of work other processes did in the last sample window (nothing of the benchmark runs yet). */
  busyCpus: number;
  waitedS: number;
  quiet: boolean;
  loadAvg1: number;
}

/**
 * Samples the machine's busy CPU time over `windowMs` windows until less than `maxBusyCpus` CPUs are
 * busy, or `maxWaitMs` passed (then the run goes ahead, and the report says it was not quiet).
 */
export async function waitForQuiet(maxBusyCpus: number, maxWaitMs: number, windowMs = 3_000): Promise<QuietReport> {
  const t0 = Date.now();
  for (;;) {
    const b0 = systemBusySeconds();
    await sleep(windowMs);
    const busyCpus = Math.round(((systemBusySeconds() - b0) / (windowMs / 1000)) * 100) / 100;
    const waitedS = Math.round((Date.now() - t0) / 1000);
    if (busyCpus < maxBusyCpus || Date.now() - t0 >= maxWaitMs) {
      return { busyCpus, waitedS, quiet: busyCpus < maxBusyCpus, loadAvg1: Math.round((loadavg()[0] ?? 0) * 100) / 100 };
    }
  }
}
