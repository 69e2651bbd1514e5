// `npm run bench:audit`: 1,000 generated compose files through portcullis audit and dclint, plus a live host with 200 containers.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ALL_RULES, auditCompose, auditHostSnapshot, collectHost, type AuditReport } from '../src/audit/index.js';
import { fsReader } from '../src/cli/audit.js';
import { DockerClient } from '../src/docker/index.js';
import { ensureTestImage, TEST_IMAGE } from '../test/helpers/docker-cli.js';

const run = promisify(execFile);
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(REPO, 'bench', 'results', 'audit.json');
const FILES = Number(process.env.BENCH_AUDIT_FILES ?? 1000);
const CONTAINERS = Number(process.env.BENCH_AUDIT_CONTAINERS ?? 200);
const HOST_RUNS = 3;
const CREATE_CONCURRENCY = 8;
const DCLINT = join(REPO, 'node_modules', '.bin', 'dclint');

const IMAGES = ['postgres:16.4', 'redis:latest', 'nginx:1.27', 'acme/app:1.2.3', 'prom/prometheus:v3.1.0', 'traefik:v3.2.1', 'mysql:8', 'grafana/grafana:11.4.0'];
const PORTS = ['"8080:8080"', '"127.0.0.1:5432:5432"', '"[::1]:6379:6379"', '"9090"', '"3000-3005:3000-3005"', '"53:53/udp"', '{target: 80, published: "8081", host_ip: 127.0.0.1}', '"${BIND:-127.0.0.1}:9229:9229"'];

/** A deterministic pseudo-random compose file with 3–8 services. */
function composeFile(i: number): string {
  let seed = i * 2654435761;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const lines = ['# generated for bench/audit.bench.ts', 'services:'];
  const count = 3 + rnd(6);
  for (let s = 0; s < count; s++) {
    lines.push(`  svc${s}:`, `    image: ${IMAGES[rnd(IMAGES.length)] ?? 'x'}`, '    restart: unless-stopped');
    if (rnd(2)) lines.push('    ports:', `      - ${PORTS[rnd(PORTS.length)] ?? '"80"'}`, `      - ${PORTS[rnd(PORTS.length)] ?? '"81"'}`);
    if (rnd(4) === 0) lines.push('    privileged: true');
    if (rnd(5) === 0) lines.push('    volumes:', '      - /var/run/docker.sock:/var/run/docker.sock:ro', '      - ./data:/data');
    if (rnd(3) === 0) lines.push('    environment:', `      DB_PASSWORD: ${rnd(2) ? 'changeme' : '${DB_PASSWORD}'}`, '      LOG_LEVEL: info');
    if (rnd(3) === 0) lines.push('    networks: [back]');
    if (rnd(4) === 0) lines.push('    healthcheck:', '      test: ["CMD", "true"]');
  }
  lines.push('networks:', '  back:');
  return `${lines.join('\n')}\n`;
}

function ms(ns: bigint): number {
  return Math.round(Number(ns) / 1e4) / 100;
}

function benchCompose(dir: string, files: string[]): Record<string, unknown> {
  // Warm-up (JIT) on a few files, then the timed pass over all of them.
  for (const f of files.slice(0, 20)) auditCompose({ files: [f], cwd: dir, env: {}, reader: fsReader });
  let findings = 0;
  let errors = 0;
  const t0 = process.hrtime.bigint();
  for (const f of files) {
    const r = auditCompose({ files: [f], cwd: dir, env: {}, reader: fsReader });
    findings += r.findings.length;
    errors += r.errors.length;
  }
  const total = process.hrtime.bigint() - t0;
  return { files: files.length, totalMs: ms(total), perFileMs: ms(total / BigInt(files.length)), findings, errors, rules: ALL_RULES.filter((r) => r.modes.includes('compose')).length, mode: 'in-process (one Node process, files read from disk)' };
}

/** Runs dclint with a JSON report written to a file (its stdout is cut short when piped); exit 1 means findings. */
async function dclint(files: string[], out: string): Promise<void> {
  await run(DCLINT, ['-f', 'json', '-o', out, ...files], { maxBuffer: 64 * 1024 * 1024 }).catch((e: { code?: number }) => {
    if (e.code !== 1) throw e as Error;
  });
}

