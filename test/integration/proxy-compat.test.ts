// Same requests, same environments: haproxy configured like tecnativa vs `portcullis proxy`; only documented deviations may differ.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE, TEST_LABEL, docker } from '../helpers/docker-cli.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHaproxyConfig, renderTecnativaConfig, startHaproxy } from '../helpers/haproxy.js';
import { buildRequest, proxyBuilt, rawExchange, startProxyProcess, type RawResponse } from '../helpers/proxy-process.js';

/**
 * Mirrors the table of docs/proxy-compat.md. A request may be allowed by tecnativa and denied by
 * Portcullis only when it names one of these ids; any other difference fails the suite, and
 * Portcullis allowing what tecnativa denies always fails.
 */
const DEVIATIONS = {
  C1: 'path only starts like a section (/containersXYZ): not a Docker route',
  C2: 'upper/mixed-case path: dockerd routes case-sensitively',
  C3: 'non-canonical path (/../, %2e%2e): dockerd 301s to a route nobody judged',
  C4: 'method dockerd has no route for (HEAD off /_ping and archive, OPTIONS, PATCH, PUT, lower-case)',
  C5: 'suffix classification: /containers/web/start/exec is exec-create, not start',
  C6: 'GET /swarm and /swarm/unlockkey leak join tokens / unlock key: ALLOW_SWARM_SECRETS',
  C7: 'image and container export: ALLOW_EXPORT',
  C8: 'GET/HEAD container archive reads files: ALLOW_ARCHIVE_READ',
  C9: 'attach/ws writes stdin: ALLOW_ATTACH_WS and POST=1',
  C10: 'create/update/exec bodies asking for host root are checked',
  C11: 'build networkmode=host / remote URL, image import fromSrc URL',
  C12: 'form-encoded bodies can override the judged query',
  C13: 'Origin / Sec-Fetch-* / foreign Host (CSRF, DNS rebinding)',
  C14: 'malformed targets (absolute-form, bad escapes)',
  C15: 'Upgrade on a non-hijack route (fake-upgrade smuggling)',
  C16: 'inspected body over MAX_BODY_BYTES',
} as const;
type DeviationId = keyof typeof DEVIATIONS;

const SUITE_LABEL = 'portcullis.test.suite=proxy-compat';
const CONTAINER = `pc-compat-${process.pid}`;
let seq = 0;
const uniq = (): string => `pc-compat-${process.pid}-${++seq}`;
const labels = { 'portcullis.test': '1', 'portcullis.test.suite': 'proxy-compat' };
const MISSING_IMAGE = 'portcullis-test/doesnotexist:none';

interface Probe {
  method: string;
  target: string;
  headers?: Record<string, string>;
  /** JSON body (a function when each send needs a fresh name). */
  json?: unknown;
  body?: string;
  /** Streams and exports: judge on the response head only. */
  headOnly?: boolean;
  /** Tecnativa allows, Portcullis denies, for this documented reason. */
  deviation?: DeviationId;
}

const P = (method: string, target: string, extra: Omit<Probe, 'method' | 'target'> = {}): Probe => ({ method, target, ...extra });
const c = CONTAINER;
const img = TEST_IMAGE;

