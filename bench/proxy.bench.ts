// `npm run bench:proxy`: Portcullis vs haproxy-as-tecnativa vs the bare Docker socket; writes bench/results/proxy.json.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { docker, ensureTestImage, TEST_IMAGE, TEST_LABEL } from '../test/helpers/docker-cli.js';
import {
  combine, machineInfo, openEventStreams, probe, readPeakRssMB, readRssMB, runHttpLoad, runLoad, startBaselineProxy, treeRssMB,
  startPortcullis, startTecnativaHaproxy, topSelfTime, type LoadResult, type LoadSettings, type LoadTarget, type Measured, type Scenario,
} from './lib/index.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOCKET = '/var/run/docker.sock';
const OUT = process.env.BENCH_OUT ?? join(REPO, 'bench', 'results', 'proxy.json');
const CONTAINERS = 5;
const EVENT_STREAMS = 1000;
const LOAD: LoadSettings = {
  connections: 32,
  durationS: Number(process.env.BENCH_DURATION ?? 5),
  warmupS: Number(process.env.BENCH_WARMUP ?? 1),
  pipelining: 1,
};
/** Log levels to run the proxies at; the first is the one the targets are judged on. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const LOG_LEVELS = (process.env.BENCH_LOG_LEVELS ?? 'info,err').split(',').filter(Boolean);
const ALLOW_ENV = { CONTAINERS: '1', POST: '1' };
const POST_OFF_ENV = { CONTAINERS: '1', POST: '0' };
/** Carried by this run's containers, and by the denied create's body: a leaked create would carry it too. */
const RUN_LABEL_KEY = 'portcullis.bench.run';
const RUN_ID = randomUUID();
const PRIVILEGED_CREATE = JSON.stringify({ Image: TEST_IMAGE, Labels: { 'portcullis.test': '1', [RUN_LABEL_KEY]: RUN_ID }, HostConfig: { Privileged: true } });

type ScenarioKey = 'ping' | 'containersList' | 'containerInspect' | 'deniedCreate';

function scenarios(id: string): Record<ScenarioKey, Scenario> {
  return {
    ping: { name: 'GET /_ping', method: 'GET', path: '/_ping' },
    containersList: { name: 'GET /v1.41/containers/json', method: 'GET', path: '/v1.41/containers/json' },
    containerInspect: { name: 'GET /v1.41/containers/{id}/json', method: 'GET', path: `/v1.41/containers/${id}/json` },
    deniedCreate: { name: 'POST /v1.41/containers/create (privileged)', method: 'POST', path: '/v1.41/containers/create', body: PRIVILEGED_CREATE },
  };
}

const EXPECTED_STATUS: Record<ScenarioKey, string> = { ping: '200', containersList: '200', containerInspect: '200', deniedCreate: '403' };

interface ScenarioResult {
  direct: Measured | null;
  portcullis: Measured;
  haproxy: Measured;
  /** The minimal Node proxy of bench/lib/baseline-proxy.ts (reference: what Node costs here). */
  nodeBaseline?: Measured;
  /** Only for deniedCreate: Portcullis with POST=0, the same method gate haproxy uses. */
  portcullisMethodGate?: Measured;
  /** Only for deniedCreate: the Portcullis POST=1 run measured with autocannon (informational). */
  portcullisAutocannon?: Measured;
  ratios: { reqPerSec: number | null; p99: number | null; methodGateReqPerSec?: number | null; methodGateP99?: number | null };
}

const problems: string[] = [];
/** Lines each proxy wrote to stdout (its access log at info), per instance name. */
const logLines: Record<string, number> = {};
/** Portcullis VmHWM after the load runs, per log level. */
const peakRss: Record<string, number> = {};
const cleanups: (() => Promise<unknown>)[] = [];

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : Math.round((a / b) * 100) / 100;
}

function checkStatuses(label: string, key: ScenarioKey, r: LoadResult): void {
  const expected = EXPECTED_STATUS[key];
  const unexpected = Object.entries(r.statusCodes).filter(([code, n]) => code !== expected && n > 0);
  if (unexpected.length || r.errors || r.timeouts) {
    problems.push(`${label} ${key}: expected only ${expected}; got statuses ${JSON.stringify(r.statusCodes)}, errors ${r.errors}, timeouts ${r.timeouts}`);
  }
}

