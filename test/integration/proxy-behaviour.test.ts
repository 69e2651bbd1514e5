// `portcullis proxy` as a process: unix listener, upstream failures, timeouts, observe mode, logs, metrics, shutdown.
import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE, TEST_LABEL, docker } from '../helpers/docker-cli.js';
import { buildRequest, proxyBuilt, rawExchange, startProxyProcess, type ProxyProcess } from '../helpers/proxy-process.js';

const SUITE_LABEL = 'portcullis.test.suite=proxy-behaviour';
const DIR = mkdtempSync(join(tmpdir(), 'pc-behaviour-'));
const get = (target: string, headers: Record<string, string> = {}): string => buildRequest('GET', target, { host: 'localhost', headers: { Connection: 'close', ...headers } });

/** Opens a streaming GET and collects what arrives; `close()` ends it. */
function openStream(port: number, target: string): { data: () => string; closed: () => boolean; close: () => void; socket: Socket } {
  let buf = '';
  let isClosed = false;
  const socket = connect({ port, host: '127.0.0.1' }, () => socket.write(buildRequest('GET', target, { host: 'localhost' })));
  socket.on('data', (d: Buffer) => (buf += d.toString('latin1')));
  socket.on('close', () => (isClosed = true));
  socket.on('error', () => undefined);
  return { data: () => buf, closed: () => isClosed, close: () => socket.destroy(), socket };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitUntil(pred: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (pred()) return true;
    await sleep(50);
  }
  return pred();
}

const describeBuilt = proxyBuilt() ? describe : describe.skip;