/** Every request is harmless: reads, writes against ids that do not exist, or labelled creates removed afterwards. */
const PROBES: Probe[] = [
  // system
  P('GET', '/_ping'), P('HEAD', '/_ping'), P('GET', '/v1.41/_ping'), P('GET', '/version'), P('GET', '/v1.41/version'),
  P('GET', '/info'), P('GET', '/v1.41/info'), P('GET', '/system/df'), P('GET', '/events?since=1&until=2'),
  P('GET', '/v1.41/events?since=1&until=2'), P('POST', '/auth', { json: { serveraddress: '127.0.0.1:1' } }),
  // containers: reads on a real labelled container
  P('GET', '/containers/json'), P('GET', '/v1.41/containers/json?all=1'), P('GET', `/containers/${c}/json`),
  P('GET', `/v1.41/containers/${c}/logs?stdout=1&tail=1`), P('GET', `/containers/${c}/top`), P('GET', `/containers/${c}/changes`),
  P('GET', `/containers/${c}/stats?stream=0&one-shot=1`), P('GET', `/containers/${c}/export`, { headOnly: true, deviation: 'C7' }),
  P('GET', `/containers/${c}/archive?path=/etc/hostname`, { deviation: 'C8' }),
  P('HEAD', `/containers/${c}/archive?path=/etc/hostname`, { deviation: 'C8' }),
  P('GET', '/containers/doesnotexist/attach/ws?stream=1', { deviation: 'C9' }),
  // containers: writes that change nothing
  P('POST', `/containers/create?name=${uniq()}`, { json: { Image: MISSING_IMAGE, Labels: labels } }),
  P('POST', '/containers/create', { json: { Image: MISSING_IMAGE, Labels: labels, HostConfig: { Privileged: true } }, deviation: 'C10' }),
  P('POST', '/containers/create', { json: { Image: MISSING_IMAGE, Labels: labels, HostConfig: { Binds: ['/:/host'] } }, deviation: 'C10' }),
  P('POST', '/containers/doesnotexist/start'), P('POST', '/v1.41/containers/doesnotexist/stop'), P('POST', '/containers/doesnotexist/restart'),
  P('POST', '/containers/doesnotexist/kill'), P('POST', '/containers/doesnotexist/kill?signal=KILL'), P('POST', '/containers/doesnotexist/pause'),
  P('POST', '/containers/doesnotexist/unpause'), P('POST', '/containers/doesnotexist/wait'), P('POST', '/containers/doesnotexist/resize?h=10&w=10'),
  P('POST', '/containers/doesnotexist/rename?name=pc-compat-never'),
  P('POST', '/containers/doesnotexist/update', { json: { RestartPolicy: { Name: 'no' } } }),
  P('POST', '/containers/doesnotexist/update', { json: { Privileged: true }, deviation: 'C10' }),
  P('POST', '/containers/doesnotexist/exec', { json: { Cmd: ['true'] } }),
  P('POST', '/containers/doesnotexist/exec', { json: { Cmd: ['true'], Privileged: true }, deviation: 'C10' }),
  P('POST', '/containers/doesnotexist/attach?stream=1&stdout=1', { headers: { Connection: 'Upgrade', Upgrade: 'tcp' } }),
  P('PUT', '/containers/doesnotexist/archive?path=/tmp', { headers: { 'Content-Type': 'application/x-tar' }, body: '' }),
  P('DELETE', '/containers/doesnotexist'), P('POST', '/commit?container=doesnotexist'),
  P('POST', '/containers/doesnotexist/start', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=b', deviation: 'C12' }),
  // ALLOW_START / ALLOW_STOP / ALLOW_RESTARTS edges
  P('POST', '/containers/doesnotexist/startx', { deviation: 'C1' }),
  P('POST', '/v1.41/containers/web/start/exec', { json: { Cmd: ['true'] }, deviation: 'C5' }),
  P('POST', '/containers/web/db/start'), P('POST', '/containers/web/db/kill'),
  // exec
  P('GET', '/exec/doesnotexist/json'), P('POST', '/exec/doesnotexist/start', { json: { Detach: true } }),
  P('POST', '/exec/doesnotexist/resize?h=1&w=1'),
  // images
  P('GET', '/images/json'), P('GET', `/images/${img}/json`), P('GET', `/images/${img}/history`),
  P('GET', `/images/get?names=${img}`, { headOnly: true, deviation: 'C7' }), P('GET', `/images/${img}/get`, { headOnly: true, deviation: 'C7' }),
  P('POST', '/images/doesnotexist/tag?repo=pc-compat-never&tag=x'), P('DELETE', `/images/${MISSING_IMAGE}`),
  P('POST', '/images/create?fromSrc=http://127.0.0.1:1/x.tar&repo=pc-compat-never', { headOnly: true, deviation: 'C11' }),
  // build, session, grpc
  P('POST', '/build?remote=http://127.0.0.1:1/ctx.tar&networkmode=host', { headOnly: true, deviation: 'C11' }),
  P('POST', '/build/cancel?id=doesnotexist'), P('POST', '/session'), P('POST', '/grpc'),
  // networks
  P('GET', '/networks'), P('GET', '/networks/'), P('GET', '/networks/bridge'),
  P('POST', '/networks/create', { json: () => ({ Name: uniq(), Labels: labels }) }),
  P('POST', '/networks/doesnotexist/connect', { json: { Container: 'doesnotexist' } }),
  P('POST', '/networks/doesnotexist/disconnect', { json: { Container: 'doesnotexist' } }), P('DELETE', '/networks/doesnotexist'),
  // volumes
  P('GET', '/volumes'), P('GET', '/volumes/doesnotexist'), P('POST', '/volumes/create', { json: () => ({ Name: uniq(), Labels: labels }) }),
  P('DELETE', '/volumes/doesnotexist'), P('PUT', '/volumes/doesnotexist', { json: {} }),
  // swarm family (this node is not in a swarm: dockerd answers 503)
  P('GET', '/swarm', { deviation: 'C6' }), P('GET', '/swarm/unlockkey', { deviation: 'C6' }), P('POST', '/swarm/unlock', { json: { UnlockKey: 'x' } }),
  P('GET', '/services'), P('GET', '/services/doesnotexist'), P('GET', '/tasks'), P('GET', '/nodes'), P('GET', '/secrets'),
  P('GET', '/configs'), P('GET', '/configs/doesnotexist'), P('GET', '/plugins'), P('GET', '/plugins/doesnotexist/json'),
  P('GET', '/distribution/127.0.0.1:1/nope/json'),
  // path tricks
  P('GET', '/containersXYZ', { deviation: 'C1' }), P('GET', '/version_x', { deviation: 'C1' }), P('GET', '/infoanything', { deviation: 'C1' }),
  P('GET', '/_pingx', { deviation: 'C1' }), P('GET', '/containers/json/', { deviation: 'C1' }),
  P('GET', '/CONTAINERS/json', { deviation: 'C2' }), P('GET', '/Containers/json', { deviation: 'C2' }), P('GET', '/V1.41/version', { deviation: 'C2' }),
  P('GET', '//containers/json'), P('GET', '/./containers/json'), P('GET', '/v1.41//containers/json'),
  P('GET', '/containers/x/../json', { deviation: 'C3' }), P('GET', '/containers/%2e%2e/json', { deviation: 'C3' }),
  P('GET', '/v1.41./containers/json'), P('GET', '/v%31.41/containers/json'), P('GET', '/v1.41/containers%2Fjson'),
  P('GET', '/v1.041/containers/json'), P('GET', '/v1..41/containers/json'), P('GET', '/v1/version'), P('GET', '/v1.99/version'),
  P('GET', '/libpod/containers/json'), P('GET', '/debug/vars'), P('GET', '/debug/pprof/heap'), P('GET', '/'),
  P('GET', '/containers/json%zz'), P('GET', 'http://127.0.0.1/containers/json', { headers: { Host: '127.0.0.1' }, deviation: 'C14' }),
  // transport
  P('GET', '/containers/json', { headers: { Origin: 'http://evil.example' }, deviation: 'C13' }),
  P('GET', '/_ping', { headers: { 'Sec-Fetch-Site': 'cross-site' }, deviation: 'C13' }),
  P('GET', '/version', { headers: { Host: 'rebind.evil.example' }, deviation: 'C13' }),
  P('GET', '/_ping', { headers: { Connection: 'Upgrade', Upgrade: 'tcp' }, deviation: 'C15' }),
  // methods
  P('HEAD', '/containers/json', { deviation: 'C4' }), P('HEAD', '/version', { deviation: 'C4' }), P('OPTIONS', '/containers/json', { deviation: 'C4' }),
  P('PATCH', '/containers/json', { deviation: 'C4' }), P('PUT', '/containers/json', { deviation: 'C4' }), P('DELETE', '/version', { deviation: 'C4' }),
  P('get', '/_ping', { deviation: 'C4' }), P('POST', '/_ping', { deviation: 'C4' }), P('POST', '/containers/json', { deviation: 'C4' }),
];

/** The environments compared (each on top of tecnativa's defaults EVENTS=1 PING=1 VERSION=1). */
const CONFIGS: Record<string, string>[] = [
  {},
  { CONTAINERS: '1' },
  { CONTAINERS: '1', POST: '1' },
  { NETWORKS: '1', POST: '1' },
  { ALLOW_START: '1', POST: '1' },
  { ALLOW_STOP: '1', ALLOW_RESTARTS: '1', POST: '1' },
  { ALLOW_RESTARTS: '1' },
  { IMAGES: '1', INFO: '1', VOLUMES: '1' },
  { IMAGES: '1', BUILD: '1', VOLUMES: '1', POST: '1' },
  { SWARM: '1', SERVICES: '1', TASKS: '1', NODES: '1', SECRETS: '1', CONFIGS: '1', PLUGINS: '1', SYSTEM: '1' },
  { EXEC: '1', CONTAINERS: '1', POST: '1' },
  { POST: '1', PING: '0', EVENTS: '0', VERSION: '0' },
  { CONTAINERS: 'true', IMAGES: 'yes', NETWORKS: '01', INFO: '2', VOLUMES: '1x', SYSTEM: ' 1', POST: 'TRUE' },
  { CONTAINERS: '2', POST: '01', ALLOW_START: '1x' },
];

type Outcome = 'deny' | 'pass' | 'error';

function outcome(r: RawResponse): Outcome {
  if (r.status === 0) return 'error';
  // HEAD answers carry no body: a 400/403 that dockerd did not write (no Api-Version, no Server) is the proxy's
  if (r.body === '' && [400, 403, 413].includes(r.status) && !r.headers['api-version'] && !r.headers.server?.startsWith('Docker/')) return 'deny';
  if (/^<html><body><h1>(400|403|405|408|501)/.test(r.body)) return 'deny'; // haproxy's own pages
  if (/^\{\s*"message"\s*:\s*"portcullis: /.test(r.body)) return [502, 503, 504].includes(r.status) ? 'error' : 'deny';
  if (/^<html>/.test(r.body)) return 'error';
  return 'pass';
}

function send(port: number, p: Probe): Promise<RawResponse> {
  const json: unknown = typeof p.json === 'function' ? (p.json as () => unknown)() : p.json;
  const bytes = buildRequest(p.method, p.target, {
    host: p.headers?.Host ?? `127.0.0.1:${port}`,
    headers: { ...Object.fromEntries(Object.entries(p.headers ?? {}).filter(([k]) => k !== 'Host')), Connection: p.headers?.Connection ?? 'close' },
    ...(json !== undefined ? { json } : {}),
    ...(p.body !== undefined ? { body: p.body } : {}),
  });
  return rawExchange(port, bytes, { headOnly: (p.headOnly ?? false) || p.method === 'HEAD', timeoutMs: 15_000 });
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

const describeBuilt = proxyBuilt() ? describe : describe.skip;
const observed = new Map<DeviationId, Set<string>>();

describeBuilt('portcullis proxy answers like tecnativa/docker-socket-proxy', () => {
  beforeAll(async () => {
    const r = await docker(['run', '-d', '--name', CONTAINER, '--label', TEST_LABEL, '--label', SUITE_LABEL, TEST_IMAGE, 'sleep', '3600']);
    if (r.code !== 0) throw new Error(`cannot start the test container: ${r.stderr}`);
  });

  afterAll(async () => {
    await docker(['rm', '-f', CONTAINER]);
    const nets = (await docker(['network', 'ls', '-q', '--filter', `label=${SUITE_LABEL}`])).stdout.split('\n').filter(Boolean);
    if (nets.length) await docker(['network', 'rm', ...nets]);
    const vols = (await docker(['volume', 'ls', '-q', '--filter', `label=${SUITE_LABEL}`])).stdout.split('\n').filter(Boolean);
    if (vols.length) await docker(['volume', 'rm', '-f', ...vols]);
    const summary = [...observed].sort(([x], [y]) => Number(x.slice(1)) - Number(y.slice(1))).map(([id, where]) => `${id} (${DEVIATIONS[id]}): ${where.size} cases, e.g. ${[...where].slice(0, 4).join('; ')}`);
    const unseen = (Object.keys(DEVIATIONS) as DeviationId[]).filter((id) => !observed.has(id));
    console.log(`tecnativa deviations observed:\n${summary.join('\n')}\nlisted but not observed here: ${unseen.join(', ')}`);
  });

  it('the rendered tecnativa config passes haproxy -c', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-hap-check-'));
    try {
      const cfg = join(dir, 'haproxy.cfg');
      writeFileSync(cfg, renderTecnativaConfig(2375));
      const r = await checkHaproxyConfig(cfg, {});
      expect(r.output).toMatch(/Configuration file is valid/);
      expect(r.ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends at least 60 distinct requests', () => {
    expect(new Set(PROBES.map((p) => `${p.method} ${p.target}`)).size).toBeGreaterThanOrEqual(60);
  });

  for (const env of CONFIGS) {
    const name = Object.keys(env).length ? Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ') : 'defaults';
    it(`gives tecnativa's allow/deny answer under ${name}, except documented deviations`, async () => {
      const [hap, pc] = await Promise.all([startHaproxy(env), startProxyProcess(env)]);
      try {
        const [a, b] = await Promise.all([pool(PROBES, 12, (p) => send(hap.port, p)), pool(PROBES, 12, (p) => send(pc.port, p))]);
        const problems: string[] = [];
        PROBES.forEach((p, i) => {
          const t = outcome(a[i]!);
          const o = outcome(b[i]!);
          const what = `${p.method} ${p.target}${p.headers ? ` ${JSON.stringify(p.headers)}` : ''}`;
          if (t === 'error' || o === 'error') {
            problems.push(`${what}: error (tecnativa ${a[i]!.status}, portcullis ${b[i]!.status} ${b[i]!.body.slice(0, 120)})`);
          } else if (t === o) {
            return;
          } else if (t === 'pass' && o === 'deny' && p.deviation) {
            const set = observed.get(p.deviation) ?? new Set<string>();
            set.add(`${what} [${name}]`);
            observed.set(p.deviation, set);
          } else {
            problems.push(`${what}: tecnativa ${t} (${a[i]!.status}), portcullis ${o} (${b[i]!.status} ${b[i]!.body.slice(0, 160)})`);
          }
        });
        expect(problems).toEqual([]);
      } finally {
        await Promise.all([hap.stop(), pc.stop()]);
      }
    });
  }
});
