// The control-plane API's security suite on SQLite and PostgreSQL, through app.inject: anonymous access to every
// route, CSRF, cookie flags, session fixation, lockout and its timing, rate limits behind (un)trusted proxies,
// SQL metacharacters in audit filters, weird ids, audit-chain tampering, escalation, tokens, headers.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/index.js';
import { buildApp, buildRouteMap, type AppConfig } from '../../src/server/index.js';
import { openDatabase, type Store } from '../../src/store/index.js';
import { rawSql, storeFactories } from '../helpers/postgres.js';

const factories = storeFactories();
afterAll(async () => {
  await Promise.all(factories.map((f) => f.cleanup()));
});

/** Floor of failed login answers in this suite (the default is 750 ms; smaller keeps the suite fast). */
const LOGIN_FLOOR_MS = 250;
const ADMIN_PW = 'Correct-Horse-Battery-42';
const BIG = { max: 100_000, windowMs: 60_000 };

function config(over: Partial<AppConfig> = {}): AppConfig {
  return {
    basePath: '', trustProxy: false, tls: false, maxBodyBytes: 64 * 1024,
    rates: { auth: BIG, hosts: BIG, containers: BIG, notifications: BIG, ws: BIG },
    lockout: { maxFailures: 5, windowMs: 900_000, lockMs: 900_000 },
    sessionIdleMs: 1_800_000, sessionAbsoluteMs: 43_200_000, loginMinMs: LOGIN_FLOOR_MS, ...over,
  };
}

async function addUser(store: Store, username: string, password: string, role?: string, mustChange = false): Promise<string> {
  const u = await store.users.create({ username, passwordHash: await hashPassword(password), mustChangePassword: mustChange });
  if (role) {
    const r = await store.roles.findByName(role);
    await store.grants.add({ roleId: r!.id, subjectType: 'user', subjectId: u.id, scopeType: 'all' });
  }
  return u.id;
}

interface Login { cookie: string; csrf: string; res: LightMyRequestResponse }

async function login(app: FastifyInstance, username: string, password: string, ip = '127.0.0.1', cookie?: string): Promise<Login> {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { username, password },
    ...(cookie ? { headers: { cookie } } : {}),
  });
  const set = res.cookies.find((c) => c.name === 'pc_session');
  return { cookie: set ? `pc_session=${set.value}` : '', csrf: res.json<{ csrfToken?: string }>().csrfToken ?? '', res };
}

const code = (res: LightMyRequestResponse): string | undefined => res.json<{ error?: { code: string } }>().error?.code;