async function assertNoNewContainers(expected: number, when: string): Promise<void> {
  const r = await docker(['ps', '-aq', '--filter', `label=${RUN_LABEL_KEY}=${RUN_ID}`]);
  if (r.code !== 0) throw new Error(`docker ps failed ${when}: ${r.stderr}`);
  const n = r.stdout.split('\n').filter(Boolean).length;
  if (n !== expected) throw new Error(`container count changed ${when}: expected ${expected} containers labelled ${RUN_LABEL_KEY}=${RUN_ID}, found ${n} — a denied create reached dockerd`);
}

async function run(label: string, key: ScenarioKey, target: LoadTarget, sc: Scenario, pid: number | null, tool: Tool = 'autocannon'): Promise<LoadResult> {
  process.stdout.write(`  ${label.padEnd(22)} ${sc.name} [${tool}] … `);
  const r = tool === 'autocannon' ? await runLoad(target, sc, LOAD, pid) : await runHttpLoad(target, sc, LOAD, pid);
  process.stdout.write(`${r.reqPerSec} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, non2xx ${r.non2xx}, errors ${r.errors}, other CPU ${r.contention.otherS} s\n`);
  checkStatuses(label, key, r);
  return r;
}

type Tool = 'autocannon' | 'node-http';
interface Job { name: string; label: string; target: LoadTarget; pid: number | null; tool: Tool }

/** Runs `jobs` interleaved for ROUNDS rounds (a, b, c, a, b, c…) and combines each job's rounds. */
async function interleaved(key: ScenarioKey, sc: Scenario, jobs: Job[], labelled: number): Promise<Record<string, Measured>> {
  const runs: Record<string, LoadResult[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const j of jobs) (runs[j.name] ??= []).push(await run(j.label, key, j.target, sc, j.pid, j.tool));
    if (key === 'deniedCreate') await assertNoNewContainers(labelled, `after round ${round + 1} of the denied create`);
  }
  return Object.fromEntries(Object.entries(runs).map(([n, rs]) => [n, combine(rs)]));
}

