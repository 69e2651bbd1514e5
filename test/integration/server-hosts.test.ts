// /api/v1/hosts through a real startServer and the real dockerd: the `local` host registered at start (once, reused on
// restart), its live status, per-host visibility of host.read, anonymous refusal, the hosts rate class; SQLite and PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/index.js';
import { readSettings, resolveServerSettings, serverSettings } from '../../src/config/index.js';
import { createLogger } from '../../src/log/index.js';
import { startServer, type StartedServer } from '../../src/server/index.js';
import type { ScopeType, Store } from '../../src/store/index.js';
import { docker } from '../helpers/docker-cli.js';
import { storeFactories } from '../helpers/postgres.js';

const factories = storeFactories();
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(factories.map((f) => f.cleanup()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const PW = 'Hosts-Suite-Passphrase-77';

interface HostJson {
  id: string; name: string; kind: string; tags: string[];
  status: { online: boolean; dockerVersion?: string; containers?: number; error?: { code: string; message: string } };
}

async function start(env: Record<string, string>, dockerSocket?: string): Promise<{ srv: StartedServer; logs: string[] }> {
  const logs: string[] = [];
  const sink = new PassThrough();
  sink.on('data', (b: Buffer) => logs.push(...b.toString().trim().split('\n')));
  const resolved = resolveServerSettings(readSettings(serverSettings, { PORTCULLIS_LISTEN: '127.0.0.1:0', PORTCULLIS_ADMIN_PASSWORD: 'Bootstrap-First-Pass-901', ...env }));
  const srv = await startServer({
    resolved, logger: createLogger({ level: 'info', destination: sink }), printSecret: () => undefined, loginMinMs: 50,
    ...(dockerSocket !== undefined ? { dockerSocket } : {}),
  });
  return { srv, logs };
}

async function addUser(store: Store, username: string, grants: { role: string; scopeType: ScopeType; scopeValue?: string }[]): Promise<void> {
  const u = await store.users.create({ username, passwordHash: await hashPassword(PW), mustChangePassword: false });
  for (const g of grants) {
    const role = await store.roles.findByName(g.role);
    await store.grants.add({ roleId: role!.id, subjectType: 'user', subjectId: u.id, scopeType: g.scopeType, scopeValue: g.scopeValue ?? null });
  }
}

async function cookieOf(app: FastifyInstance, username: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PW } });
  expect(res.statusCode).toBe(200);
  return `pc_session=${res.cookies.find((c) => c.name === 'pc_session')!.value}`;
}

const code = (res: LightMyRequestResponse): string | undefined => res.json<{ error?: { code: string } }>().error?.code;

