// Logs and stats against the real dockerd: tail, since, plain-text search, stream selection, download, follow over a
// WebSocket (new lines arrive, `end` when the container stops), one stats sample, the stats stream, the host summary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Readable } from 'node:stream';
import { DockerClient, type RawRequest } from '../../src/docker/index.js';
import { EngineHost, hostPolicy, type EngineChannel } from '../../src/hosts/index.js';
import { DOCKER_SOCKET } from '../helpers/docker-cli.js';
import {
  addUser, container, errCode, loginAs, openWs, refusedUpgrade, removeContainers, startOps, uniq, type Caller, type OpsServer,
} from '../helpers/ops-server.js';

interface Line { stream: string; text: string; time?: string }

describe('logs and stats API', () => {
  let ops: OpsServer;
  let admin: Caller;
  const run = uniq('pcl');
  const names: string[] = [];
  const name = (s: string): string => {
    const n = `${run}-${s}`;
    names.push(n);
    return n;
  };
  const logsOf = async (n: string, q = ''): Promise<Line[]> => {
    const res = await admin.req({ url: `/api/v1/hosts/local/containers/${n}/logs${q}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ lines: Line[] }>().lines;
  };

  beforeAll(async () => {
    ops = await startOps();
    await addUser(ops.srv.store, 'root', [{ role: 'admin', scopeType: 'all' }]);
    await addUser(ops.srv.store, 'outsider', [{ role: 'viewer', scopeType: 'tag', scopeValue: 'elsewhere' }]);
    admin = await loginAs(ops, 'root');
  });

  afterAll(async () => {
    await removeContainers(names);
    await ops?.close();
  });

  it('returns the tail of the logs, searches them as plain case-insensitive text, selects streams and stamps times', async () => {
    const n = name('printer');
    const script = 'for i in 1 2 3 4 5; do echo line-$i; done; sleep 0.3; echo oops-on-stderr >&2; sleep 0.3; echo "Mixed CASE Needle (.*)"; sleep 600';
    await container(n, ['sh', '-c', script]);
    await expect.poll(async () => (await logsOf(n)).length, { timeout: 10_000 }).toBe(7);
    const all = await logsOf(n);
    expect(all.map((l) => `${l.stream}:${l.text}`)).toEqual([
      'stdout:line-1', 'stdout:line-2', 'stdout:line-3', 'stdout:line-4', 'stdout:line-5', 'stderr:oops-on-stderr', 'stdout:Mixed CASE Needle (.*)',
    ]);
    expect(all.every((l) => l.time === undefined)).toBe(true);
    expect((await logsOf(n, '?tail=2')).map((l) => l.text)).toEqual(['oops-on-stderr', 'Mixed CASE Needle (.*)']);
    expect((await logsOf(n, '?search=needle')).map((l) => l.text)).toEqual(['Mixed CASE Needle (.*)']);
    // A regex would match every line; as plain text only the literal line matches.
    expect((await logsOf(n, `?search=${encodeURIComponent('(.*)')}`)).map((l) => l.text)).toEqual(['Mixed CASE Needle (.*)']);
    expect((await logsOf(n, `?search=${encodeURIComponent('line-[0-9]')}`))).toEqual([]);
    expect((await logsOf(n, '?stderr=0')).some((l) => l.stream === 'stderr')).toBe(false);
    expect((await logsOf(n, '?stdout=0')).map((l) => l.text)).toEqual(['oops-on-stderr']);
    const stamped = await logsOf(n, '?timestamps=1&tail=1');
    expect(stamped[0]!.text).toBe('Mixed CASE Needle (.*)');
    expect(Date.parse(stamped[0]!.time!)).toBeGreaterThan(Date.now() - 120_000);
    expect(await logsOf(n, `?since=${Math.floor(Date.now() / 1000) + 5}`)).toEqual([]);
    expect(await logsOf(n, '?until=2000-01-01T00:00:00Z')).toEqual([]);
    for (const q of ['?tail=-1', '?since=yesterday', '?search=', '?grep=x']) {
      const bad = await admin.req({ url: `/api/v1/hosts/local/containers/${n}/logs${q}` });
      expect([q, bad.statusCode, errCode(bad)]).toEqual([q, 400, 'PC_ERR_REQUEST_INVALID']);
    }
    const missing = await admin.req({ url: '/api/v1/hosts/local/containers/no-such-pc-logs/logs' });
    expect([missing.statusCode, errCode(missing)]).toEqual([404, 'PC_ERR_DOCKER_NOT_FOUND']);
    const outsider = await loginAs(ops, 'outsider');
    expect((await outsider.req({ url: `/api/v1/hosts/local/containers/${n}/logs` })).statusCode).toBe(404);
  });

  it('downloads the logs as a text/plain attachment, one line per log line', async () => {
    const n = name('download');
    await container(n, ['sh', '-c', 'echo first; echo "<script>alert(1)</script>"; echo last; sleep 600']);
    await expect.poll(async () => (await logsOf(n)).length, { timeout: 10_000 }).toBe(3);
    const res = await admin.req({ url: `/api/v1/hosts/local/containers/${n}/logs?download=1` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${n}-logs.txt"`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toBe('first\n<script>alert(1)</script>\nlast\n');
    const stamped = await admin.req({ url: `/api/v1/hosts/local/containers/${n}/logs?download=1&timestamps=1&search=LAST` });
    expect(stamped.body).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z last\n$/);
  });

  it('follows the logs over a WebSocket: new lines arrive as they are written, and `end` comes when the container stops', async () => {
    const n = name('ticker');
    await container(n, ['sh', '-c', 'i=0; while [ $i -lt 400 ]; do i=$((i+1)); echo tick-$i; sleep 0.1; done']);
    const headers = { cookie: admin.cookie, origin: ops.origin };
    const c = await openWs(`${ops.wsBase}/api/v1/hosts/local/containers/${n}/logs/follow?tail=0&search=TICK`, headers);
    const first = await c.next((m) => m.type === 'line');
    const firstN = Number(String(first.text).replace('tick-', ''));
    const later = await c.next((m) => m.type === 'line' && Number(String(m.text).replace('tick-', '')) >= firstN + 3);
    expect(later).toMatchObject({ type: 'line', stream: 'stdout' });
    expect(Date.parse(String(later.time))).toBeGreaterThan(Date.now() - 60_000);
    const stop = await admin.req({ method: 'POST', url: `/api/v1/hosts/local/containers/${n}/stop`, payload: { t: 0 } });
    expect(stop.statusCode).toBe(200);
    await c.next((m) => m.type === 'end');
    expect((await c.closed).code).toBe(1000);
    const ticks = c.messages.filter((m) => m.type === 'line').map((m) => Number(String(m.text).replace('tick-', '')));
    expect(ticks).toEqual([...ticks].sort((a, b) => a - b));
    const follows = await ops.srv.store.audit.list({ action: 'container.logs.follow', actor: 'root' });
    expect(follows.map((r) => [r.result, r.target])).toEqual([['success', n]]);
    const missing = await refusedUpgrade(`${ops.wsBase}/api/v1/hosts/local/containers/no-such-pc-follow/logs/follow`, headers);
    expect(missing).toEqual({ status: 404, code: 'PC_ERR_DOCKER_NOT_FOUND' });
    expect(await refusedUpgrade(`${ops.wsBase}/api/v1/hosts/local/containers/${n}/logs/follow`, { origin: ops.origin })).toEqual({ status: 401, code: 'PC_ERR_AUTH_REQUIRED' });
    const plain = await admin.req({ url: `/api/v1/hosts/local/containers/${n}/logs/follow` });
    expect([plain.statusCode, errCode(plain)]).toEqual([426, 'PC_ERR_WS_UPGRADE_REQUIRED']);
  });

  it('ends the Docker log stream when the follower closes its socket', async () => {
    const n = name('quiet');
    await container(n, ['sh', '-c', 'echo ready; sleep 600']);
    // A host over the real socket whose channel records each streaming answer, to see the server let go of it.
    const client = new DockerClient({ socketPath: DOCKER_SOCKET });
    const streams: Readable[] = [];
    const channel: EngineChannel = {
      target: client.target,
      request: (async (req: RawRequest) => {
        const res = await client.request(req as RawRequest & { stream: true });
        if (req.stream === true) streams.push(res.body);
        return res;
      }) as EngineChannel['request'],
      hijackRaw: (r) => client.hijackRaw(r),
      close: () => client.close(),
    };
    const row = await ops.srv.store.hosts.create({ name: 'probe', kind: 'agent', tags: [] });
    ops.srv.hosts.add(new EngineHost({ id: row.id, name: row.name, kind: 'agent', channel, policy: hostPolicy() }));
    const c = await openWs(`${ops.wsBase}/api/v1/hosts/probe/containers/${n}/logs/follow`, { cookie: admin.cookie, origin: ops.origin });
    await c.next((m) => m.type === 'line' && m.text === 'ready');
    expect(streams).toHaveLength(1);
    expect(streams[0]!.destroyed).toBe(false);
    c.ws.close();
    await c.closed;
    await expect.poll(() => streams[0]!.destroyed, { timeout: 5_000 }).toBe(true);
  });

  it('samples a running container\'s stats, streams them once a second, and sums a host\'s running containers', async () => {
    const n = name('busy');
    await container(n, ['sh', '-c', 'while true; do :; done']);
    const res = await admin.req({ url: `/api/v1/hosts/local/containers/${n}/stats` });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json<Record<string, number | string>>();
    expect(Object.keys(s).sort()).toEqual(['blockReadBytes', 'blockWriteBytes', 'cpuPercent', 'memoryBytes', 'memoryLimitBytes', 'networkRxBytes', 'networkTxBytes', 'pids', 'time']);
    expect(s.cpuPercent).toBeGreaterThan(5);
    expect(s.pids).toBeGreaterThanOrEqual(1);
    expect(s.memoryLimitBytes).toBeGreaterThan(0);
    const c = await openWs(`${ops.wsBase}/api/v1/hosts/local/containers/${n}/stats/stream`, { cookie: admin.cookie, origin: ops.origin });
    await c.next((m) => m.type === 'stats' && Number(m.cpuPercent) > 5, 15_000);
    const started = Date.now();
    await c.next(() => c.messages.filter((m) => m.type === 'stats').length >= 3, 15_000);
    expect(Date.now() - started).toBeGreaterThan(500);
    c.ws.close();
    await c.closed;
    const host = await admin.req({ url: '/api/v1/hosts/local/stats' });
    expect(host.statusCode, host.body).toBe(200);
    const h = host.json<{ containers: { running: number; paused: number; stopped: number; total: number }; cpuPercent: number; memoryBytes: number }>();
    expect(h.containers.running).toBeGreaterThanOrEqual(1);
    expect(h.containers.total).toBe(h.containers.running + h.containers.paused + h.containers.stopped);
    expect(h.cpuPercent).toBeGreaterThan(5);
    expect(h.memoryBytes).toBeGreaterThan(0);
    const outsider = await loginAs(ops, 'outsider');
    expect((await outsider.req({ url: '/api/v1/hosts/local/stats' })).statusCode).toBe(404);
  });
});
