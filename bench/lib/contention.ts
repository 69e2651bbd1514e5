// Measures how much CPU the rest of the machine used during a run, so contended runs can be told apart.
import { loadavg } from 'node:os';
import { cpuSeconds, pidsByName, systemBusySeconds } from './proc-stats.js';

/** CPU use around one measured run. */
export interface Contention {
  /** Seconds the run lasted. */
  wallS: number;
  /** Busy CPU seconds of the whole machine during the run. */
  machineBusyS: number;
  /** Of that, used by the load generator (this process), the proxy, dockerd and containerd. */
  benchS: number;
  /** Used by anything else on the machine (other sessions' builds and tests): noise. */
  otherS: number;
  loadAvg1: [number, number];
}

function ownCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function sumCpu(pids: number[]): number {
  let total = 0;
  for (const p of pids) {
    try {
      total += cpuSeconds(p);
    } catch {
      // exited
    }
  }
  return total;
}

/** Runs `fn` and reports the machine's CPU use outside the benchmark's own processes meanwhile. */
export async function withContention<T>(proxyPid: number | null, fn: () => Promise<T>): Promise<{ value: T; contention: Contention }> {
  const daemons = [...pidsByName('dockerd'), ...pidsByName('containerd')];
  const pids = proxyPid === null ? daemons : [proxyPid, ...daemons];
  const l0 = loadavg()[0] ?? 0;
  const t0 = Date.now();
  const busy0 = systemBusySeconds();
  const own0 = ownCpu();
  const ours0 = sumCpu(pids);
  const value = await fn();
  const machineBusyS = systemBusySeconds() - busy0;
  const benchS = ownCpu() - own0 + (sumCpu(pids) - ours0);
  const r2 = (n: number): number => Math.round(n * 100) / 100;
  return {
    value,
    contention: { wallS: r2((Date.now() - t0) / 1000), machineBusyS: r2(machineBusyS), benchS: r2(benchS), otherS: r2(Math.max(0, machineBusyS - benchS)), loadAvg1: [r2(l0), r2(loadavg()[0] ?? 0)] },
  };
}
