// `npm run bench:api`: authenticated GET throughput of `portcullis server` and login cost at the argon2 parameters; writes bench/results/api.json.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { ARGON2_PARAMS, DEFAULT_LOGIN_MIN_MS, HASH_CONCURRENCY } from '../src/auth/index.js';
import { cpuMsPer1k, cpuSeconds, freePort, runFigures, type RunFigures, readPeakRssMB, readRssMB, round1, startChild, tail, waitForOutput, waitForPort, type BenchChild } from './lib/index.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = process.env.BENCH_OUT ?? join(REPO, 'bench', 'results', 'api.json');
const CONNECTIONS = 32;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 2);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const LOGINS_OK = 20;
const LOGINS_WRONG_PASSWORD = 10;
/** Unknown-user failures (timing equality); with the wrong-password ones they stay under the per-IP lockout (20 failures, not configurable). */
const LOGINS_UNKNOWN_USER = 4;
/** Raised far above any count this run reaches, so neither the auth rate limit nor the account lockout answers 429/423. */
const BENCH_SETTINGS: Record<string, string> = {
  PORTCULLIS_RATE_AUTH: '100000/15m',
  PORTCULLIS_LOCKOUT_THRESHOLD: '100000',
  PORTCULLIS_LOG_LEVEL: LOG_LEVEL,
  PORTCULLIS_TLS: 'off',
};

interface Throughput extends RunFigures {
  serverCpuS: number;
  serverCpuMsPer1kReq: number | null;
}

interface LoginTiming {
  attempts: number;
  status: Record<string, number>;
  ms: { p50: number; p90: number; min: number; max: number };
}

/** Asks the server; throws with the status and error code on an unexpected answer. */
async function call(base: string, method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; expect: number }): Promise<Response> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (res.status !== init.expect) throw new Error(`${method} ${path}: expected ${init.expect}, got ${res.status} ${(await res.text()).slice(0, 300)}`);
  return res;
}

function sessionCookie(res: Response): string {
  const c = res.headers.getSetCookie().find((v) => v.startsWith('pc_session='));
  const value = c?.split(';')[0]?.slice('pc_session='.length);
  if (!value) throw new Error('the login answer set no pc_session cookie');
  return value;
}

/** Logs in (first login), changes the password as the server demands, and creates a viewer API token. */
async function prepareCredentials(base: string, initial: string): Promise<{ password: string; cookie: string; token: string }> {
  const login = await call(base, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: initial }, expect: 200 });
  const first = (await login.json()) as { csrfToken: string; mustChangePassword: boolean };
  if (!first.mustChangePassword) throw new Error('the first login did not demand a password change');
  const password = `bench-${randomBytes(18).toString('base64url')}`;
  const changed = await call(base, 'POST', '/api/v1/auth/password', {
    body: { current: initial, next: password }, expect: 200,
    headers: { cookie: `pc_session=${sessionCookie(login)}`, 'x-csrf-token': first.csrfToken },
  });
  const cookie = sessionCookie(changed);
  const { csrfToken } = (await changed.json()) as { csrfToken: string };
  const created = await call(base, 'POST', '/api/v1/tokens', {
    body: { name: 'api-bench', grants: [{ role: 'viewer', scopeType: 'all' }] }, expect: 201,
    headers: { cookie: `pc_session=${cookie}`, 'x-csrf-token': csrfToken },
  });
  const { token } = (await created.json()) as { token: string };
  return { password, cookie, token };
}

async function measure(url: string, headers: Record<string, string>, pid: number): Promise<Throughput> {
  const opts: autocannon.Options = { url, connections: CONNECTIONS, duration: DURATION_S, pipelining: 1, timeout: 10, headers };
  if (WARMUP_S > 0) await autocannon({ ...opts, duration: WARMUP_S });
  const cpu0 = cpuSeconds(pid);
  const r = await autocannon(opts);
  const cpuS = Math.round((cpuSeconds(pid) - cpu0) * 100) / 100;
  return {
    ...runFigures(r),
    serverCpuS: cpuS,
    serverCpuMsPer1kReq: cpuMsPer1k(cpuS, r.requests.total),
  };
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return round1(sorted[i] ?? 0);
}

/** Sequential logins, each timed from request to the end of the answer's body. */
async function timeLogins(base: string, username: string, password: string, n: number): Promise<LoginTiming> {
  const times: number[] = [];
  const status: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    status[String(res.status)] = (status[String(res.status)] ?? 0) + 1;
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { attempts: n, status, ms: { p50: percentile(sorted, 50), p90: percentile(sorted, 90), min: round1(sorted[0] ?? 0), max: round1(sorted.at(-1) ?? 0) } };
}

