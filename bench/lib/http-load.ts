// A small closed-loop HTTP load generator on node:http, for responses autocannon cannot count.
// haproxy's errorfile replies (tecnativa's 403) are HTTP/1.0 and end at connection close, without
// Content-Length; autocannon's parser never completes them and reports 0 requests.
import { Agent, request } from 'node:http';
import { withContention } from './contention.js';
import { cpuSeconds } from './proc-stats.js';
import { cpuMsPer1k, type LoadResult, type LoadSettings, type LoadTarget, type Scenario } from './load.js';

interface Tally {
  latenciesUs: number[];
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
}

function one(agent: Agent, target: LoadTarget, sc: Scenario, t: Tally): Promise<void> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const where = target.kind === 'socket' ? { socketPath: target.socketPath } : { host: '127.0.0.1', port: target.port };
    const headers: Record<string, string | number> = sc.body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(sc.body) } : {};
    const req = request({ ...where, agent, method: sc.method, path: sc.path, headers, timeout: 10_000 }, (res) => {
      res.resume();
      res.once('end', () => {
        t.latenciesUs.push(Number(process.hrtime.bigint() - started) / 1000);
        const code = String(res.statusCode ?? 0);
        t.statusCodes[code] = (t.statusCodes[code] ?? 0) + 1;
        resolve();
      });
      res.once('error', () => {
        t.errors++;
        resolve();
      });
    });
    req.once('timeout', () => {
      t.timeouts++;
      req.destroy(new Error('timeout'));
    });
    req.once('error', () => {
      t.errors++;
      resolve();
    });
    req.end(sc.body);
  });
}

async function drive(target: LoadTarget, sc: Scenario, connections: number, durationS: number): Promise<Tally> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const t: Tally = { latenciesUs: [], statusCodes: {}, errors: 0, timeouts: 0 };
  const deadline = Date.now() + durationS * 1000;
  const worker = async (): Promise<void> => {
    while (Date.now() < deadline) await one(agent, target, sc, t);
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  return t;
}

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, i)] ?? 0) / 10) / 100;
}

/**
 * Runs `connections` concurrent request loops for `durationS` (after a discarded warm-up) and
 * returns the same shape as autocannon's runs, with latencies measured in µs and given in ms.
 */
export async function runHttpLoad(target: LoadTarget, sc: Scenario, s: LoadSettings, proxyPid: number | null): Promise<LoadResult> {
  if (s.warmupS > 0) await drive(target, sc, s.connections, s.warmupS);
  const cpu0 = proxyPid === null ? 0 : cpuSeconds(proxyPid);
  const t0 = process.hrtime.bigint();
  const { value: t, contention } = await withContention(proxyPid, () => drive(target, sc, s.connections, s.durationS));
  const elapsedS = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuS = proxyPid === null ? null : Math.round((cpuSeconds(proxyPid) - cpu0) * 100) / 100;
  const sorted = Float64Array.from(t.latenciesUs).sort();
  const arr = Array.from(sorted);
  const total = arr.length;
  const non2xx = Object.entries(t.statusCodes).filter(([c]) => !c.startsWith('2')).reduce((a, [, n]) => a + n, 0);
  return {
    reqPerSec: Math.round(total / elapsedS),
    reqPerSecStddev: 0,
    totalRequests: total,
    latencyMs: {
      p50: pct(arr, 50), p90: pct(arr, 90), p97_5: pct(arr, 97.5), p99: pct(arr, 99), p99_9: pct(arr, 99.9),
      mean: total ? Math.round(arr.reduce((a, b) => a + b, 0) / total / 10) / 100 : 0,
      max: pct(arr, 100),
    },
    non2xx,
    statusCodes: t.statusCodes,
    errors: t.errors,
    timeouts: t.timeouts,
    proxyCpuS: cpuS,
    proxyCpuMsPer1kReq: cpuS === null ? null : cpuMsPer1k(cpuS, total),
    contention,
  };
}
