// GET /api/v1/containers latency: sequential requests and a closed loop with N connections, timed to the last byte of the body.
import { Agent as Pool, request } from 'undici';
import { percentiles, type Percentiles } from './live-client.js';
import { cpuSeconds } from './proc-stats.js';

/** One timed list. */
interface Listed {
  ms: number;
  status: number;
  containers: number;
  hostErrors: number;
  bytes: number;
}

async function listOnce(pool: Pool, url: string, token: string): Promise<Listed> {
  const t0 = performance.now();
  const res = await request(url, { headers: { authorization: `Bearer ${token}` }, dispatcher: pool });
  const text = await res.body.text();
  const ms = performance.now() - t0;
  let containers = 0;
  let hostErrors = 0;
  if (res.statusCode === 200) {
    const body = JSON.parse(text) as { containers: unknown[]; hosts: { error?: unknown }[] };
    containers = body.containers.length;
    hostErrors = body.hosts.filter((h) => h.error !== undefined).length;
  }
  return { ms, status: res.statusCode, containers, hostErrors, bytes: Buffer.byteLength(text) };
}

/** What a list run measured. */
export interface ListRun {
  mode: string;
  requests: number;
  statusCodes: Record<string, number>;
  /** Containers in the answers (min..max), and answers with any host in error. */
  containersPerAnswer: { min: number; max: number };
  answersWithHostErrors: number;
  answerBytes: number;
  reqPerSec: number;
  latencyMs: Percentiles;
  /** CPU the server process used per measured request, and this process (client + simulated agents), in ms. */
  cpuMsPerRequest?: { server: number; benchProcess: number };
}

/** Which server to charge CPU to, while `fn` runs. */
async function charged(serverPid: number | undefined, fn: () => Promise<ListRun>): Promise<ListRun> {
  const s0 = serverPid === undefined ? 0 : cpuSeconds(serverPid);
  const u0 = process.cpuUsage();
  const run = await fn();
  if (serverPid === undefined || run.requests === 0) return run;
  const u = process.cpuUsage(u0);
  const per = (ms: number): number => Math.round((ms / run.requests) * 10) / 10;
  return { ...run, cpuMsPerRequest: { server: per((cpuSeconds(serverPid) - s0) * 1000), benchProcess: per((u.user + u.system) / 1000) } };
}

function summarize(mode: string, xs: Listed[], wallMs: number): ListRun {
  const statusCodes: Record<string, number> = {};
  for (const x of xs) statusCodes[String(x.status)] = (statusCodes[String(x.status)] ?? 0) + 1;
  const counts = xs.map((x) => x.containers);
  return {
    mode, requests: xs.length, statusCodes,
    containersPerAnswer: { min: Math.min(...counts), max: Math.max(...counts) },
    answersWithHostErrors: xs.filter((x) => x.hostErrors > 0).length,
    answerBytes: xs[0]?.bytes ?? 0,
    reqPerSec: Math.round((xs.length / wallMs) * 1000 * 10) / 10,
    latencyMs: percentiles(xs.map((x) => x.ms)),
  };
}

/** `n` requests one after the other (after `warmup` discarded ones) over one keep-alive connection, stopping early after `maxMs`. */
export async function listSequential(url: string, token: string, ca: string, o: { n: number; warmup?: number; maxMs?: number; serverPid?: number }): Promise<ListRun> {
  const pool = new Pool({ connect: { ca }, connections: 1 });
  const maxMs = o.maxMs ?? Infinity;
  try {
    for (let i = 0; i < (o.warmup ?? 10); i++) await listOnce(pool, url, token);
    return await charged(o.serverPid, () => {
      const xs: Listed[] = [];
      const t0 = performance.now();
      const loop = async (): Promise<ListRun> => {
        for (let i = 0; i < o.n && performance.now() - t0 < maxMs; i++) xs.push(await listOnce(pool, url, token));
        const mode = xs.length < o.n ? `sequential, 1 connection (stopped after ${Math.round(maxMs / 1000)} s: ${xs.length} of ${o.n} requests)` : 'sequential, 1 connection';
        return summarize(mode, xs, performance.now() - t0);
      };
      return loop();
    });
  } finally {
    await pool.close();
  }
}

/** A closed loop: `connections` concurrent request loops for `durationMs`. */
export async function listConcurrent(url: string, token: string, ca: string, o: { connections: number; durationMs: number; serverPid?: number }): Promise<ListRun> {
  const pool = new Pool({ connect: { ca }, connections: o.connections });
  try {
    return await charged(o.serverPid, async () => {
      const xs: Listed[] = [];
      const t0 = performance.now();
      const end = t0 + o.durationMs;
      await Promise.all(Array.from({ length: o.connections }, async () => {
        while (performance.now() < end) xs.push(await listOnce(pool, url, token));
      }));
      return summarize(`closed loop, ${o.connections} connections, ${o.durationMs / 1000} s`, xs, performance.now() - t0);
    });
  } finally {
    await pool.close();
  }
}