/** Runs every scenario against both proxies (plus the socket and the Node baseline when `withReference`) at one log level. */
async function runLevel(logLevel: string, work: string, sc: Record<ScenarioKey, Scenario>, withReference: boolean, labelled: number): Promise<Record<ScenarioKey, ScenarioResult>> {
  console.log(`\nLOG_LEVEL=${logLevel}${withReference ? ' (with direct socket and the Node baseline proxy)' : ''}`);
  const env = { ...ALLOW_ENV, LOG_LEVEL: logLevel };
  const pc = await startPortcullis({ repoRoot: REPO, env, socketPath: SOCKET, workDir: work, name: `portcullis-${logLevel}` });
  cleanups.push(() => pc.stop());
  const ha = await startTecnativaHaproxy({ env, socketPath: SOCKET, workDir: work, name: `haproxy-${logLevel}` });
  cleanups.push(() => ha.stop());
  const base = withReference ? await startBaselineProxy({ repoRoot: REPO, socketPath: SOCKET, workDir: work, name: 'node-baseline' }) : null;
  if (base) cleanups.push(() => base.stop());
  const tcp = (port: number): LoadTarget => ({ kind: 'tcp', port });
  const out: Partial<Record<ScenarioKey, ScenarioResult>> = {};
  for (const key of ['ping', 'containersList', 'containerInspect'] as const) {
    const jobs: Job[] = [
      ...(withReference ? [{ name: 'direct', label: 'direct', target: { kind: 'socket', socketPath: SOCKET } as LoadTarget, pid: null, tool: 'autocannon' as Tool }] : []),
      { name: 'portcullis', label: 'portcullis', target: tcp(pc.port), pid: pc.pid, tool: 'autocannon' },
      { name: 'haproxy', label: 'haproxy', target: tcp(ha.port), pid: ha.pid, tool: 'autocannon' },
      ...(base ? [{ name: 'nodeBaseline', label: 'node baseline', target: tcp(base.port), pid: base.pid, tool: 'autocannon' as Tool }] : []),
    ];
    const m = await interleaved(key, sc[key], jobs, labelled);
    const p = m.portcullis!;
    const h = m.haproxy!;
    out[key] = { direct: m.direct ?? null, portcullis: p, haproxy: h, ...(m.nodeBaseline ? { nodeBaseline: m.nodeBaseline } : {}), ratios: { reqPerSec: ratio(p.reqPerSec, h.reqPerSec), p99: ratio(p.latencyMs.p99, h.latencyMs.p99) } };
  }
  await ha.stop();
  await base?.stop();
  // Denied create: Portcullis POST=1 denies by body inspection; haproxy POST=1 would create, so it runs with POST=0.
  const haOff = await startTecnativaHaproxy({ env: { ...POST_OFF_ENV, LOG_LEVEL: logLevel }, socketPath: SOCKET, workDir: work, name: `haproxy-post0-${logLevel}` });
  cleanups.push(() => haOff.stop());
  const pcOff = await startPortcullis({ repoRoot: REPO, env: { ...POST_OFF_ENV, LOG_LEVEL: logLevel }, socketPath: SOCKET, workDir: work, name: `portcullis-post0-${logLevel}` });
  cleanups.push(() => pcOff.stop());
  // haproxy's 403 is close-delimited HTTP/1.0, which autocannon cannot count: these three use the node:http loader.
  const m = await interleaved('deniedCreate', sc.deniedCreate, [
    { name: 'portcullis', label: 'portcullis (POST=1)', target: tcp(pc.port), pid: pc.pid, tool: 'node-http' },
    { name: 'portcullisMethodGate', label: 'portcullis (POST=0)', target: tcp(pcOff.port), pid: pcOff.pid, tool: 'node-http' },
    { name: 'haproxy', label: 'haproxy (POST=0)', target: tcp(haOff.port), pid: haOff.pid, tool: 'node-http' },
  ], labelled);
  const pa = combine([await run('portcullis (POST=1)', 'deniedCreate', tcp(pc.port), sc.deniedCreate, pc.pid, 'autocannon')]);
  await assertNoNewContainers(labelled, `after the denied create (LOG_LEVEL=${logLevel})`);
  const p = m.portcullis!;
  const pg = m.portcullisMethodGate!;
  const h = m.haproxy!;
  out.deniedCreate = {
    direct: null, portcullis: p, haproxy: h, portcullisMethodGate: pg, portcullisAutocannon: pa,
    ratios: { reqPerSec: ratio(p.reqPerSec, h.reqPerSec), p99: ratio(p.latencyMs.p99, h.latencyMs.p99), methodGateReqPerSec: ratio(pg.reqPerSec, h.reqPerSec), methodGateP99: ratio(pg.latencyMs.p99, h.latencyMs.p99) },
  };
  const peak = readPeakRssMB(pc.pid);
  console.log(`  Portcullis peak RSS during load (VmHWM): ${peak} MB`);
  peakRss[logLevel] = peak;
  await Promise.all([pc.stop(), pcOff.stop(), haOff.stop()]);
  for (const x of [pc, pcOff, ha, haOff]) countLines(`${x.child.stdoutFile.split('/').pop() ?? '?'}`, x.child.stdoutFile);
  return out as Record<ScenarioKey, ScenarioResult>;
}

