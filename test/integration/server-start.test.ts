// startServer for real: data dir modes, first-run admin and its password file, the forced first password change,
// TLS auto (certificate SANs, HSTS, reuse on restart) on a real listener on 127.0.0.1, on SQLite and PostgreSQL.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { readSettings, resolveServerSettings, serverSettings } from '../../src/config/index.js';
import { createLogger } from '../../src/log/index.js';
import { INITIAL_PASSWORD_FILE, startServer, type StartedServer } from '../../src/server/index.js';
import { storeFactories } from '../helpers/postgres.js';

const factories = storeFactories();
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(factories.map((f) => f.cleanup()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'portcullis-server-'));
  dirs.push(d);
  return join(d, 'data');
}

async function start(env: Record<string, string>): Promise<{ srv: StartedServer; logs: string[]; secrets: string[] }> {
  const logs: string[] = [];
  const sink = new PassThrough();
  sink.on('data', (b: Buffer) => logs.push(...b.toString().trim().split('\n')));
  const resolved = resolveServerSettings(readSettings(serverSettings, { PORTCULLIS_LISTEN: '127.0.0.1:0', ...env }));
  const secrets: string[] = [];
  const srv = await startServer({ resolved, logger: createLogger({ level: 'info', destination: sink }), printSecret: (t) => secrets.push(t), loginMinMs: 100 });
  return { srv, logs, secrets };
}

const mode = (p: string): number => statSync(p).mode & 0o777;

function httpsGet(url: string, ca: string): Promise<{ status: number; headers: Record<string, unknown>; san: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, servername: 'localhost' }, (res) => {
      const san = (res.socket as TLSSocket).getPeerCertificate().subjectaltname ?? '';
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, san, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startServer with --tls auto on a real listener', () => {
  it('creates the CA and a certificate naming localhost and the loopbacks, serves HSTS, and reuses both on restart', async () => {
    const data = tempDir();
    const first = await start({ PORTCULLIS_DATA: data, PORTCULLIS_TLS: 'auto' });
    let fingerprint = '';
    try {
      expect(first.srv.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = readFileSync(first.srv.caCertPath!, 'utf8');
      const res = await httpsGet(`${first.srv.url}/healthz`, ca);
      expect(res.status).toBe(200);
      expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      for (const name of ['DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1']) expect(res.san).toContain(name);
      fingerprint = readFileSync(join(data, 'tls', 'server.crt'), 'utf8');
      for (const f of ['ca.crt', 'ca.key', 'server.crt', 'server.key']) expect(mode(join(data, 'tls', f))).toBe(0o600);
      expect(mode(join(data, 'tls'))).toBe(0o700);
    } finally {
      await first.srv.close();
    }
    const second = await start({ PORTCULLIS_DATA: data, PORTCULLIS_TLS: 'auto' });
    try {
      expect(readFileSync(join(data, 'tls', 'server.crt'), 'utf8')).toBe(fingerprint);
      expect(second.logs.join('\n')).toMatch(/TLS auto: reused/);
      expect(second.secrets).toEqual([]);
    } finally {
      await second.srv.close();
    }
  });

  it('tightens a loose data dir and files in it, and says so', async () => {
    const data = tempDir();
    mkdirSync(data, { mode: 0o755 });
    chmodSync(data, 0o755);
    writeFileSync(join(data, 'notes.txt'), 'x', { mode: 0o644 });
    chmodSync(join(data, 'notes.txt'), 0o644);
    const { srv, logs } = await start({ PORTCULLIS_DATA: data });
    try {
      expect(mode(data)).toBe(0o700);
      expect(mode(join(data, 'notes.txt'))).toBe(0o600);
      expect(logs.filter((l) => /data dir permissions/.test(l)).join('\n')).toMatch(/notes\.txt had mode 0644; set to 0600/);
      expect(logs.join('\n')).toMatch(/had mode 0755; set to 0700/);
    } finally {
      await srv.close();
    }
  });
});