describe.each(factories)('server security on $name', (f) => {
  describe.skipIf(f.skip)(f.name, () => {
    let url: string;
    let store: Store;
    let app: FastifyInstance;
    let admin: Login;
    let adminToken: string;

    beforeAll(async () => {
      url = await f.newUrl();
      store = await openDatabase(url);
      await store.migrate();
      await addUser(store, 'root', ADMIN_PW, 'admin');
      app = buildApp({ store, config: config() });
      admin = await login(app, 'root', ADMIN_PW);
      expect(admin.res.statusCode).toBe(200);
      const t = await app.inject({
        method: 'POST', url: '/api/v1/tokens', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
        payload: { name: 'ci', grants: [{ role: 'admin', scopeType: 'all' }] },
      });
      expect(t.statusCode).toBe(201);
      adminToken = t.json<{ token: string }>().token;
    });
    afterAll(async () => {
      await app?.close();
      await store?.close();
    });

    it('refuses an anonymous caller (401) on every route of the map but /healthz and login', async () => {
      const routes = buildRouteMap();
      expect(routes.length).toBeGreaterThan(20);
      const printed = app.printRoutes({ commonPrefix: false });
      // the public routes of the login flow: the 2FA step without a challenge is a 400, the SSO pages are
      // 200 (what the login page shows) or 404 while no OIDC provider is configured
      const PUBLIC_ANSWERS: Record<string, number> = {
        '/api/v1/auth/login/2fa': 400, '/api/v1/auth/login/2fa/enrol': 400, '/api/v1/auth/sso': 200, '/api/v1/auth/oidc/login': 404, '/api/v1/auth/oidc/callback': 404,
      };
      for (const r of routes) {
        const path = r.url.replace(':grantId', '00000000-0000-4000-8000-000000000001').replace(/:id\b/, r.url.includes('sessions') ? 'a'.repeat(64) : '00000000-0000-4000-8000-000000000000');
        expect(printed).toContain(r.url.split('/').pop()!.replace(/^:.*/, ''));
        const res = await app.inject({ method: r.method, url: path, ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: {} }) });
        if (r.url === '/healthz') expect(res.statusCode).toBe(200);
        else if (r.url === '/api/v1/auth/login') expect(res.statusCode).toBe(400);
        else if (r.access.kind === 'public') expect([r.url, res.statusCode]).toEqual([r.url, PUBLIC_ANSWERS[r.url]]);
        else expect([r.method, r.url, res.statusCode, code(res)]).toEqual([r.method, r.url, 401, 'PC_ERR_AUTH_REQUIRED']);
        // Fastify answers HEAD for every GET route; the same guard runs.
        if (r.method === 'GET' && r.access.kind !== 'public') expect((await app.inject({ method: 'HEAD', url: path })).statusCode).toBe(401);
      }
    });

    it('answers unknown routes with the catalogue 404 and sets the security headers everywhere', async () => {
      const res = await app.inject({ url: '/api/v1/nope' });
      expect([res.statusCode, code(res)]).toEqual([404, 'PC_ERR_ROUTE_NOT_FOUND']);
      const h = (await app.inject({ url: '/healthz' })).headers;
      expect(h['content-security-policy']).toMatch(/script-src 'self'/);
      expect(h['content-security-policy']).not.toMatch(/unsafe-inline/);
      expect(h['x-frame-options']).toBe('DENY');
      expect(h['x-content-type-options']).toBe('nosniff');
      expect(h['referrer-policy']).toBe('no-referrer');
      expect(h['strict-transport-security']).toBeUndefined();
    });

    it('sets the session cookie HttpOnly, SameSite=Strict, Path=base path, Secure only under TLS', async () => {
      const c = admin.res.cookies.find((x) => x.name === 'pc_session')!;
      expect([c.httpOnly, c.sameSite, c.path, c.secure ?? false]).toEqual([true, 'Strict', '/', false]);
      const tlsApp = buildApp({ store, config: config({ tls: true, basePath: '/pc' }) });
      try {
        const r = await tlsApp.inject({ method: 'POST', url: '/pc/api/v1/auth/login', payload: { username: 'root', password: ADMIN_PW } });
        const c2 = r.cookies.find((x) => x.name === 'pc_session')!;
        expect([c2.httpOnly, c2.sameSite, c2.path, c2.secure]).toEqual([true, 'Strict', '/pc', true]);
        expect(r.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect((await tlsApp.inject({ url: '/healthz' })).statusCode).toBe(404);
        expect((await tlsApp.inject({ url: '/pc/healthz' })).statusCode).toBe(200);
      } finally {
        await tlsApp.close();
      }
    });

    it('requires the CSRF token on cookie-authenticated writes but not on Bearer-token writes', async () => {
      const s = await login(app, 'root', ADMIN_PW);
      const body = { username: 'csrf-victim', password: 'Unrelated-Phrase-9931' };
      const none = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: s.cookie }, payload: body });
      expect([none.statusCode, code(none)]).toEqual([403, 'PC_ERR_AUTH_CSRF']);
      const wrong = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: s.cookie, 'x-csrf-token': admin.csrf }, payload: body });
      expect([wrong.statusCode, code(wrong)]).toEqual([403, 'PC_ERR_AUTH_CSRF']);
      expect(await store.users.findByUsername('csrf-victim')).toBeUndefined();
      const denied = await store.audit.list({ action: 'user.create', result: 'denied' });
      expect(denied.length).toBeGreaterThanOrEqual(2);
      const bearer = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { authorization: `Bearer ${adminToken}` }, payload: body });
      expect(bearer.statusCode).toBe(201);
      const ok = await app.inject({ method: 'DELETE', url: `/api/v1/users/${bearer.json<{ user: { id: string } }>().user.id}`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
      expect(ok.statusCode).toBe(200);
    });

    it('never turns a session id presented before login into the authenticated one (fixation)', async () => {
      const planted = `pc_session=${'A'.repeat(43)}`;
      const a = await login(app, 'root', ADMIN_PW, '127.0.0.1', planted);
      expect(a.cookie).not.toBe(planted);
      const earlier = await login(app, 'root', ADMIN_PW);
      const b = await login(app, 'root', ADMIN_PW, '127.0.0.1', earlier.cookie);
      expect(b.cookie).not.toBe(earlier.cookie);
      const stale = await app.inject({ url: '/api/v1/auth/me', headers: { cookie: earlier.cookie } });
      expect(stale.statusCode).toBe(401);
      expect(stale.cookies.find((c) => c.name === 'pc_session')?.value).toBe('');
      expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: b.cookie } })).statusCode).toBe(200);
    });

    it('locks an account after 5 failures (429 + Retry-After, audited) and answers unknown users as slowly and identically', async () => {
      await addUser(store, 'locky', 'Locky-Password-7781');
      const ip = '10.50.0.1';
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const r = await login(app, 'locky', 'wrong-password-guess', ip);
        times.push(performance.now() - t0);
        expect([r.res.statusCode, code(r.res)]).toEqual([401, 'PC_ERR_AUTH_INVALID_CREDENTIALS']);
      }
      const locked = await login(app, 'locky', 'Locky-Password-7781', ip);
      expect([locked.res.statusCode, code(locked.res)]).toEqual([429, 'PC_ERR_AUTH_LOCKED']);
      expect(Number(locked.res.headers['retry-after'])).toBeGreaterThan(800);
      expect((await store.audit.list({ action: 'auth.lockout' })).length).toBeGreaterThanOrEqual(1);
      const lockyId = (await store.users.findByUsername('locky'))!.id;
      const unlock = await app.inject({ method: 'POST', url: `/api/v1/users/${lockyId}/unlock`, headers: { authorization: `Bearer ${adminToken}` } });
      expect(unlock.json()).toEqual({ ok: true, wasLocked: true });
      expect((await login(app, 'locky', 'Locky-Password-7781', ip)).res.statusCode).toBe(200);
      const t0 = performance.now();
      const unknown = await login(app, 'nobody-here', 'wrong-password-guess', '10.50.0.2');
      const unknownMs = performance.now() - t0;
      expect(unknown.res.statusCode).toBe(401);
      expect(unknown.res.body).toBe((await login(app, 'root', 'wrong-password-guess', '10.50.0.3')).res.body);
      for (const ms of [...times, unknownMs]) expect(ms).toBeGreaterThanOrEqual(LOGIN_FLOOR_MS - 5);
      const stats = await app.inject({ url: '/api/v1/security/stats', headers: { authorization: `Bearer ${adminToken}` } });
      expect(stats.json<{ lockouts: number }>().lockouts).toBeGreaterThanOrEqual(1);
    });

    it('counts rate limits per real client IP: spoofed X-Forwarded-For from an untrusted client is ignored', async () => {
      const three = { max: 3, windowMs: 60_000 };
      const direct = buildApp({ store, config: config({ rates: { ...config().rates, auth: three } }) });
      const proxied = buildApp({ store, config: config({ trustProxy: ['10.60.0.1'], rates: { ...config().rates, auth: three } }) });
      const hit = (a: FastifyInstance, remoteAddress: string, xff: string) =>
        a.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, headers: { 'x-forwarded-for': xff }, payload: {} });
      try {
        // No trusted proxy: the header is ignored, every request counts against the peer address.
        for (let i = 0; i < 3; i++) expect((await hit(direct, '10.60.0.9', `198.51.100.${i}`)).statusCode).toBe(400);
        const refused = await hit(direct, '10.60.0.9', '198.51.100.77');
        expect([refused.statusCode, code(refused)]).toEqual([429, 'PC_ERR_RATE_LIMITED']);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        // Behind the trusted proxy each real client has its own budget…
        for (let i = 0; i < 5; i++) expect((await hit(proxied, '10.60.0.1', `203.0.113.${i}`)).statusCode).toBe(400);
        for (let i = 0; i < 3; i++) expect((await hit(proxied, '10.60.0.1', '203.0.113.200')).statusCode).toBe(400);
        expect((await hit(proxied, '10.60.0.1', '203.0.113.200')).statusCode).toBe(429);
        // …but a client that is not the proxy cannot pick its address with the header.
        for (let i = 0; i < 3; i++) expect((await hit(proxied, '10.60.0.8', `203.0.113.${50 + i}`)).statusCode).toBe(400);
        expect((await hit(proxied, '10.60.0.8', '203.0.113.99')).statusCode).toBe(429);
        const audited = await store.audit.list({ action: 'ratelimit.exceeded', limit: 1000 });
        expect(audited.map((r) => r.clientIp)).toEqual(expect.arrayContaining(['10.60.0.9', '203.0.113.200', '10.60.0.8']));
        expect(audited.map((r) => r.clientIp)).not.toContain('198.51.100.77');
        // A flood of refused requests is audited once per key and window, not once per request.
        const before = (await store.audit.list({ limit: 1000, order: 'desc' }))[0]!.seq;
        for (let i = 0; i < 20; i++) expect((await hit(direct, '10.60.0.9', 'x')).statusCode).toBe(429);
        expect((await store.audit.list({ limit: 1000, order: 'desc' }))[0]!.seq).toBe(before);
      } finally {
        await direct.close();
        await proxied.close();
      }
    });

    it('limits login attempts per account name across client addresses', async () => {
      const two = { max: 2, windowMs: 60_000 };
      const a = buildApp({ store, config: config({ rates: { ...config().rates, auth: two } }) });
      try {
        expect((await login(a, 'spray-target', 'x-wrong-1', '10.70.0.1')).res.statusCode).toBe(401);
        expect((await login(a, 'Spray-Target', 'x-wrong-2', '10.70.0.2')).res.statusCode).toBe(401);
        const third = await login(a, 'spray-target', 'x-wrong-3', '10.70.0.3');
        expect([third.res.statusCode, code(third.res)]).toEqual([429, 'PC_ERR_RATE_LIMITED']);
      } finally {
        await a.close();
      }
    });

    it('limits password-change attempts per user across client addresses, and a disabled user is refused like a wrong password', async () => {
      const uid = await addUser(store, 'changer', 'Changer-Password-6610');
      const two = { max: 2, windowMs: 60_000 };
      const a = buildApp({ store, config: config({ rates: { ...config().rates, auth: two } }) });
      try {
        const s = await login(a, 'changer', 'Changer-Password-6610', '10.80.0.1');
        const change = (ip: string) => a.inject({
          method: 'POST', url: '/api/v1/auth/password', remoteAddress: ip, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
          payload: { current: 'not-the-password', next: 'Another-Fresh-Phrase-19' },
        });
        expect((await change('10.80.0.2')).statusCode).toBe(403);
        expect((await change('10.80.0.3')).statusCode).toBe(403);
        const third = await change('10.80.0.4');
        expect([third.statusCode, code(third)]).toEqual([429, 'PC_ERR_RATE_LIMITED']);
      } finally {
        await a.close();
      }
      const s2 = await login(app, 'changer', 'Changer-Password-6610', '10.80.0.5');
      const dis = await app.inject({ method: 'PATCH', url: `/api/v1/users/${uid}`, headers: { authorization: `Bearer ${adminToken}` }, payload: { disabled: true } });
      expect(dis.json()).toMatchObject({ user: { disabled: true } });
      expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: s2.cookie } })).statusCode).toBe(401);
      const refused = await login(app, 'changer', 'Changer-Password-6610', '10.80.0.6');
      expect(refused.res.statusCode).toBe(401);
      expect(refused.res.body).toBe((await login(app, 'changer', 'wrong-password-xyz', '10.80.0.7')).res.body);
      const selfDisable = await app.inject({ method: 'PATCH', url: `/api/v1/users/${(await store.users.findByUsername('root'))!.id}`, headers: { authorization: `Bearer ${adminToken}` }, payload: { disabled: true } });
      expect([selfDisable.statusCode, code(selfDisable)]).toEqual([409, 'PC_ERR_USER_SELF']);
    });

    it('treats SQL metacharacters in every audit filter as data (no 500, no match, chain intact)', async () => {
      const before = await store.audit.verify();
      const nasty = ["' OR '1'='1", '"; DROP TABLE audit_log; --', '%', '_', '\\', "root' --", '1; SELECT pg_sleep(5)', '$1', '?', '\u0000x', 'a\u0000'];
      for (const v of nasty) {
        for (const key of ['actor', 'action', 'result', 'since', 'until']) {
          const res = await app.inject({ url: '/api/v1/audit', query: { [key]: v }, headers: { authorization: `Bearer ${adminToken}` } });
          expect([key, v, res.statusCode < 500]).toEqual([key, v, true]);
          if ((key === 'actor' || key === 'action') && !v.includes('\u0000')) expect(res.json<{ records: unknown[] }>().records).toEqual([]);
          else expect([key, v, res.statusCode]).toEqual([key, v, 400]);
        }
      }
      const nul = await login(app, 'root\u0000', ADMIN_PW);
      expect([nul.res.statusCode, code(nul.res)]).toEqual([400, 'PC_ERR_REQUEST_INVALID']);
      const after = await store.audit.verify();
      expect(after.ok).toBe(true);
      expect(before.ok && after.ok && after.count).toBeGreaterThanOrEqual(before.ok ? before.count : 0);
    });

    it('answers path traversal and odd ids in /users/{id} with 400 or 404, never 500', async () => {
      const ids = ['..%2F..%2Fetc%2Fpasswd', '../../etc/passwd', '%00', "'%20OR%201=1--", '%2e%2e', 'x'.repeat(500), '00000000-0000-4000-8000-00000000dead', '%E2%80%AE', '1e308'];
      for (const id of ids) {
        const res = await app.inject({ url: `/api/v1/users/${id}`, headers: { authorization: `Bearer ${adminToken}` } });
        expect([id, [400, 404].includes(res.statusCode)]).toEqual([id, true]);
        expect(code(res)).toMatch(/^PC_ERR_(REQUEST_INVALID|USER_NOT_FOUND|ROUTE_NOT_FOUND)$/);
      }
    });

    it('detects a tampered audit record through GET /api/v1/audit/verify', async () => {
      const auth = { authorization: `Bearer ${adminToken}` };
      expect((await app.inject({ url: '/api/v1/audit/verify', headers: auth })).json()).toMatchObject({ ok: true });
      const export1 = await app.inject({ url: '/api/v1/audit/export', headers: auth });
      expect(export1.headers['content-type']).toMatch(/ndjson/);
      const lines = export1.body.trim().split('\n').map((l) => JSON.parse(l) as { seq: number });
      expect(lines.length).toBeGreaterThan(3);
      await rawSql(url, "update audit_log set actor = 'mallory' where seq = 2");
      const res = await app.inject({ url: '/api/v1/audit/verify', headers: auth });
      expect(res.json()).toMatchObject({ ok: false, badSeq: 2 });
      // (Later tests of this suite do not verify the chain.)
    });

    it('stops escalation: a user manager cannot grant, or take over, more than they hold', async () => {
      await store.roles.create({ name: 'usermgr', permissions: ['user.manage'] });
      await addUser(store, 'manager', 'Manager-Password-5531', 'usermgr');
      const victimId = await addUser(store, 'plain', 'Plain-Password-8812');
      const m = await login(app, 'manager', 'Manager-Password-5531');
      const h = { cookie: m.cookie, 'x-csrf-token': m.csrf };
      const grant = await app.inject({ method: 'POST', url: `/api/v1/users/${victimId}/grants`, headers: h, payload: { role: 'admin', scopeType: 'all' } });
      expect([grant.statusCode, code(grant)]).toEqual([403, 'PC_ERR_AUTH_ESCALATION']);
      const rootId = (await store.users.findByUsername('root'))!.id;
      const takeover = await app.inject({ method: 'PATCH', url: `/api/v1/users/${rootId}`, headers: h, payload: { password: 'Taken-Over-Password-1' } });
      expect([takeover.statusCode, code(takeover)]).toEqual([403, 'PC_ERR_AUTH_ESCALATION']);
      const role = await app.inject({ method: 'POST', url: '/api/v1/roles', headers: h, payload: { name: 'sneaky', permissions: ['audit.read'] } });
      expect([role.statusCode, code(role)]).toEqual([403, 'PC_ERR_AUTH_ESCALATION']);
      const token = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: h, payload: { name: 'x', grants: [{ role: 'admin' }] } });
      expect([token.statusCode, code(token)]).toEqual([403, 'PC_ERR_AUTH_ESCALATION']);
      const victimSession = await login(app, 'plain', 'Plain-Password-8812');
      const okGrant = await app.inject({ method: 'POST', url: `/api/v1/users/${victimId}/grants`, headers: h, payload: { role: 'usermgr' } });
      expect(okGrant.statusCode).toBe(201);
      // A privilege change ends the other user's sessions: the next login starts a fresh one.
      expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: victimSession.cookie } })).statusCode).toBe(401);
      // On the caller's own grants, the caller's session is rotated.
      const managerId = (await store.users.findByUsername('manager'))!.id;
      const own = await app.inject({ method: 'POST', url: `/api/v1/users/${managerId}/grants`, headers: h, payload: { role: 'usermgr', scopeType: 'all' } });
      expect(own.statusCode).toBe(201);
      const rotated = own.cookies.find((c) => c.name === 'pc_session')!;
      expect(`pc_session=${rotated.value}`).not.toBe(m.cookie);
      expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: m.cookie } })).statusCode).toBe(401);
      expect(own.json<{ csrfToken: string }>().csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect((await store.audit.list({ actor: 'manager', result: 'denied' })).length).toBeGreaterThanOrEqual(4);
    });

    it('shows a token once, never its hash, and lets a viewer token read but not manage', async () => {
      const h = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
      const res = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: h, payload: { name: 'viewer', grants: [{ role: 'viewer', scopeType: 'all' }] } });
      const { token, info } = res.json<{ token: string; info: { id: string } }>();
      expect(token).toMatch(/^pct_/);
      const list = await app.inject({ url: '/api/v1/tokens', headers: h });
      expect(list.body).not.toContain(token.slice(4));
      expect(list.body).not.toMatch(/tokenHash/);
      const bearer = { authorization: `Bearer ${token}` };
      expect((await app.inject({ url: '/api/v1/auth/me', headers: bearer })).statusCode).toBe(200);
      const users = await app.inject({ url: '/api/v1/users', headers: bearer });
      expect([users.statusCode, code(users)]).toEqual([403, 'PC_ERR_AUTH_FORBIDDEN']);
      expect((await app.inject({ url: '/metrics', headers: bearer })).statusCode).toBe(200);
      expect((await app.inject({ url: '/metrics', headers: { cookie: admin.cookie } })).statusCode).toBe(401);
      const self = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: bearer, payload: { name: 'y', grants: [{ role: 'viewer' }] } });
      expect([self.statusCode, code(self)]).toEqual([403, 'PC_ERR_AUTH_SESSION_REQUIRED']);
      expect((await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${info.id}`, headers: h })).statusCode).toBe(200);
      expect((await app.inject({ url: '/api/v1/auth/me', headers: bearer })).statusCode).toBe(401);
      expect((await app.inject({ url: '/api/v1/auth/me', headers: { authorization: 'Bearer pct_forged' } })).statusCode).toBe(401);
    });

    it('serves metrics to system.read tokens and an OpenAPI document covering the route map', async () => {
      const m = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${adminToken}` } });
      expect(m.body).toMatch(/portcullis_http_requests_total/);
      const doc = (await app.inject({ url: '/api/v1/openapi.json', headers: { authorization: `Bearer ${adminToken}` } })).json<{ paths: Record<string, Record<string, unknown>> }>();
      for (const r of buildRouteMap()) expect(doc.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
    });

    it('refuses oversized, non-JSON and unknown-field bodies with catalogue codes', async () => {
      const small = buildApp({ store, config: config({ maxBodyBytes: 200 }) });
      try {
        const big = await small.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'a', password: 'x'.repeat(500) } });
        expect([big.statusCode, code(big)]).toEqual([413, 'PC_ERR_REQUEST_TOO_LARGE']);
      } finally {
        await small.close();
      }
      const text = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'username=a' });
      expect([text.statusCode, code(text)]).toEqual([415, 'PC_ERR_REQUEST_MEDIA_TYPE']);
      const extra = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'a', password: 'b', admin: true } });
      expect([extra.statusCode, code(extra)]).toEqual([400, 'PC_ERR_REQUEST_INVALID']);
    });

    it('lists and revokes own sessions; a revoked session is refused at once', async () => {
      const s1 = await login(app, 'root', ADMIN_PW);
      const s2 = await login(app, 'root', ADMIN_PW);
      const list = (await app.inject({ url: '/api/v1/auth/sessions', headers: { cookie: s1.cookie } })).json<{ sessions: Array<{ id: string; current: boolean }> }>();
      const other = list.sessions.find((s) => !s.current)!;
      expect(list.sessions.filter((s) => s.current)).toHaveLength(1);
      const mine = (await app.inject({ url: '/api/v1/auth/sessions', headers: { cookie: s2.cookie } })).json<{ sessions: Array<{ id: string; current: boolean }> }>();
      const s2id = mine.sessions.find((s) => s.current)!.id;
      expect(other).toBeDefined();
      const del = await app.inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${s2id}`, headers: { cookie: s1.cookie, 'x-csrf-token': s1.csrf } });
      expect(del.statusCode).toBe(200);
      expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: s2.cookie } })).statusCode).toBe(401);
      const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: s1.cookie, 'x-csrf-token': s1.csrf } });
      expect(out.statusCode).toBe(200);
      expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: s1.cookie } })).statusCode).toBe(401);
    });
  });
});