/** Idle RSS, then RSS with 1,000 open /events streams through a fresh Portcullis (and haproxy, for comparison). */
async function measureMemory(work: string): Promise<Record<string, unknown>> {
  console.log('\nmemory');
  const pc = await startPortcullis({ repoRoot: REPO, env: { ...ALLOW_ENV, LOG_LEVEL: 'info' }, socketPath: SOCKET, workDir: work, name: 'portcullis-memory' });
  cleanups.push(() => pc.stop());
  await sleep(2000);
  const idleRssMB = readRssMB(pc.pid);
  const streams = await openEventStreams(pc.port, EVENT_STREAMS, 30_000);
  await sleep(5000);
  const rssWith1000EventsMB = readRssMB(pc.pid);
  // While the streams are open, an ordinary request must still be answered.
  const pingWhileOpen = await probe(pc.port, '/_ping', 5000);
  if (pingWhileOpen.status !== 200) problems.push(`Portcullis: GET /_ping got no answer within 5 s while ${streams.opened} /events streams were open (status ${String(pingWhileOpen.status)}): ordinary requests starve while streams hold the upstream pool`);
  streams.close();
  await sleep(2000);
  const rssAfterCloseMB = readRssMB(pc.pid);
  console.log(`  Portcullis idle ${idleRssMB} MB; with ${streams.opened}/${EVENT_STREAMS} /events streams ${rssWith1000EventsMB} MB; after close ${rssAfterCloseMB} MB; failures ${JSON.stringify(streams.failures)}`);
  if (streams.failed) problems.push(`Portcullis: only ${streams.opened}/${EVENT_STREAMS} /events streams got a 200 head: ${JSON.stringify(streams.failures)}`);
  await pc.stop();

  const ha = await startTecnativaHaproxy({ env: { ...ALLOW_ENV, LOG_LEVEL: 'info' }, socketPath: SOCKET, workDir: work, name: 'haproxy-memory' });
  cleanups.push(() => ha.stop());
  await sleep(1000);
  const haIdle = treeRssMB(ha.pid);
  const haStreams = await openEventStreams(ha.port, EVENT_STREAMS, 30_000);
  await sleep(5000);
  const haWith = treeRssMB(ha.pid);
  const haPing = await probe(ha.port, '/_ping', 5000);
  haStreams.close();
  console.log(`  haproxy (master+worker) idle ${haIdle} MB; with ${haStreams.opened}/${EVENT_STREAMS} streams ${haWith} MB`);
  await ha.stop();
  return {
    idleRssMB, rssWith1000EventsMB, rssAfterCloseMB, pingWhileStreamsOpen: pingWhileOpen, eventsOpened: streams.opened, eventsFailed: streams.failed, eventsFailures: streams.failures,
    perStreamKB: streams.opened ? Math.round(((rssWith1000EventsMB - idleRssMB) * 1024) / streams.opened) : null,
    haproxy: { idleRssMB: haIdle, rssWith1000EventsMB: haWith, pingWhileStreamsOpen: haPing, eventsOpened: haStreams.opened, failures: haStreams.failures },
  };
}

function countLines(name: string, file: string): void {
  try {
    logLines[name] = readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    logLines[name] = -1;
  }
}

function targets(res: Record<ScenarioKey, ScenarioResult>, mem: Record<string, unknown>): Record<string, unknown> {
  const t = (target: string, value: number | null, ok: (v: number) => boolean): { target: string; value: number | null; met: boolean } => ({ target, value, met: value !== null && ok(value) });
  return {
    pingReqPerSec: t('≥ 0.8× haproxy', res.ping.ratios.reqPerSec, (v) => v >= 0.8),
    containersListReqPerSec: t('≥ 1.0× haproxy', res.containersList.ratios.reqPerSec, (v) => v >= 1.0),
    containerInspectReqPerSec: t('≥ 1.0× haproxy', res.containerInspect.ratios.reqPerSec, (v) => v >= 1.0),
    pingP99: t('≤ 1.2× haproxy', res.ping.ratios.p99, (v) => v <= 1.2),
    containersListP99: t('≤ 1.2× haproxy', res.containersList.ratios.p99, (v) => v <= 1.2),
    containerInspectP99: t('≤ 1.2× haproxy', res.containerInspect.ratios.p99, (v) => v <= 1.2),
    idleRss: t('≤ 60 MB', mem.idleRssMB as number, (v) => v <= 60),
    rssWith1000Events: t(`≤ 150 MB with ${EVENT_STREAMS} streams open`, mem.eventsOpened === EVENT_STREAMS ? (mem.rssWith1000EventsMB as number) : null, (v) => v <= 150),
  };
}

function printTable(level: string, res: Record<ScenarioKey, ScenarioResult>): void {
  console.log(`\n${'scenario'.padEnd(18)}${'target'.padEnd(22)}${'req/s'.padStart(9)}${'p50'.padStart(7)}${'p99'.padStart(7)}${'non2xx'.padStart(9)}${'err'.padStart(6)}${'cpu µs/req'.padStart(12)}${'other CPU s'.padStart(13)}   (LOG_LEVEL=${level}, ms)`);
  for (const [key, r] of Object.entries(res)) {
    const rows: [string, LoadResult | null | undefined][] = [['direct', r.direct], ['portcullis', r.portcullis], ['portcullis autocannon', r.portcullisAutocannon], ['portcullis POST=0', r.portcullisMethodGate], ['haproxy' + (key === 'deniedCreate' ? ' POST=0' : ''), r.haproxy], ['node baseline', r.nodeBaseline]];
    for (const [name, x] of rows) {
      if (!x) continue;
      console.log(`${key.padEnd(18)}${name.padEnd(22)}${String(x.reqPerSec).padStart(9)}${String(x.latencyMs.p50).padStart(7)}${String(x.latencyMs.p99).padStart(7)}${String(x.non2xx).padStart(9)}${String(x.errors).padStart(6)}${String(x.proxyCpuMsPer1kReq ?? '-').padStart(12)}${String(x.contention.otherS).padStart(13)}`);
    }
    console.log(`${key.padEnd(18)}${'ratio P/H'.padEnd(22)}${String(r.ratios.reqPerSec).padStart(9)}${''.padStart(7)}${String(r.ratios.p99).padStart(7)}`);
  }
}