describe.each(factories)('hosts API on $name', (f) => {
  describe.skipIf(f.skip)(f.name, () => {
    async function env(): Promise<Record<string, string>> {
      const d = mkdtempSync(join(tmpdir(), 'portcullis-hosts-'));
      dirs.push(d);
      const e: Record<string, string> = { PORTCULLIS_DATA: join(d, 'data'), PORTCULLIS_RATE_AUTH: '100/1m' };
      if (f.name === 'postgres') e.PORTCULLIS_DATABASE = await f.newUrl();
      return e;
    }

    it('registers the local socket as host "local" (online, with the Docker version) once, and reuses the row on restart', async () => {
      const e = await env();
      const first = await start(e);
      let id = '';
      try {
        expect(first.logs.join('\n')).toMatch(/created host \\"local\\" for the Docker socket/);
        await addUser(first.srv.store, 'root', [{ role: 'admin', scopeType: 'all' }]);
        const app = first.srv.app;
        const cookie = await cookieOf(app, 'root');
        const res = await app.inject({ url: '/api/v1/hosts', headers: { cookie } });
        expect(res.statusCode).toBe(200);
        const hosts = res.json<{ hosts: HostJson[] }>().hosts;
        expect(hosts.map((h) => [h.name, h.kind, h.status.online])).toEqual([['local', 'local', true]]);
        const version = await docker(['version', '--format', '{{.Server.Version}}']);
        expect(hosts[0]!.status.dockerVersion).toBe(version.stdout.trim());
        expect(hosts[0]!.status.containers).toEqual(expect.any(Number));
        expect(hosts[0]!.status.error).toBeUndefined();
        id = hosts[0]!.id;
        for (const ref of [id, 'local']) {
          const one = await app.inject({ url: `/api/v1/hosts/${ref}`, headers: { cookie } });
          expect([one.statusCode, one.json<{ host: HostJson }>().host.id]).toEqual([200, id]);
        }
        const created = await first.srv.store.audit.list({ action: 'host.create' });
        expect(created.map((r) => [r.actor, r.result, r.target])).toEqual([['system', 'success', id]]);
      } finally {
        await first.srv.close();
      }
      const second = await start(e);
      try {
        expect(second.logs.join('\n')).toMatch(/reused host \\"local\\"/);
        const rows = (await second.srv.store.hosts.list()).filter((h) => h.name === 'local');
        expect(rows.map((h) => h.id)).toEqual([id]);
        expect(second.srv.hosts.get(id)?.name).toBe('local');
        expect(await second.srv.store.audit.list({ action: 'host.create' })).toHaveLength(1);
      } finally {
        await second.srv.close();
      }
    });

    it('shows a host only to callers holding host.read on it: others get an empty list and 404 (audited), anonymous 401', async () => {
      const { srv } = await start(await env());
      try {
        const app = srv.app;
        const local = (await srv.store.hosts.findByName('local'))!;
        await addUser(srv.store, 'vic', [{ role: 'viewer', scopeType: 'tag', scopeValue: 'elsewhere' }]);
        await addUser(srv.store, 'val', [{ role: 'viewer', scopeType: 'host', scopeValue: local.id }]);
        const vic = await cookieOf(app, 'vic');
        const list = await app.inject({ url: '/api/v1/hosts', headers: { cookie: vic } });
        expect([list.statusCode, list.json()]).toEqual([200, { hosts: [] }]);
        for (const ref of [local.id, 'local', '00000000-0000-4000-8000-00000000abcd', 'no-such-host']) {
          const one = await app.inject({ url: `/api/v1/hosts/${ref}`, headers: { cookie: vic } });
          expect([ref, one.statusCode, code(one)]).toEqual([ref, 404, 'PC_ERR_HOST_NOT_FOUND']);
        }
        const denied = await srv.store.audit.list({ action: 'host.inspect', result: 'denied' });
        expect(denied.map((r) => [r.actor, r.target])).toEqual([['vic', local.id], ['vic', local.id]]);
        const val = await cookieOf(app, 'val');
        const seen = await app.inject({ url: '/api/v1/hosts', headers: { cookie: val } });
        expect(seen.json<{ hosts: HostJson[] }>().hosts.map((h) => [h.id, h.status.online])).toEqual([[local.id, true]]);
        expect((await app.inject({ url: `/api/v1/hosts/${local.id}`, headers: { cookie: val } })).statusCode).toBe(200);
        for (const url of ['/api/v1/hosts', `/api/v1/hosts/${local.id}`]) {
          const anon = await app.inject({ url });
          expect([anon.statusCode, code(anon)]).toEqual([401, 'PC_ERR_AUTH_REQUIRED']);
        }
        const bad = await app.inject({ url: '/api/v1/hosts/..%2Fetc', headers: { cookie: val } });
        expect([bad.statusCode, code(bad)]).toEqual([400, 'PC_ERR_REQUEST_INVALID']);
      } finally {
        await srv.close();
      }
    });

    it('applies the hosts rate class (429 with Retry-After past the limit)', async () => {
      const { srv } = await start({ ...(await env()), PORTCULLIS_RATE_HOSTS: '3/1m' });
      try {
        await addUser(srv.store, 'root', [{ role: 'admin', scopeType: 'all' }]);
        const cookie = await cookieOf(srv.app, 'root');
        const statuses: number[] = [];
        let last: LightMyRequestResponse | undefined;
        for (let i = 0; i < 4; i += 1) {
          last = await srv.app.inject({ url: '/api/v1/hosts', headers: { cookie } });
          statuses.push(last.statusCode);
        }
        expect(statuses).toEqual([200, 200, 200, 429]);
        expect(code(last!)).toBe('PC_ERR_RATE_LIMITED');
        expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
      } finally {
        await srv.close();
      }
    });

    it("serves the auditor's exposure report for a host: a privileged container on it is found; hidden hosts 404", async () => {
      const name = `pc-exposure-${f.name}-${process.pid}`;
      const made = await docker(['create', '--privileged', '--label', 'portcullis.test=1', '--name', name, 'portcullis-test/busybox:latest', 'sleep', '60']);
      expect(made.code, made.stderr).toBe(0);
      const { srv } = await start(await env());
      try {
        await addUser(srv.store, 'root', [{ role: 'admin', scopeType: 'all' }]);
        await addUser(srv.store, 'outsider', [{ role: 'viewer', scopeType: 'tag', scopeValue: 'elsewhere' }]);
        const app = srv.app;
        const res = await app.inject({ url: '/api/v1/hosts/local/exposure', headers: { cookie: await cookieOf(app, 'root') } });
        expect(res.statusCode, res.body).toBe(200);
        const report = res.json<{ version: string; findings: { ruleId: string; location?: { container?: string; service?: string } }[] }>();
        expect(report.version).toBe('1');
        const mine = report.findings.filter((x) => JSON.stringify(x.location ?? {}).includes(name));
        expect(mine.map((x) => x.ruleId)).toContain('PRIV-001');
        const hidden = await app.inject({ url: '/api/v1/hosts/local/exposure', headers: { cookie: await cookieOf(app, 'outsider') } });
        expect(hidden.statusCode).toBe(404);
        expect((await app.inject({ url: '/api/v1/hosts/local/exposure' })).statusCode).toBe(401);
      } finally {
        await srv.close();
        await docker(['rm', '-f', name]);
      }
    });

    it('registers no host and says so when the Docker socket is absent', async () => {
      const { srv, logs } = await start(await env(), '/nonexistent/portcullis-test/docker.sock');
      try {
        expect(logs.join('\n')).toMatch(/no local host registered: no Docker socket at \/nonexistent\/portcullis-test\/docker\.sock/);
        expect(await srv.store.hosts.list()).toEqual([]);
        expect(srv.hosts.size).toBe(0);
      } finally {
        await srv.close();
      }
    });
  });
});