async function benchDclint(dir: string, files: string[]): Promise<Record<string, unknown>> {
  const out = join(dir, 'dclint.json');
  const t1 = process.hrtime.bigint();
  await dclint(files.slice(0, 1), out);
  const startup = process.hrtime.bigint() - t1;
  const t0 = process.hrtime.bigint();
  await dclint(files, out);
  const total = process.hrtime.bigint() - t0;
  const parsed = JSON.parse(readFileSync(out, 'utf8')) as { messages: unknown[] }[];
  const perFile = total / BigInt(files.length);
  const perFileNoStartup = (total - startup) / BigInt(files.length);
  return {
    files: parsed.length, totalMs: ms(total), perFileMs: ms(perFile), perFileMsExcludingStartup: ms(perFileNoStartup), startupMs: ms(startup),
    findings: parsed.reduce((n, r) => n + r.messages.length, 0), rules: 15, mode: 'one dclint process over all files (-f json)',
  };
}

async function benchHost(): Promise<Record<string, unknown>> {
  ensureTestImage();
  const docker = DockerClient.fromDockerHost(undefined);
  const runId = `ab${process.pid}${Date.now().toString(36)}`;
  const labels = { 'portcullis.test': '1', 'portcullis.test.run': runId };
  const ids: string[] = [];
  try {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < CONTAINERS; i += CREATE_CONCURRENCY) {
      const batch = Array.from({ length: Math.min(CREATE_CONCURRENCY, CONTAINERS - i) }, (_v, k) => i + k);
      const created = await Promise.all(batch.map((n) => docker.createContainer({
        Image: TEST_IMAGE, Cmd: ['sleep', '60'], Labels: labels,
        HostConfig: { Privileged: n % 10 === 0, CapAdd: n % 7 === 0 ? ['NET_ADMIN'] : [], PortBindings: n % 3 === 0 ? { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } : {}, Binds: n % 11 === 0 ? ['/var/run/docker.sock:/var/run/docker.sock:ro'] : [] },
      })));
      ids.push(...created.map((c) => c.Id));
    }
    const createMs = ms(process.hrtime.bigint() - t0);
    const runs: { collectMs: number; auditMs: number; findings: number }[] = [];
    let last: AuditReport | undefined;
    for (let r = 0; r < HOST_RUNS; r++) {
      const c0 = process.hrtime.bigint();
      const snap = await collectHost(docker, { labels: [`portcullis.test.run=${runId}`] });
      const c1 = process.hrtime.bigint();
      last = auditHostSnapshot(snap, { hostName: 'bench' });
      const c2 = process.hrtime.bigint();
      runs.push({ collectMs: ms(c1 - c0), auditMs: ms(c2 - c1), findings: last.findings.length });
    }
    const median = [...runs].sort((a, b) => a.collectMs + a.auditMs - (b.collectMs + b.auditMs))[Math.floor(HOST_RUNS / 2)]!;
    return { containers: ids.length, createMs, runs, medianTotalMs: Math.round((median.collectMs + median.auditMs) * 100) / 100, median, rules: ALL_RULES.filter((x) => x.modes.includes('host')).length, findings: last?.findings.length ?? 0 };
  } finally {
    for (let i = 0; i < ids.length; i += CREATE_CONCURRENCY) {
      await Promise.all(ids.slice(i, i + CREATE_CONCURRENCY).map((id) => docker.removeContainer(id, { force: true }).catch(() => undefined)));
    }
    await docker.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-audit-bench-'));
  try {
    const files: string[] = [];
    for (let i = 0; i < FILES; i++) {
      const sub = join(dir, `p${String(i).padStart(4, '0')}`);
      mkdirSync(sub);
      const f = join(sub, 'compose.yaml');
      writeFileSync(f, composeFile(i));
      files.push(f);
    }
    const portcullis = benchCompose(dir, files);
    process.stdout.write(`portcullis compose: ${JSON.stringify(portcullis)}\n`);
    const dclintResult = await benchDclint(dir, files);
    process.stdout.write(`dclint: ${JSON.stringify(dclintResult)}\n`);
    const host = await benchHost();
    process.stdout.write(`live host: ${JSON.stringify(host)}\n`);
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', kernel: release(), node: process.version },
      compose: { portcullis, dclint: dclintResult },
      host,
    };
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`wrote ${OUT}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
