// One closed-loop autocannon run against a unix socket or a 127.0.0.1 port, reduced to the figures we report.
import autocannon from 'autocannon';
import { withContention, type Contention } from './contention.js';
import { cpuSeconds, round1 } from './proc-stats.js';

/** Where the load goes: the Docker socket itself, or a proxy on 127.0.0.1. */
export type LoadTarget = { kind: 'socket'; socketPath: string } | { kind: 'tcp'; port: number };

/** One request shape. */
export interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

/** Load settings shared by every run. */
export interface LoadSettings {
  connections: number;
  durationS: number;
  warmupS: number;
  pipelining: number;
}

/** The figures of one autocannon run. Latencies are autocannon's, in ms (integer resolution). */
export interface RunFigures {
  reqPerSec: number;
  reqPerSecStddev: number;
  totalRequests: number;
  latencyMs: { p50: number; p90: number; p97_5: number; p99: number; p99_9: number; mean: number; max: number };
  non2xx: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
}

/** Reduces an autocannon result to the figures we report. */
export function runFigures(r: autocannon.Result): RunFigures {
  const statusCodes: Record<string, number> = {};
  for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = v.count ?? 0;
  return {
    reqPerSec: Math.round(r.requests.average),
    reqPerSecStddev: Math.round(r.requests.stddev),
    totalRequests: r.requests.total,
    latencyMs: {
      p50: r.latency.p50, p90: r.latency.p90, p97_5: r.latency.p97_5, p99: r.latency.p99, p99_9: r.latency.p99_9,
      mean: Math.round(r.latency.mean * 100) / 100, max: r.latency.max,
    },
    non2xx: r.non2xx,
    statusCodes,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

/** CPU milliseconds per 1,000 requests, from CPU seconds over a run (null when nothing ran). */
export function cpuMsPer1k(cpuS: number, requests: number): number | null {
  return requests === 0 ? null : round1((cpuS * 1e6) / requests);
}

/** What one run measured, with the proxy's CPU and the machine's noise. */
export interface LoadResult extends RunFigures {
  /** CPU seconds the proxy process used during the measured part (null for the direct socket). */
  proxyCpuS: number | null;
  /** Proxy CPU milliseconds per 1,000 requests (null for the direct socket). */
  proxyCpuMsPer1kReq: number | null;
  /** CPU used elsewhere on the machine during the run (noise from other work). */
  contention: Contention;
}

function options(target: LoadTarget, scenario: Scenario, connections: number, durationS: number, pipelining: number): autocannon.Options {
  const base = target.kind === 'socket' ? 'http://localhost' : `http://127.0.0.1:${target.port}`;
  return {
    url: `${base}${scenario.path}`,
    ...(target.kind === 'socket' ? { socketPath: target.socketPath } : {}),
    method: scenario.method,
    connections,
    duration: durationS,
    pipelining,
    timeout: 10,
    ...(scenario.body !== undefined ? { body: scenario.body, headers: { 'content-type': 'application/json' } } : {}),
  };
}

/** Runs a warm-up (discarded) then the measured run; `proxyPid` is sampled for CPU time. */
export async function runLoad(target: LoadTarget, scenario: Scenario, s: LoadSettings, proxyPid: number | null): Promise<LoadResult> {
  if (s.warmupS > 0) await autocannon(options(target, scenario, s.connections, s.warmupS, s.pipelining));
  const cpu0 = proxyPid === null ? 0 : cpuSeconds(proxyPid);
  const { value: r, contention } = await withContention(proxyPid, () => autocannon(options(target, scenario, s.connections, s.durationS, s.pipelining)));
  const cpuS = proxyPid === null ? null : Math.round((cpuSeconds(proxyPid) - cpu0) * 100) / 100;
  return {
    ...runFigures(r),
    proxyCpuS: cpuS,
    proxyCpuMsPer1kReq: cpuS === null ? null : cpuMsPer1k(cpuS, r.requests.total),
    contention,
  };
}