describeBuilt('portcullis proxy process behaviour', () => {
  let main: ProxyProcess;
  let observe: ProxyProcess;
  let unixProxy: ProxyProcess;
  let missing: ProxyProcess;
  let words: ProxyProcess;
  const unixPath = join(DIR, 'proxy.sock');

  beforeAll(async () => {
    [main, observe, unixProxy, missing, words] = await Promise.all([
      startProxyProcess({ CONTAINERS: '1', POST: '1', METRICS_LISTEN: '127.0.0.1:0' }),
      startProxyProcess({ MODE: 'observe' }),
      startProxyProcess({ LISTEN: `unix:${unixPath}` }),
      startProxyProcess({ SOCKET_PATH: join(DIR, 'no-such-docker.sock'), METRICS_LISTEN: '127.0.0.1:0' }),
      startProxyProcess({ CONTAINERS: 'true', IMAGES: 'yes' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([main, observe, unixProxy, missing, words].map((p) => p?.stop()));
    const ids = (await docker(['ps', '-aq', '--filter', `label=${SUITE_LABEL}`])).stdout.split('\n').filter(Boolean);
    if (ids.length) await docker(['rm', '-f', ...ids]);
    rmSync(DIR, { recursive: true, force: true });
  });

  it('a unix listener is created with mode 0660 and serves requests', async () => {
    expect(unixProxy.address).toBe(`unix:${unixPath}`);
    expect(statSync(unixPath).mode & 0o777).toBe(0o660);
    const r = await rawExchange(0, get('/_ping'), { socketPath: unixPath });
    expect(r.status).toBe(200);
    expect(r.body).toBe('OK');
  });

  it('a missing upstream socket answers 502 with a message naming it, and /healthz says 503', async () => {
    const r = await rawExchange(missing.port, get('/_ping'));
    expect(r.status).toBe(502);
    expect(r.body).toContain('no-such-docker.sock');
    const h = await rawExchange(missing.metricsPort!, get('/healthz'));
    expect(h.status).toBe(503);
    const ok = await rawExchange(main.metricsPort!, get('/healthz'));
    expect(ok.status).toBe(200);
  });

  it('a denial is a 403 JSON body the docker CLI can print', async () => {
    const r = await rawExchange(main.port, get('/v1.41/images/json'));
    expect(r.status).toBe(403);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(r.body)).toEqual({ message: expect.stringMatching(/^portcullis: denied image\.list: .+/) });
  });

  it('logs one JSON line per request with operation, decision, rule, status and duration', async () => {
    await rawExchange(main.port, get('/v1.41/containers/json?all=1'));
    await rawExchange(main.port, get('/v1.41/info'));
    const allow = await main.waitForLog((l) => l.operation === 'container.list');
    expect(allow).toMatchObject({ decision: 'allow', status: 200 });
    expect(typeof allow.rule).toBe('string');
    expect(typeof allow.durationMs).toBe('number');
    const deny = await main.waitForLog((l) => l.operation === 'system.info');
    expect(deny).toMatchObject({ decision: 'deny', status: 403 });
  });

  it('access logs never contain a request body, an Authorization value, a registry auth or the query', async () => {
    const env = { Image: 'portcullis-test/doesnotexist:none', Env: ['PASSWORD=hunter2'], Labels: { 'portcullis.test': '1' } };
    const headers = { Authorization: 'Bearer secret-xyz', 'X-Registry-Auth': 'c2VjcmV0LXJlZ2lzdHJ5LWF1dGg=', Connection: 'close' };
    const a = await rawExchange(main.port, buildRequest('POST', '/v1.41/containers/create?name=pc-hunter2-name', { host: 'localhost', headers, json: env }));
    expect(a.status).toBe(404);
    const d = await rawExchange(main.port, buildRequest('POST', '/v1.41/containers/create', { host: 'localhost', headers, json: { ...env, HostConfig: { Privileged: true } } }));
    expect(d.status).toBe(403);
    await rawExchange(main.port, get('/v1.41/containers/json?filters=%7B%22label%22%3A%5B%22hunter2q%22%5D%7D', { Authorization: 'Basic c2VjcmV0LXh5eg==' }));
    await main.waitForLog((l) => l.operation === 'container.list' && l.path === '/v1.41/containers/json', 3000).catch(() => undefined);
    await sleep(200);
    const all = main.stdout() + main.stderr();
    for (const secret of ['secret-xyz', 'hunter2', 'c2VjcmV0', 'PASSWORD']) expect(all).not.toContain(secret);
  });

  it('/metrics exposes request counters by operation and decision', async () => {
    await rawExchange(main.port, get('/_ping'));
    const m = await rawExchange(main.metricsPort!, get('/metrics'));
    expect(m.status).toBe(200);
    expect(m.body).toMatch(/^portcullis_proxy_requests_total\{[^}]*operation="system\.ping"[^}]*\} \d+/m);
    expect(m.body).toMatch(/^portcullis_proxy_requests_total\{[^}]*decision="deny"[^}]*\} \d+/m);
    expect(m.body).toContain('portcullis_proxy_request_duration_seconds');
  });

  it('MODE=observe lets a denied read through and logs observe-deny', async () => {
    const r = await rawExchange(observe.port, get('/v1.41/containers/json'));
    expect(r.status).toBe(200);
    const line = await observe.waitForLog((l) => l.operation === 'container.list');
    expect(line.decision).toBe('observe-deny');
  });

  it('MODE=observe still refuses malformed requests', async () => {
    const r = await rawExchange(observe.port, get('/v1.41/containers/json%zz'));
    expect(r.status).toBe(400);
  });

  it('CONTAINERS=true is read as false like tecnativa, with a start-up warning', async () => {
    const r = await rawExchange(words.port, get('/v1.41/containers/json'));
    expect(r.status).toBe(403);
    expect(words.logs.some((l) => l.variable === 'CONTAINERS' || String(l.msg).includes('CONTAINERS=true'))).toBe(true);
  });

  it('logs the compatibility warning once per rule, not once per request', async () => {
    for (let i = 0; i < 3; i++) await rawExchange(main.port, get('/containersXYZ'));
    await main.waitForLog((l) => String(l.msg).startsWith('compatibility'), 3000);
    const warns = main.logs.filter((l) => String(l.msg).startsWith('compatibility') && l.rule === main.logs.find((x) => String(x.msg).startsWith('compatibility'))?.rule);
    expect(warns).toHaveLength(1);
  });

  describe('timeouts', () => {
    it.concurrent('never times out /events or logs -f: both streams still deliver after 12 s of silence', async () => {
      const run = await docker(['run', '-d', '--label', TEST_LABEL, '--label', SUITE_LABEL, TEST_IMAGE, 'sh', '-c', 'echo begin; sleep 12; echo after-silence; sleep 60']);
      expect(run.code).toBe(0);
      const id = run.stdout.trim();
      const logs = openStream(main.port, `/v1.41/containers/${id}/logs?follow=1&stdout=1`);
      const since = Math.floor(Date.now() / 1000);
      const events = openStream(main.port, `/v1.41/events?since=${since}&filters=%7B%22label%22%3A%5B%22${encodeURIComponent(SUITE_LABEL)}%22%5D%2C%22event%22%3A%5B%22destroy%22%5D%7D`);
      try {
        expect(await waitUntil(() => logs.data().includes('begin'), 5000)).toBe(true);
        await sleep(12_500);
        expect(events.closed()).toBe(false);
        const delivered = await waitUntil(() => logs.data().includes('after-silence'), 5000);
        expect({ delivered, closed: logs.closed(), tail: logs.data().slice(-300) }).toMatchObject({ delivered: true, closed: false });
        expect(logs.closed()).toBe(false);
        await docker(['rm', '-f', id]);
        expect(await waitUntil(() => events.data().includes('"destroy"'), 5000)).toBe(true);
      } finally {
        logs.close();
        events.close();
      }
    }, 40_000);

    it.concurrent('cuts a request head that trickles in for more than 10 s (slowloris)', async () => {
      const s = connect({ port: main.port, host: '127.0.0.1' });
      const t0 = Date.now();
      let got = '';
      let closedAt = 0;
      s.on('data', (d: Buffer) => (got += d.toString()));
      s.on('close', () => (closedAt = Date.now()));
      s.on('error', () => undefined);
      s.write('GET /_ping HTTP/1.1\r\nHost: localhost\r\n');
      const drip = setInterval(() => {
        if (!s.destroyed) s.write('X-Drip: 1\r\n');
      }, 1000);
      try {
        expect(await waitUntil(() => closedAt > 0, 16_000)).toBe(true);
      } finally {
        clearInterval(drip);
        s.destroy();
      }
      const elapsed = closedAt - t0;
      expect(elapsed).toBeGreaterThanOrEqual(9_500);
      expect(elapsed).toBeLessThan(13_000);
      if (got) expect(got).toMatch(/^HTTP\/1\.1 408/);
    }, 30_000);

    it.concurrent('SIGTERM with an open /events stream exits within the 5 s grace (tecnativa #181)', async () => {
      const p = await startProxyProcess({});
      const ev = openStream(p.port, '/v1.41/events');
      expect(await waitUntil(() => ev.data().startsWith('HTTP/1.1 200'), 5000)).toBe(true);
      const t0 = Date.now();
      const code = await p.stop(10_000);
      expect(Date.now() - t0).toBeLessThan(7_000);
      expect(code).toBe(0);
      expect(await waitUntil(() => ev.closed(), 2000)).toBe(true);
    }, 30_000);
  });
});
