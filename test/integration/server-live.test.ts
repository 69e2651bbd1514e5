// WS /api/v1/live against the real dockerd: container events pushed to callers who may read that host and to no one else,
// host changes, the WebSocket guard (anonymous 401, cross-origin 403 audited, plain GET 426), and re-checks of the session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHost } from '../../src/hosts/index.js';
import {
  addUser, container, errCode, loginAs, openWs, refusedUpgrade, removeContainers, startOps, uniq, type Caller, type OpsServer,
} from '../helpers/ops-server.js';

describe('live API', () => {
  let ops: OpsServer;
  let admin: Caller;
  const run = uniq('pcv');
  const names: string[] = [];

  beforeAll(async () => {
    ops = await startOps({}, { wsRecheckMs: 300 });
    await addUser(ops.srv.store, 'root', [{ role: 'admin', scopeType: 'all' }]);
    await addUser(ops.srv.store, 'outsider', [{ role: 'viewer', scopeType: 'tag', scopeValue: 'elsewhere' }]);
    await addUser(ops.srv.store, 'labviewer', [{ role: 'viewer', scopeType: 'tag', scopeValue: 'lab' }]);
    admin = await loginAs(ops, 'root');
  });

  afterAll(async () => {
    await removeContainers(names);
    await ops?.close();
  });

  const liveUrl = (): string => `${ops.wsBase}/api/v1/live`;

  it('pushes a container stop to callers who may read the host, and nothing to a viewer without grants there', async () => {
    const n = `${run}-stopme`;
    names.push(n);
    const id = await container(n);
    const outsider = await loginAs(ops, 'outsider');
    const watcher = await openWs(liveUrl(), { cookie: admin.cookie, origin: ops.origin });
    const blind = await openWs(liveUrl(), { cookie: outsider.cookie, origin: ops.origin });
    await watcher.next((m) => m.type === 'hello');
    await blind.next((m) => m.type === 'hello');
    const stop = await admin.req({ method: 'POST', url: `/api/v1/hosts/local/containers/${n}/stop`, payload: { t: 0 } });
    expect(stop.statusCode).toBe(200);
    const msg = await watcher.next((m) => m.type === 'container' && m.id === id && m.action === 'stop');
    expect(msg).toMatchObject({ type: 'container', hostId: ops.localId, hostName: 'local', id, name: n, action: 'stop', state: 'exited' });
    expect(Date.parse(String(msg.time))).toBeGreaterThan(Date.now() - 60_000);
    await watcher.next((m) => m.type === 'container' && m.id === id && m.action === 'die');
    // Anything for the outsider would have been sent together with the watcher's copy.
    await new Promise((r) => setTimeout(r, 300));
    expect(blind.messages).toEqual([{ type: 'hello' }]);
    watcher.ws.close();
    blind.ws.close();
    await Promise.all([watcher.closed, blind.closed]);
    const opened = await ops.srv.store.audit.list({ action: 'live.connect', result: 'success' });
    expect(opened.map((r) => r.actor).sort()).toEqual(['outsider', 'root']);
  });

  it('tells only the callers who may read a host when it comes and goes, and forwards its container events', async () => {
    const lab = await loginAs(ops, 'labviewer');
    const outsider = await loginAs(ops, 'outsider');
    const seer = await openWs(liveUrl(), { cookie: lab.cookie, origin: ops.origin });
    const blind = await openWs(liveUrl(), { cookie: outsider.cookie, origin: ops.origin });
    await seer.next((m) => m.type === 'hello');
    await blind.next((m) => m.type === 'hello');
    const row = await ops.srv.store.hosts.create({ name: `lab-${run}`, kind: 'agent', tags: ['lab'] });
    ops.srv.hosts.add(new LocalHost({ id: row.id, name: row.name, tags: row.tags }));
    await seer.next((m) => m.type === 'host' && m.hostId === row.id && m.online === true);
    const n = `${run}-labbed`;
    names.push(n);
    const id = await container(n, ['true'], { create: true });
    const created = await seer.next((m) => m.type === 'container' && m.id === id && m.hostId === row.id && m.action === 'create');
    expect(created).toMatchObject({ hostName: row.name, name: n, state: 'created' });
    await ops.srv.hosts.remove(row.id);
    await seer.next((m) => m.type === 'host' && m.hostId === row.id && m.online === false);
    await new Promise((r) => setTimeout(r, 300));
    expect(blind.messages).toEqual([{ type: 'hello' }]);
    seer.ws.close();
    blind.ws.close();
    await Promise.all([seer.closed, blind.closed]);
  });

  it('refuses anonymous (401), cross-origin (403, audited) and plain-HTTP (426) connections', async () => {
    expect(await refusedUpgrade(liveUrl(), { origin: ops.origin })).toEqual({ status: 401, code: 'PC_ERR_AUTH_REQUIRED' });
    for (const origin of ['http://evil.example', `http://127.0.0.1:1`, 'null']) {
      expect([origin, await refusedUpgrade(liveUrl(), { cookie: admin.cookie, origin })]).toEqual([origin, { status: 403, code: 'PC_ERR_WS_ORIGIN' }]);
    }
    const denied = await ops.srv.store.audit.list({ action: 'live.connect', result: 'denied', actor: 'root' });
    expect(denied.map((r) => r.details.code)).toEqual(['PC_ERR_WS_ORIGIN', 'PC_ERR_WS_ORIGIN', 'PC_ERR_WS_ORIGIN']);
    // A client that sends no Origin (not a browser) is not a cross-site page.
    const cli = await openWs(liveUrl(), { cookie: admin.cookie });
    await cli.next((m) => m.type === 'hello');
    cli.ws.close();
    await cli.closed;
    const rebound = await refusedUpgrade(liveUrl(), { cookie: admin.cookie, host: 'evil.example' });
    expect(rebound).toEqual({ status: 403, code: 'PC_ERR_REQUEST_HOST' });
    expect(await refusedUpgrade(`${ops.wsBase}/api/v1/users`, { cookie: admin.cookie, origin: ops.origin })).toEqual({ status: 404, code: 'PC_ERR_ROUTE_NOT_FOUND' });
    // Upgrades reach every WebSocket route, not only the route map's: the agent endpoint still answers (here: no token).
    expect(await refusedUpgrade(`${ops.wsBase}/agent/v1/connect`, {})).toEqual({ status: 401, code: 'PC_ERR_AUTH_REQUIRED' });
    const plain = await admin.req({ url: '/api/v1/live' });
    expect([plain.statusCode, errCode(plain)]).toEqual([426, 'PC_ERR_WS_UPGRADE_REQUIRED']);
  });

  it('counts upgrades in the ws rate class and operations in the containers class (429 past the limit)', async () => {
    const limited = await startOps({ PORTCULLIS_RATE_WS: '2/1m', PORTCULLIS_RATE_CONTAINERS: '2/1m' });
    try {
      await addUser(limited.srv.store, 'root', [{ role: 'admin', scopeType: 'all' }]);
      const root = await loginAs(limited, 'root');
      const url = `${limited.wsBase}/api/v1/live`;
      for (let i = 0; i < 2; i++) {
        const c = await openWs(url, { cookie: root.cookie, origin: limited.origin });
        c.ws.close();
        await c.closed;
      }
      expect(await refusedUpgrade(url, { cookie: root.cookie, origin: limited.origin })).toEqual({ status: 429, code: 'PC_ERR_RATE_LIMITED' });
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await root.req({ url: '/api/v1/containers?label=pc.none=1' }));
      expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 429]);
      expect(Number(answers[2]!.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('closes an open socket once its session is revoked', async () => {
    const lab = await loginAs(ops, 'labviewer');
    const c = await openWs(liveUrl(), { cookie: lab.cookie, origin: ops.origin });
    await c.next((m) => m.type === 'hello');
    const out = await lab.req({ method: 'POST', url: '/api/v1/auth/logout' });
    expect(out.statusCode).toBe(200);
    const closed = await c.closed;
    expect(closed.code).toBe(1008);
    expect(c.messages.at(-1)).toMatchObject({ type: 'error', code: 'PC_ERR_AUTH_REQUIRED' });
  });
});
