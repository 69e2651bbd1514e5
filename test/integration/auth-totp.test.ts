// TOTP two-factor login through the real server (in-process startServer): enrol/confirm, two-step login, replay, recovery codes,
// lockout on the second step, admin reset (audited), role-required 2FA forcing enrolment, disabling; SQLite and PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, totpCode } from '../../src/auth/index.js';
import { readSettings, resolveServerSettings, serverSettings } from '../../src/config/index.js';
import { createLogger } from '../../src/log/index.js';
import { startServer, type StartedServer } from '../../src/server/index.js';
import { storeFactories } from '../helpers/postgres.js';

const factories = storeFactories();
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(factories.map((f) => f.cleanup()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const PW = 'Totp-Suite-Passphrase-58';
const MIN_MS = 300;
const code = (res: LightMyRequestResponse): string | undefined => res.json<{ error?: { code: string } }>().error?.code;
const now = (): number => Math.floor(Date.now() / 1000);

interface Session { cookie: string; csrf: string }

describe.each(factories)('TOTP login on $name', (f) => {
  describe.skipIf(f.skip)(f.name, () => {
    let srv: StartedServer;
    let app: FastifyInstance;
    let root: Session;

    beforeAll(async () => {
      const d = mkdtempSync(join(tmpdir(), 'portcullis-totp-'));
      dirs.push(d);
      const env: Record<string, string> = {
        PORTCULLIS_LISTEN: '127.0.0.1:0', PORTCULLIS_DATA: join(d, 'data'), PORTCULLIS_ADMIN_PASSWORD: 'Bootstrap-First-Pass-901',
        PORTCULLIS_RATE_AUTH: '1000/1m', PORTCULLIS_LOCKOUT_THRESHOLD: '3',
      };
      if (f.name === 'postgres') env.PORTCULLIS_DATABASE = await f.newUrl();
      srv = await startServer({
        resolved: resolveServerSettings(readSettings(serverSettings, env)), logger: createLogger({ level: 'err' }), printSecret: () => undefined, loginMinMs: MIN_MS,
      });
      app = srv.app;
      await addUser('root', 'admin');
      root = await login('root');
    });
    afterAll(async () => srv?.close());

    async function addUser(username: string, role: string): Promise<string> {
      const u = await srv.store.users.create({ username, passwordHash: await hashPassword(PW), mustChangePassword: false });
      await srv.store.grants.add({ roleId: (await srv.store.roles.findByName(role))!.id, subjectType: 'user', subjectId: u.id, scopeType: 'all' });
      return u.id;
    }
    const asSession = (res: LightMyRequestResponse): Session => ({
      cookie: `pc_session=${res.cookies.find((c) => c.name === 'pc_session')!.value}`, csrf: res.json<{ csrfToken: string }>().csrfToken,
    });
    async function login(username: string): Promise<Session> {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PW } });
      expect(res.statusCode).toBe(200);
      return asSession(res);
    }
    const post = (s: Session, url: string, payload: Record<string, unknown> = {}) => app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload });
    const step2 = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/auth/login/2fa', payload });
    async function enrol(s: Session): Promise<{ secret: string; recoveryCodes: string[] }> {
      const e = await post(s, '/api/v1/auth/2fa/enrol');
      expect(e.statusCode).toBe(200);
      const { secret } = e.json<{ secret: string }>();
      const ok = await post(s, '/api/v1/auth/2fa/confirm', { code: await totpCode({ secret, epoch: now() }) });
      expect(ok.statusCode).toBe(200);
      return { secret, recoveryCodes: ok.json<{ recoveryCodes: string[] }>().recoveryCodes };
    }
    async function challengeFor(username: string): Promise<string> {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PW } });
      expect(res.statusCode).toBe(200);
      expect(res.cookies.find((c) => c.name === 'pc_session')).toBeUndefined();
      const body = res.json<{ totpRequired: boolean; challenge: string }>();
      expect(body.totpRequired).toBe(true);
      return body.challenge;
    }

    it('enrols with a QR code, activates only after a confirmation code, then logs in in two steps; a code is refused a second time', async () => {
      await addUser('dora', 'viewer');
      const s = await login('dora');
      const e = await post(s, '/api/v1/auth/2fa/enrol');
      const enrolment = e.json<{ secret: string; otpauthUri: string; qrDataUrl: string }>();
      expect(enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\/Portcullis:dora\?/);
      expect(enrolment.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
      expect((await app.inject({ url: '/api/v1/auth/2fa', headers: { cookie: s.cookie } })).json()).toMatchObject({ enabled: false, enrolling: true });
      // Not active yet: the password alone still logs in.
      expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'dora', password: PW } })).json()).toHaveProperty('csrfToken');
      const wrong = await post(s, '/api/v1/auth/2fa/confirm', { code: '000000' });
      expect([wrong.statusCode, code(wrong)]).toEqual([403, 'PC_ERR_AUTH_2FA_CODE_WRONG']);
      const ok = await post(s, '/api/v1/auth/2fa/confirm', { code: await totpCode({ secret: enrolment.secret, epoch: now() }) });
      const codes = ok.json<{ recoveryCodes: string[] }>().recoveryCodes;
      expect(codes).toHaveLength(10);
      expect((await app.inject({ url: '/api/v1/auth/2fa', headers: { cookie: s.cookie } })).json()).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });

      const next = await totpCode({ secret: enrolment.secret, epoch: now() + 30 });
      const done = await step2({ challenge: await challengeFor('dora'), code: next });
      expect(done.statusCode).toBe(200);
      const me = await app.inject({ url: '/api/v1/auth/me', headers: { cookie: asSession(done).cookie } });
      expect(me.json<{ user: { username: string } }>().user.username).toBe('dora');
      const replay = await step2({ challenge: await challengeFor('dora'), code: next });
      expect([replay.statusCode, code(replay)]).toEqual([401, 'PC_ERR_AUTH_2FA_INVALID']);
      const audit = await srv.store.audit.list({ action: 'auth.login.2fa', order: 'desc', limit: 2 });
      expect(audit.map((r) => [r.result, r.details.reason ?? r.details.secondFactor])).toEqual([['denied', 'totp_replayed'], ['success', 'totp']]);

      // Recovery codes: each works once.
      const rc = await step2({ challenge: await challengeFor('dora'), recoveryCode: codes[0] });
      expect(rc.statusCode).toBe(200);
      const rc2 = await step2({ challenge: await challengeFor('dora'), recoveryCode: codes[0] });
      expect(code(rc2)).toBe('PC_ERR_AUTH_2FA_INVALID');
      // A challenge is single use.
      const c = await challengeFor('dora');
      expect((await step2({ challenge: c, recoveryCode: codes[1] })).statusCode).toBe(200);
      expect(code(await step2({ challenge: c, recoveryCode: codes[2] }))).toBe('PC_ERR_AUTH_2FA_INVALID');
    });

    it('counts wrong second-step codes toward the lockout like wrong passwords, with the same padded answer', async () => {
      const id = await addUser('erin', 'viewer');
      await enrol(await login('erin'));
      const challenge = await challengeFor('erin');
      const t0 = Date.now();
      const unknown = await step2({ challenge: 'A'.repeat(43), code: '123456' });
      expect([unknown.statusCode, code(unknown)]).toEqual([401, 'PC_ERR_AUTH_2FA_INVALID']);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(MIN_MS - 5);
      for (let i = 0; i < 3; i++) {
        const t = Date.now();
        const res = await step2({ challenge, code: '000000' });
        expect([res.statusCode, code(res)]).toEqual([401, 'PC_ERR_AUTH_2FA_INVALID']);
        expect(Date.now() - t).toBeGreaterThanOrEqual(MIN_MS - 5);
      }
      const locked = await step2({ challenge, code: '000000' });
      expect([locked.statusCode, code(locked)]).toEqual([429, 'PC_ERR_AUTH_LOCKED']);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      const pw = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'erin', password: PW } });
      expect(code(pw)).toBe('PC_ERR_AUTH_LOCKED');
      const lockouts = await srv.store.audit.list({ action: 'auth.lockout', actor: 'erin' });
      expect(lockouts.map((r) => [r.details.by, r.details.step])).toEqual([['user', 'second_factor']]);
      await post(root, `/api/v1/users/${id}/unlock`);
    });

    it("lets an admin reset a user's 2FA (audited; the user's sessions end; the next login has no second step), but not their own", async () => {
      const id = await addUser('fred', 'viewer');
      const s = await login('fred');
      await enrol(s);
      const reset = await post(root, `/api/v1/users/${id}/2fa/reset`);
      expect([reset.statusCode, reset.json()]).toEqual([200, { ok: true, wasEnabled: true }]);
      const rec = (await srv.store.audit.list({ action: 'user.2fa.reset' })).at(-1)!;
      expect([rec.actor, rec.result, rec.target, rec.details.username]).toEqual(['root', 'success', id, 'fred']);
      expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);
      expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'fred', password: PW } })).json()).toHaveProperty('csrfToken');
      const rootId = (await srv.store.users.findByUsername('root'))!.id;
      const self = await post(root, `/api/v1/users/${rootId}/2fa/reset`);
      expect([self.statusCode, code(self)]).toEqual([409, 'PC_ERR_USER_SELF_2FA_RESET']);
      const viewer = await post(await login('fred'), `/api/v1/users/${rootId}/2fa/reset`);
      expect(code(viewer)).toBe('PC_ERR_AUTH_FORBIDDEN');
      expect((await srv.store.audit.list({ action: 'user.2fa.reset', result: 'denied' })).length).toBeGreaterThanOrEqual(1);
    });

    it('forces enrolment at the next login for holders of a role that requires 2FA, and ends their sessions when the policy is set', async () => {
      await addUser('gina', 'operator');
      const old = await login('gina');
      const set = await app.inject({ method: 'PATCH', url: '/api/v1/auth/2fa/policy', headers: { cookie: root.cookie, 'x-csrf-token': root.csrf }, payload: { requiredRoles: ['operator'] } });
      try {
        expect(set.statusCode).toBe(200);
        expect(set.json()).toMatchObject({ requiredRoles: ['operator'] });
        expect(set.json<{ sessionsEnded: number }>().sessionsEnded).toBeGreaterThanOrEqual(1);
        expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie: old.cookie } })).statusCode).toBe(401);
        const first = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'gina', password: PW } });
        expect(first.cookies.find((c) => c.name === 'pc_session')).toBeUndefined();
        const { challenge, totpEnrolmentRequired } = first.json<{ challenge: string; totpEnrolmentRequired: boolean }>();
        expect(totpEnrolmentRequired).toBe(true);
        const e = await app.inject({ method: 'POST', url: '/api/v1/auth/login/2fa/enrol', payload: { challenge } });
        const { secret } = e.json<{ secret: string }>();
        const done = await step2({ challenge, code: await totpCode({ secret, epoch: now() }) });
        expect(done.statusCode).toBe(200);
        expect(done.json<{ recoveryCodes: string[] }>().recoveryCodes).toHaveLength(10);
        const s = asSession(done);
        const off = await post(s, '/api/v1/auth/2fa/disable', { password: PW, code: await totpCode({ secret, epoch: now() + 30 }) });
        expect([off.statusCode, code(off)]).toEqual([409, 'PC_ERR_AUTH_2FA_REQUIRED_BY_ROLE']);
        expect((await challengeFor('gina')).length).toBe(43);
      } finally {
        await app.inject({ method: 'PATCH', url: '/api/v1/auth/2fa/policy', headers: { cookie: root.cookie, 'x-csrf-token': root.csrf }, payload: { requiredRoles: [] } });
      }
    });

    it('turns the own 2FA off only with the password and a valid code', async () => {
      await addUser('hank', 'viewer');
      const s = await login('hank');
      const { secret } = await enrol(s);
      const badPw = await post(s, '/api/v1/auth/2fa/disable', { password: 'wrong-password', code: await totpCode({ secret, epoch: now() + 30 }) });
      expect([badPw.statusCode, code(badPw)]).toEqual([403, 'PC_ERR_AUTH_CURRENT_PASSWORD_WRONG']);
      const badCode = await post(s, '/api/v1/auth/2fa/disable', { password: PW, code: '000000' });
      expect([badCode.statusCode, code(badCode)]).toEqual([403, 'PC_ERR_AUTH_2FA_CODE_WRONG']);
      const noCode = await post(s, '/api/v1/auth/2fa/disable', { password: PW });
      expect(code(noCode)).toBe('PC_ERR_REQUEST_INVALID');
      const ok = await post(s, '/api/v1/auth/2fa/disable', { password: PW, code: await totpCode({ secret, epoch: now() + 30 }) });
      expect(ok.statusCode).toBe(200);
      expect((await app.inject({ url: '/api/v1/auth/2fa', headers: { cookie: s.cookie } })).json()).toMatchObject({ enabled: false });
      const rec = (await srv.store.audit.list({ action: 'auth.2fa.disable', actor: 'hank' })).map((r) => r.result);
      expect(rec).toEqual(['denied', 'denied', 'error', 'success']);
    });

    it('accepts the code in the login request itself (one step, for scripts)', async () => {
      await addUser('ivy', 'viewer');
      const { secret } = await enrol(await login('ivy'));
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ivy', password: PW, totp: await totpCode({ secret, epoch: now() + 30 }) } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toHaveProperty('csrfToken');
      const bad = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ivy', password: PW, totp: '000000' } });
      expect(code(bad)).toBe('PC_ERR_AUTH_2FA_INVALID');
    });
  });
});