async function startServerChild(workDir: string, port: number, adminPassword: string): Promise<BenchChild> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...BENCH_SETTINGS, PORTCULLIS_ADMIN_PASSWORD: adminPassword };
  const args = [join(REPO, 'bin', 'portcullis'), 'server', '--data', join(workDir, 'data'), '--listen', `127.0.0.1:${port}`];
  const child = startChild(process.execPath, args, env, join(workDir, 'server'), REPO);
  try {
    // Below info the "listening" line is not printed: wait for the port instead.
    if (['info', 'debug'].includes(LOG_LEVEL)) await waitForOutput(child, child.stdoutFile, 'portcullis server listening', 30_000);
    else await waitForPort(port, 30_000);
    if (child.exited()) throw new Error(`portcullis server exited during start: ${tail(child.stderrFile)}`);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return child;
}

function row(name: string, t: Throughput): string {
  const cells = [name.padEnd(34), String(t.reqPerSec).padStart(8), String(t.latencyMs.p50).padStart(6), String(t.latencyMs.p99).padStart(6), String(t.errors).padStart(6), String(t.non2xx).padStart(7), String(t.serverCpuMsPer1kReq ?? '-').padStart(10)];
  return cells.join(' ');
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'portcullis-api-bench-'));
  let child: BenchChild | undefined;
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const initialPassword = `init-${randomBytes(24).toString('base64url')}`;
    child = await startServerChild(workDir, port, initialPassword);
    const pid = child.pid;
    const creds = await prepareCredentials(base, initialPassword);
    const rssStartMB = readRssMB(pid);
    const throughput = {
      meBearer: await measure(`${base}/api/v1/auth/me`, { authorization: `Bearer ${creds.token}` }, pid),
      meCookie: await measure(`${base}/api/v1/auth/me`, { cookie: `pc_session=${creds.cookie}` }, pid),
      healthz: await measure(`${base}/healthz`, {}, pid),
    };
    const rssAfterLoadMB = readRssMB(pid);
    const logins = {
      success: await timeLogins(base, 'admin', creds.password, LOGINS_OK),
      wrongPassword: await timeLogins(base, 'admin', `wrong-${randomBytes(9).toString('base64url')}`, LOGINS_WRONG_PASSWORD),
      unknownUser: await timeLogins(base, `nobody-${randomBytes(6).toString('hex')}`, `wrong-${randomBytes(9).toString('base64url')}`, LOGINS_UNKNOWN_USER),
    };
    const peakRssMB = readPeakRssMB(pid);
    const results = {
      benchmark: 'api',
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memTotalMB: Math.round(totalmem() / 2 ** 20), kernel: release(), node: process.version,
        loadavgAtEnd: loadavg().map(round1),
        note: 'load generator (autocannon, in the benchmark process) and the server share the same CPUs; server is a child process on plain HTTP over 127.0.0.1',
      },
      settings: {
        connections: CONNECTIONS, durationS: DURATION_S, warmupS: WARMUP_S, pipelining: 1,
        server: { command: 'node bin/portcullis server --data <tmp> --listen 127.0.0.1:<free port>', database: 'SQLite in the data dir (default)', env: BENCH_SETTINGS },
        raisedForTheBenchmark: 'PORTCULLIS_RATE_AUTH (default 5/15m) and PORTCULLIS_LOCKOUT_THRESHOLD (default 5) are raised so that repeated logins measure argon2, not the 429/423 answers; the per-IP failure lock (20 / 15 min) is fixed and stays unreached',
        token: 'API token with the viewer role on all hosts',
        argon2: { ...ARGON2_PARAMS, algorithm: 'argon2id', concurrency: HASH_CONCURRENCY },
        failedLoginFloorMs: DEFAULT_LOGIN_MIN_MS,
      },
      throughput,
      logins,
      serverMemoryMB: { rssBeforeLoad: rssStartMB, rssAfterLoad: rssAfterLoadMB, peakRss: peakRssMB },
    };
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
    const head = ['scenario'.padEnd(34), 'req/s'.padStart(8), 'p50'.padStart(6), 'p99'.padStart(6), 'errors'.padStart(6), 'non2xx'.padStart(7), 'cpu ms/1k'.padStart(10)].join(' ');
    const lines = [
      `portcullis server API benchmark: ${CONNECTIONS} connections, ${DURATION_S} s after ${WARMUP_S} s warm-up, ${cpus().length} CPUs, node ${process.version}`,
      head,
      row('GET /api/v1/auth/me (Bearer)', throughput.meBearer),
      row('GET /api/v1/auth/me (cookie)', throughput.meCookie),
      row('GET /healthz', throughput.healthz),
      '',
      `logins (sequential; argon2id m=${ARGON2_PARAMS.memoryCost} KiB t=${ARGON2_PARAMS.timeCost} p=${ARGON2_PARAMS.parallelism}; failures padded to >= ${DEFAULT_LOGIN_MIN_MS} ms):`,
      ...Object.entries(logins).map(([k, v]) => `  ${k.padEnd(14)} n=${v.attempts} status=${JSON.stringify(v.status)} p50=${v.ms.p50} ms p90=${v.ms.p90} ms max=${v.ms.max} ms`),
      '',
      `results written to ${OUT}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await child?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
