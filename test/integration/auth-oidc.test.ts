// OIDC single sign-on through the real server (in-process startServer) against a real OpenID provider (oidc-provider on 127.0.0.1):
// success, state, nonce, replayed code, expired ID token, audience, group mapping and its removal, SSO-only, provider down; SQLite and PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/index.js';
import { readSettings, resolveServerSettings, serverSettings } from '../../src/config/index.js';
import { createLogger } from '../../src/log/index.js';
import { startServer, type StartedServer } from '../../src/server/index.js';
import type { Store } from '../../src/store/index.js';
import { startTestIdp, type TestIdp } from '../helpers/oidc-provider.js';
import { storeFactories } from '../helpers/postgres.js';

const factories = storeFactories();
const dirs: string[] = [];
const PUBLIC_URL = 'http://127.0.0.1:18282';
const REDIRECT = `${PUBLIC_URL}/api/v1/auth/oidc/callback`;
const PW = 'Sso-Suite-Local-Passphrase-31';
const ADMIN_PW = 'Bootstrap-First-Pass-901';
const ROLE_MAP = JSON.stringify({
  'pc-admins': 'admin',
  ops: [{ role: 'operator', scopeType: 'tag', scopeValue: 'prod' }],
  viewers: [{ role: 'viewer', scopeType: 'host', scopeValue: 'local' }],
});

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp({
    redirectUris: [REDIRECT],
    accounts: [
      { sub: 'sub-alice', preferred_username: 'alice', email: 'alice@example.test', groups: ['pc-admins'] },
      { sub: 'sub-bob', preferred_username: 'bob', groups: ['ops', 'viewers'] },
      { sub: 'sub-mallory', preferred_username: 'admin', groups: ['viewers'] },
      { sub: 'sub-nobody', preferred_username: 'nobody', groups: ['unrelated'] },
    ],
  });
});
afterAll(async () => {
  await idp?.stop();
  await Promise.all(factories.map((f) => f.cleanup()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const code = (res: LightMyRequestResponse): string | undefined => res.json<{ error?: { code: string } }>().error?.code;
const cookieValue = (res: LightMyRequestResponse, name: string): string | undefined => res.cookies.find((c) => c.name === name)?.value;

describe.each(factories)('OIDC sign-in on $name', (f) => {
  describe.skipIf(f.skip)(f.name, () => {
    async function start(extra: Record<string, string> = {}, provider: TestIdp = idp): Promise<StartedServer> {
      const d = mkdtempSync(join(tmpdir(), 'portcullis-oidc-'));
      dirs.push(d);
      const env: Record<string, string> = {
        PORTCULLIS_LISTEN: '127.0.0.1:0', PORTCULLIS_DATA: join(d, 'data'), PORTCULLIS_ADMIN_PASSWORD: ADMIN_PW, PORTCULLIS_RATE_AUTH: '1000/1m',
        PORTCULLIS_PUBLIC_URL: PUBLIC_URL, PORTCULLIS_OIDC_ISSUER: provider.issuer, PORTCULLIS_OIDC_CLIENT_ID: provider.clientId,
        PORTCULLIS_OIDC_CLIENT_SECRET: provider.clientSecret, PORTCULLIS_OIDC_SCOPES: 'openid profile email groups', PORTCULLIS_OIDC_ROLE_MAP: ROLE_MAP,
        ...extra,
      };
      if (f.name === 'postgres') env.PORTCULLIS_DATABASE = await f.newUrl();
      const resolved = resolveServerSettings(readSettings(serverSettings, env));
      return startServer({ resolved, logger: createLogger({ level: 'err' }), printSecret: () => undefined, loginMinMs: 50 });
    }

    /** Browser side of a sign-in: start at Portcullis, let the provider log in as `account`, come back to the callback. */
    async function sso(app: FastifyInstance, opts: { account?: string; mutate?: (u: URL) => void; flowCookie?: (own: string) => string | undefined; accept?: string } = {}) {
      idp.loginAs = opts.account ?? 'sub-alice';
      const begin = await app.inject({ url: '/api/v1/auth/oidc/login' });
      expect(begin.statusCode).toBe(302);
      const flow = cookieValue(begin, 'pc_oidc')!;
      const authUrl = new URL(begin.headers.location as string);
      opts.mutate?.(authUrl);
      const back = await idp.authorize(authUrl.href);
      const cookie = opts.flowCookie ? opts.flowCookie(flow) : flow;
      const res = await app.inject({
        url: `/api/v1/auth/oidc/callback${back.search}`, headers: { accept: opts.accept ?? 'application/json', ...(cookie ? { cookie: `pc_oidc=${cookie}` } : {}) },
      });
      return { begin, authUrl, back, res, flow };
    }

    async function lastOidcAudit(store: Store): Promise<{ result: string; actor: string; details: Record<string, unknown> }> {
      const recs = await store.audit.list({ action: 'auth.oidc.login', order: 'desc', limit: 1 });
      return recs[0]!;
    }

    it('signs in a mapped user with PKCE S256, state and nonce; provisions the account; starts a session exactly like password login; audits it', async () => {
      const srv = await start();
      try {
        const { begin, authUrl, res } = await sso(srv.app);
        expect(authUrl.origin).toBe(idp.issuer);
        expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
        expect(authUrl.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(authUrl.searchParams.get('state')).toBeTruthy();
        expect(authUrl.searchParams.get('nonce')).toBeTruthy();
        expect(authUrl.searchParams.get('redirect_uri')).toBe(REDIRECT);
        const flowCookie = begin.cookies.find((c) => c.name === 'pc_oidc')!;
        expect([flowCookie.httpOnly, flowCookie.sameSite, flowCookie.path]).toEqual([true, 'Lax', '/api/v1/auth/oidc']);
        expect(res.statusCode).toBe(200);
        const body = res.json<{ user: { username: string }; csrfToken: string }>();
        expect(body.user.username).toBe('alice');
        const session = res.cookies.find((c) => c.name === 'pc_session')!;
        expect([session.httpOnly, session.sameSite]).toEqual([true, 'Strict']);
        const me = await srv.app.inject({ url: '/api/v1/auth/me', headers: { cookie: `pc_session=${session.value}` } });
        expect(me.statusCode).toBe(200);
        expect(me.json<{ grants: Array<{ role: string; scopeType: string }> }>().grants.map((g) => [g.role, g.scopeType])).toEqual([['admin', 'all']]);
        const rec = await lastOidcAudit(srv.store);
        expect([rec.result, rec.actor, rec.details.mappedGroups, rec.details.created]).toEqual(['success', 'alice', ['pc-admins'], true]);
        // The client secret is at rest only encrypted.
        const stored = await srv.store.secrets.get('oidc.client_secret');
        expect(stored?.valueEnc).toMatch(/^v1:/);
        expect(stored?.valueEnc).not.toContain(idp.clientSecret);
        // A browser is sent on to the UI, with its session cookie.
        const html = await sso(srv.app, { accept: 'text/html,application/xhtml+xml' });
        expect([html.res.statusCode, html.res.headers.location]).toEqual([303, '/']);
        expect(cookieValue(html.res, 'pc_session')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      } finally {
        await srv.close();
      }
    });

    it('never links a provider user to an existing local account by name (a provider "admin" gets its own account)', async () => {
      const srv = await start();
      try {
        const { res } = await sso(srv.app, { account: 'sub-mallory' });
        expect(res.statusCode).toBe(200);
        const name = res.json<{ user: { username: string } }>().user.username;
        expect(name).toMatch(/^admin-[0-9a-f]{6}$/);
        const admin = await srv.store.users.findByUsername('admin');
        expect(admin?.oidcSubject).toBeNull();
      } finally {
        await srv.close();
      }
    });

    it('refuses a callback whose state is not the one of this browser (or has no sign-in cookie), and audits why', async () => {
      const srv = await start();
      try {
        const other = await srv.app.inject({ url: '/api/v1/auth/oidc/login' });
        const otherFlow = cookieValue(other, 'pc_oidc')!;
        const wrong = await sso(srv.app, { flowCookie: () => otherFlow });
        expect([wrong.res.statusCode, code(wrong.res)]).toEqual([400, 'PC_ERR_OIDC_STATE']);
        expect((await lastOidcAudit(srv.store)).details.reason).toBe('state_mismatch');
        const none = await sso(srv.app, { flowCookie: () => undefined });
        expect([none.res.statusCode, code(none.res)]).toEqual([400, 'PC_ERR_OIDC_STATE']);
        expect(none.res.cookies.find((c) => c.name === 'pc_session')).toBeUndefined();
        const rec = await lastOidcAudit(srv.store);
        expect([rec.result, rec.details.reason]).toEqual(['denied', 'flow_missing']);
      } finally {
        await srv.close();
      }
    });

    it('refuses an ID token that carries another nonce than this sign-in', async () => {
      const srv = await start();
      try {
        const { res } = await sso(srv.app, { mutate: (u) => u.searchParams.set('nonce', 'attacker-chosen-nonce-0123456789') });
        expect([res.statusCode, code(res)]).toEqual([401, 'PC_ERR_OIDC_TOKEN_INVALID']);
        expect((await lastOidcAudit(srv.store)).details.reason).toBe('nonce_mismatch');
      } finally {
        await srv.close();
      }
    });

    it('refuses a replayed authorization code, in its own flow and injected into another', async () => {
      const srv = await start();
      try {
        const first = await sso(srv.app);
        expect(first.res.statusCode).toBe(200);
        const same = await srv.app.inject({ url: `/api/v1/auth/oidc/callback${first.back.search}`, headers: { accept: 'application/json', cookie: `pc_oidc=${first.flow}` } });
        expect([same.statusCode, code(same), (await lastOidcAudit(srv.store)).details.reason]).toEqual([400, 'PC_ERR_OIDC_STATE', 'flow_missing']);
        const begin = await srv.app.inject({ url: '/api/v1/auth/oidc/login' });
        const state = new URL(begin.headers.location as string).searchParams.get('state')!;
        const q = new URLSearchParams(first.back.search);
        q.set('state', state);
        const injected = await srv.app.inject({ url: `/api/v1/auth/oidc/callback?${q.toString()}`, headers: { accept: 'application/json', cookie: `pc_oidc=${cookieValue(begin, 'pc_oidc')}` } });
        expect([injected.statusCode, code(injected)]).toEqual([401, 'PC_ERR_OIDC_TOKEN_INVALID']);
        expect((await lastOidcAudit(srv.store)).details.reason).toBe('token_exchange_failed');
      } finally {
        await srv.close();
      }
    });

    it('refuses an expired ID token and one issued for another client (audience)', async () => {
      const srv = await start();
      try {
        for (const [tamper, reason] of [['expired', 'id_token_expired'], ['wrong_audience', 'audience_mismatch']] as const) {
          idp.tamper = tamper;
          try {
            const { res } = await sso(srv.app);
            expect([tamper, res.statusCode, code(res)]).toEqual([tamper, 401, 'PC_ERR_OIDC_TOKEN_INVALID']);
            expect(res.cookies.find((c) => c.name === 'pc_session')).toBeUndefined();
          } finally {
            idp.tamper = 'none';
          }
          expect((await lastOidcAudit(srv.store)).details.reason).toBe(reason);
        }
        expect((await sso(srv.app)).res.statusCode).toBe(200);
      } finally {
        await srv.close();
      }
    });

    it('maps groups to roles and host grants at every login; out of every mapped group means refused, no grants and no sessions', async () => {
      const srv = await start();
      const bob = idp.accounts.get('sub-bob')!;
      try {
        const local = (await srv.store.hosts.findByName('local')) ?? (await srv.store.hosts.create({ name: 'local', kind: 'local' }));
        const grantsOf = async (): Promise<string[]> => {
          const u = (await srv.store.users.findByUsername('bob'))!;
          return (await srv.store.grants.listForSubject('user', u.id)).map((g) => `${g.roleName}@${g.scopeType}:${g.scopeValue ?? ''}`).sort();
        };
        const first = await sso(srv.app, { account: 'sub-bob' });
        expect(first.res.statusCode).toBe(200);
        expect(await grantsOf()).toEqual(['operator@tag:prod', `viewer@host:${local.id}`]);
        const cookie = `pc_session=${cookieValue(first.res, 'pc_session')}`;
        bob.groups = ['viewers'];
        expect((await sso(srv.app, { account: 'sub-bob' })).res.statusCode).toBe(200);
        expect(await grantsOf()).toEqual([`viewer@host:${local.id}`]);
        bob.groups = ['unrelated'];
        const out = await sso(srv.app, { account: 'sub-bob' });
        expect([out.res.statusCode, code(out.res)]).toEqual([403, 'PC_ERR_OIDC_NO_ACCESS']);
        expect((await lastOidcAudit(srv.store)).details.reason).toBe('no_mapped_group');
        expect(await grantsOf()).toEqual([]);
        expect((await srv.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
        const nobody = await sso(srv.app, { account: 'sub-nobody' });
        expect([nobody.res.statusCode, code(nobody.res)]).toEqual([403, 'PC_ERR_OIDC_NO_ACCESS']);
        expect(await srv.store.users.findByUsername('nobody')).toBeUndefined();
      } finally {
        bob.groups = ['ops', 'viewers'];
        await srv.close();
      }
    });

    it('without auto-provisioning refuses an unlinked identity until an admin links it', async () => {
      const srv = await start({ PORTCULLIS_OIDC_AUTO_PROVISION: '0' });
      try {
        const refused = await sso(srv.app, { account: 'sub-bob' });
        expect([refused.res.statusCode, code(refused.res)]).toEqual([403, 'PC_ERR_OIDC_NO_ACCESS']);
        const rec = await lastOidcAudit(srv.store);
        expect([rec.details.reason, rec.details.subject]).toEqual(['not_linked', `${idp.issuer}#sub-bob`]);
        const root = await srv.store.users.create({ username: 'root', passwordHash: await hashPassword(PW), mustChangePassword: false });
        await srv.store.grants.add({ roleId: (await srv.store.roles.findByName('admin'))!.id, subjectType: 'user', subjectId: root.id, scopeType: 'all' });
        const target = await srv.store.users.create({ username: 'robert', passwordHash: await hashPassword(PW), mustChangePassword: false });
        const login = await srv.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'root', password: PW } });
        const headers = { cookie: `pc_session=${cookieValue(login, 'pc_session')}`, 'x-csrf-token': login.json<{ csrfToken: string }>().csrfToken };
        const link = await srv.app.inject({ method: 'POST', url: `/api/v1/users/${target.id}/oidc`, headers, payload: { subject: 'sub-bob' } });
        expect(link.statusCode).toBe(200);
        const ok = await sso(srv.app, { account: 'sub-bob' });
        expect([ok.res.statusCode, ok.res.json<{ user: { username: string } }>().user.username]).toEqual([200, 'robert']);
      } finally {
        await srv.close();
      }
    });

    it('in SSO-only mode refuses password login to everyone but the break-glass admin', async () => {
      const srv = await start({ PORTCULLIS_SSO_ONLY: '1' });
      try {
        await srv.store.users.create({ username: 'carol', passwordHash: await hashPassword(PW), mustChangePassword: false });
        const info = await srv.app.inject({ url: '/api/v1/auth/sso' });
        expect(info.json()).toEqual({ passwordLogin: 'break_glass_only', oidc: { enabled: true, displayName: 'single sign-on', loginUrl: '/api/v1/auth/oidc/login' } });
        const carol = await srv.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'carol', password: PW } });
        expect([carol.statusCode, code(carol)]).toEqual([403, 'PC_ERR_AUTH_SSO_ONLY']);
        expect(carol.cookies.find((c) => c.name === 'pc_session')).toBeUndefined();
        const wrongPw = await srv.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'carol', password: 'not-it' } });
        expect(code(wrongPw)).toBe('PC_ERR_AUTH_INVALID_CREDENTIALS');
        const admin = await srv.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN_PW } });
        expect(admin.statusCode).toBe(200);
        expect(cookieValue(admin, 'pc_session')).toBeTruthy();
        expect((await sso(srv.app)).res.statusCode).toBe(200);
      } finally {
        await srv.close();
      }
    });

    it('when the provider is down answers a clear error (JSON, or back to the login page) and the break-glass admin still logs in', async () => {
      const down = await startTestIdp({ redirectUris: [REDIRECT], accounts: [{ sub: 'x', groups: [] }] });
      const srv = await start({ PORTCULLIS_SSO_ONLY: '1' }, down);
      try {
        await down.stop();
        const json = await srv.app.inject({ url: '/api/v1/auth/oidc/login', headers: { accept: 'application/json' } });
        expect([json.statusCode, code(json)]).toEqual([503, 'PC_ERR_OIDC_UNAVAILABLE']);
        expect(json.json<{ error: { message: string } }>().error.message).toContain(down.issuer);
        const html = await srv.app.inject({ url: '/api/v1/auth/oidc/login', headers: { accept: 'text/html' } });
        expect([html.statusCode, html.headers.location]).toEqual([303, '/login?ssoError=PC_ERR_OIDC_UNAVAILABLE']);
        const rec = await lastOidcAudit(srv.store);
        expect([rec.result, rec.details.reason]).toEqual(['error', 'provider_unavailable']);
        const admin = await srv.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN_PW } });
        expect(admin.statusCode).toBe(200);
      } finally {
        await srv.close();
      }
    });
  });
});