describe.each(factories)('first run on $name', (f) => {
  describe.skipIf(f.skip)(f.name, () => {
    it('creates admin with a one-time password (printed once, file 0600) that must be changed at first login', async () => {
      const data = tempDir();
      const env: Record<string, string> = { PORTCULLIS_DATA: data, PORTCULLIS_RATE_AUTH: '100/1m' };
      if (f.name === 'postgres') env.PORTCULLIS_DATABASE = await f.newUrl();
      const { srv, secrets } = await start(env);
      try {
        expect(mode(data)).toBe(0o700);
        const file = join(data, INITIAL_PASSWORD_FILE);
        expect(mode(file)).toBe(0o600);
        expect(mode(join(data, 'secret.key'))).toBe(0o600);
        if (f.name === 'sqlite') for (const n of ['portcullis.db', 'portcullis.db-wal']) expect(mode(join(data, n))).toBe(0o600);
        const password = readFileSync(file, 'utf8').trim();
        expect(secrets).toHaveLength(1);
        expect(secrets[0]).toContain(password);
        const app = srv.app;
        const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password } });
        expect(login.json()).toMatchObject({ mustChangePassword: true, user: { username: 'admin' } });
        expect(existsSync(file)).toBe(false);
        const cookie = `pc_session=${login.cookies.find((c) => c.name === 'pc_session')!.value}`;
        const csrf = login.json<{ csrfToken: string }>().csrfToken;
        const blocked = await app.inject({ url: '/api/v1/users', headers: { cookie } });
        expect([blocked.statusCode, blocked.json<{ error: { code: string } }>().error.code]).toEqual([403, 'PC_ERR_AUTH_PASSWORD_CHANGE_REQUIRED']);
        expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(200);
        const weak = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie, 'x-csrf-token': csrf }, payload: { current: password, next: 'password123456' } });
        expect([weak.statusCode, weak.json<{ error: { code: string } }>().error.code]).toEqual([400, 'PC_ERR_AUTH_PASSWORD_POLICY']);
        const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie, 'x-csrf-token': csrf }, payload: { current: 'not-it-at-all', next: 'Fresh-Unique-Phrase-2207' } });
        expect(wrong.statusCode).toBe(403);
        const changed = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie, 'x-csrf-token': csrf }, payload: { current: password, next: 'Fresh-Unique-Phrase-2207' } });
        expect(changed.statusCode).toBe(200);
        const newCookie = `pc_session=${changed.cookies.find((c) => c.name === 'pc_session')!.value}`;
        expect(newCookie).not.toBe(cookie);
        expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
        const users = await app.inject({ url: '/api/v1/users', headers: { cookie: newCookie } });
        expect(users.statusCode).toBe(200);
        const audit = await srv.store.audit.list({ limit: 1000 });
        expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['user.bootstrap', 'auth.login', 'auth.password.change']));
        expect(JSON.stringify(audit)).not.toContain(password);
        expect(JSON.stringify(audit)).not.toContain('Fresh-Unique-Phrase-2207');
      } finally {
        await srv.close();
      }
    });

    it('takes the admin password from PORTCULLIS_ADMIN_PASSWORD, writes no file, and mirrors audit records to a 0600 file', async () => {
      const data = tempDir();
      const mirror = join(data, '..', 'audit.jsonl');
      const env: Record<string, string> = { PORTCULLIS_DATA: data, PORTCULLIS_ADMIN_PASSWORD: 'Automation-Set-Pass-4410', PORTCULLIS_AUDIT_MIRROR: `file:${mirror}` };
      if (f.name === 'postgres') env.PORTCULLIS_DATABASE = await f.newUrl();
      const { srv, secrets } = await start(env);
      try {
        expect(existsSync(join(data, INITIAL_PASSWORD_FILE))).toBe(false);
        expect(secrets).toEqual([]);
        const login = await srv.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'Automation-Set-Pass-4410' } });
        expect(login.json()).toMatchObject({ mustChangePassword: true });
        await srv.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'Wrong-Guess-Entirely-1' } });
      } finally {
        await srv.close();
      }
      expect(mode(mirror)).toBe(0o600);
      const lines = readFileSync(mirror, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; result: string; hash: string });
      expect(lines.map((l) => `${l.action}:${l.result}`)).toEqual(['auth.login:success', 'auth.login:denied']);
      expect(lines.every((l) => /^[0-9a-f]{64}$/.test(l.hash))).toBe(true);
      expect(readFileSync(mirror, 'utf8')).not.toContain('Automation-Set-Pass-4410');
    });
  });
});