/** BENCH_CPU_PROF=<dir>: profile Portcullis under one scenario (BENCH_CPU_PROF_SCENARIO) and print the top self-time functions. */
async function profileOnly(dir: string, work: string, sc: Record<ScenarioKey, Scenario>): Promise<void> {
  const key = (process.env.BENCH_CPU_PROF_SCENARIO ?? 'containersList') as ScenarioKey;
  mkdirSync(dir, { recursive: true });
  const pc = await startPortcullis({ repoRoot: REPO, env: { ...ALLOW_ENV, LOG_LEVEL: LOG_LEVELS[0] ?? 'info' }, socketPath: SOCKET, workDir: work, name: 'portcullis-prof', nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  cleanups.push(() => pc.stop());
  await run('portcullis (profiled)', key, { kind: 'tcp', port: pc.port }, sc[key], pc.pid);
  await pc.stop();
  const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort().pop();
  if (!file) throw new Error(`no .cpuprofile written in ${dir} (did the proxy exit gracefully on SIGTERM?)`);
  console.log(`\ntop self time (${join(dir, file)}):`);
  for (const e of topSelfTime(join(dir, file), 15)) console.log(`  ${String(e.percent).padStart(5)}%  ${String(e.selfMs).padStart(8)} ms  ${e.fn}  ${e.location}`);
}

async function main(): Promise<void> {
  ensureTestImage();
  const work = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
  const ids: string[] = [];
  try {
    for (let i = 0; i < CONTAINERS; i++) {
      const r = await docker(['run', '-d', '--label', TEST_LABEL, '--label', `${RUN_LABEL_KEY}=${RUN_ID}`, TEST_IMAGE, 'sleep', '3600']);
      if (r.code !== 0) throw new Error(`docker run failed: ${r.stderr}`);
      ids.push(r.stdout.trim());
    }
    const labelled = CONTAINERS;
    await assertNoNewContainers(labelled, 'after starting the benchmark containers');
    const sc = scenarios(ids[0]!);
    if (process.env.BENCH_CPU_PROF) return await profileOnly(process.env.BENCH_CPU_PROF, work, sc);
    const started = Date.now();
    const load0 = loadavg();
    const memory = await measureMemory(work);
    const byLevel: Record<string, Record<ScenarioKey, ScenarioResult>> = {};
    for (const [i, level] of LOG_LEVELS.entries()) byLevel[level] = await runLevel(level, work, sc, i === 0, labelled);
    await assertNoNewContainers(labelled, 'at the end of the benchmark');
    const primary = LOG_LEVELS[0]!;
    const report = {
      generatedAt: new Date().toISOString(),
      machine: { ...machineInfo(), loadAvgAtStart: load0.map((x) => Math.round(x * 100) / 100), loadAvgAtEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
      config: {
        ...LOAD, rounds: ROUNDS, tool: 'autocannon 8 (programmatic, closed loop, keep-alive)', runningContainers: CONTAINERS, logLevels: LOG_LEVELS,
        primaryLogLevel: primary, portcullisEnv: ALLOW_ENV, haproxyEnv: ALLOW_ENV, eventStreams: EVENT_STREAMS, wallClockS: Math.round((Date.now() - started) / 1000),
        notes: [
          'direct = autocannon on /var/run/docker.sock (socketPath); portcullis = node bin/portcullis proxy on 127.0.0.1; haproxy = Debian haproxy rendering tecnativa v0.4.x logic on 127.0.0.1.',
          'deniedCreate: Portcullis runs with CONTAINERS=1 POST=1 and denies the privileged create by body inspection (403); haproxy-as-tecnativa with POST=1 would forward it (it would create containers), so haproxy runs with CONTAINERS=1 POST=0 and denies at its method gate (403, Connection: close). portcullisMethodGate = Portcullis with POST=0, the like-for-like comparison. direct is skipped (it would create containers). The create body carries a per-run label (portcullis.bench.run=<uuid>, plus portcullis.test=1); containers with that label are counted after every denied round and must stay at the 5 started by the run, else the benchmark fails (other sessions create portcullis.test containers concurrently, so the shared label cannot be counted).',
          'ping/containersList/containerInspect: autocannon; latencies are its histogram values in whole milliseconds (p50 0 means under 1 ms).',
          'deniedCreate: haproxy answers with its errorfile (HTTP/1.0, no Content-Length, ends at close), which autocannon 8 never counts (it reports 0 requests), so portcullis, portcullisMethodGate and haproxy are all measured with bench/lib/http-load.ts (node:http keep-alive agent, 32 loops, latency in µs shown as ms with decimals). This loader runs in the same process and is itself a bottleneck (roughly half autocannon\'s rate on /_ping), so compare deniedCreate figures only with each other. portcullisAutocannon is the Portcullis POST=1 deny measured with autocannon, for reference.',
          `results = proxies at LOG_LEVEL=${primary} (the default users run; targets judged here); resultsLogLevel<X> = the same at other levels. Both sides log per request at info (haproxy option httplog to stdout, Portcullis JSON access log), both to a file.`,
          'proxyCpuMsPer1kReq = proxy CPU (user+system, haproxy master+worker) per 1,000 requests during the measured runs, i.e. µs of CPU per request.',
          `Each target×scenario ran ${ROUNDS} rounds of ${LOAD.durationS} s (after a ${LOAD.warmupS} s warm-up each), interleaved across targets (a,b,c,a,b,c) to spread drift; req/s and latency percentiles are the mean of the rounds, rounds[] holds each one.`,
          'contention.otherS = busy CPU seconds of the machine during the runs that belong to neither this process, the proxy, dockerd nor containerd (other sessions on a shared machine). Large values mean the run was disturbed; the machine has only machine.cpus CPUs.',
          'nodeBaseline = bench/lib/baseline-proxy.ts, a minimal Node proxy (node:http + undici Pool.stream, regex allowlist, no logging, no policy engine): what Node itself costs on this machine, to tell Portcullis-specific overhead apart.',
        ],
      },
      results: byLevel[primary],
      ...Object.fromEntries(LOG_LEVELS.slice(1).map((l) => [`resultsLogLevel${l[0]!.toUpperCase()}${l.slice(1)}`, byLevel[l]])),
      memory,
      targets: targets(byLevel[primary]!, memory),
      ...Object.fromEntries(LOG_LEVELS.slice(1).map((l) => [`targetsLogLevel${l[0]!.toUpperCase()}${l.slice(1)}`, targets(byLevel[l]!, memory)])),
      portcullisPeakRssAfterLoadMB: peakRss,
      stdoutLines: logLines,
      problems,
    };
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
    for (const level of LOG_LEVELS) printTable(level, byLevel[level]!);
    console.log(`\nmemory: idle ${String(memory.idleRssMB)} MB, ${String(memory.eventsOpened)} /events streams ${String(memory.rssWith1000EventsMB)} MB`);
    console.log(`targets (LOG_LEVEL=${primary}):`);
    for (const [k, v] of Object.entries(report.targets)) console.log(`  ${k.padEnd(28)} ${JSON.stringify(v)}`);
    if (problems.length) console.log(`problems:\n  ${problems.join('\n  ')}`);
    console.log(`\nwrote ${OUT}`);
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    // Everything carrying this run's label: the five containers, and any create that leaked through.
    const mine = await docker(['ps', '-aq', '--filter', `label=${RUN_LABEL_KEY}=${RUN_ID}`]);
    const all = [...new Set([...ids, ...mine.stdout.split('\n').filter(Boolean)])];
    if (all.length) await docker(['rm', '-f', ...all]);
    if (process.env.BENCH_KEEP_LOGS) console.log(`logs kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

await main();
