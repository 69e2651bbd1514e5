// Combines repeated runs of one target×scenario (interleaved rounds) into one reported figure.
import { cpuMsPer1k, type LoadResult } from './load.js';

/** The combined figure plus each round's headline numbers. */
export interface Measured extends LoadResult {
  rounds: { reqPerSec: number; p50: number; p99: number; otherCpuS: number }[];
}

const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const r2 = (n: number): number => Math.round(n * 100) / 100;

/** Mean req/s and mean latency percentiles over the rounds; counts and CPU seconds summed. */
export function combine(rs: LoadResult[]): Measured {
  const first = rs[0];
  if (!first) throw new Error('combine() needs at least one run');
  const statusCodes: Record<string, number> = {};
  for (const r of rs) for (const [c, n] of Object.entries(r.statusCodes)) statusCodes[c] = (statusCodes[c] ?? 0) + n;
  const total = rs.reduce((a, r) => a + r.totalRequests, 0);
  const cpu = rs.every((r) => r.proxyCpuS !== null) ? r2(rs.reduce((a, r) => a + (r.proxyCpuS ?? 0), 0)) : null;
  const lat = (k: keyof LoadResult['latencyMs']): number => r2(mean(rs.map((r) => r.latencyMs[k])));
  return {
    reqPerSec: Math.round(mean(rs.map((r) => r.reqPerSec))),
    reqPerSecStddev: Math.round(mean(rs.map((r) => r.reqPerSecStddev))),
    totalRequests: total,
    latencyMs: { p50: lat('p50'), p90: lat('p90'), p97_5: lat('p97_5'), p99: lat('p99'), p99_9: lat('p99_9'), mean: lat('mean'), max: Math.max(...rs.map((r) => r.latencyMs.max)) },
    non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
    statusCodes,
    errors: rs.reduce((a, r) => a + r.errors, 0),
    timeouts: rs.reduce((a, r) => a + r.timeouts, 0),
    proxyCpuS: cpu,
    proxyCpuMsPer1kReq: cpu === null ? null : cpuMsPer1k(cpu, total),
    contention: {
      wallS: r2(rs.reduce((a, r) => a + r.contention.wallS, 0)),
      machineBusyS: r2(rs.reduce((a, r) => a + r.contention.machineBusyS, 0)),
      benchS: r2(rs.reduce((a, r) => a + r.contention.benchS, 0)),
      otherS: r2(rs.reduce((a, r) => a + r.contention.otherS, 0)),
      loadAvg1: [first.contention.loadAvg1[0], rs[rs.length - 1]!.contention.loadAvg1[1]],
    },
    rounds: rs.map((r) => ({ reqPerSec: r.reqPerSec, p50: r.latencyMs.p50, p99: r.latencyMs.p99, otherCpuS: r.contention.otherS })),
  };
}
