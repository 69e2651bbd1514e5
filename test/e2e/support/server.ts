// e2e server: a real startServer on 127.0.0.1 (free port, temp data dir, the real dockerd as host "local") serving the built UI,
// plus a small Node-side API client for setting up users and grants through the API itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { readSettings, resolveServerSettings, serverSettings } from '../../../src/config/index.js';
import { createLogger } from '../../../src/log/index.js';
import { startServer, type StartedServer } from '../../../src/server/index.js';

/** The bootstrap admin password (PORTCULLIS_ADMIN_PASSWORD); the UI forces a change at first login. */
export const ADMIN_BOOT_PASSWORD = 'Bootstrap-First-Pass-901';
/** The admin password after the forced change (tests that skip the first-login flow set it through the API). */
export const ADMIN_PASSWORD = 'Gatekeeper-Chosen-Passphrase-4417';
/** Password of users the tests create. */
export const USER_PASSWORD = 'E2e-User-Passphrase-2288';

export interface E2eServer {
  url: string;
  srv: StartedServer;
  logs: string[];
  close(): Promise<void>;
}

/** Starts the server; limits are raised so a browser test is never throttled (the limits have their own tests). */
export async function startE2eServer(env: Record<string, string> = {}): Promise<E2eServer> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-e2e-'));
  const logs: string[] = [];
  const sink = new PassThrough();
  sink.on('data', (b: Buffer) => logs.push(...b.toString().trim().split('\n')));
  const resolved = resolveServerSettings(readSettings(serverSettings, {
    PORTCULLIS_LISTEN: '127.0.0.1:0', PORTCULLIS_DATA: join(dir, 'data'), PORTCULLIS_ADMIN_PASSWORD: ADMIN_BOOT_PASSWORD,
    PORTCULLIS_RATE_AUTH: '1000/1m', PORTCULLIS_RATE_HOSTS: '10000/1m', PORTCULLIS_RATE_CONTAINERS: '10000/1m', PORTCULLIS_RATE_WS: '10000/1m',
    ...env,
  }));
  const srv = await startServer({ resolved, logger: createLogger({ level: 'warn', destination: sink }), printSecret: () => undefined, loginMinMs: 20 });
  return {
    url: srv.url, srv, logs,
    close: async () => {
      await srv.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A logged-in API session from Node (cookie + CSRF), for setting up what a test needs. */
export class ApiSession {
  private constructor(readonly base: string, private cookie: string, private csrf: string) {}

  /** Logs in; with `newPassword`, also performs the forced password change. */
  static async login(base: string, username: string, password: string, newPassword?: string): Promise<ApiSession> {
    const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (res.status !== 200) throw new Error(`login of ${username} failed: ${res.status} ${await res.text()}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    const body = (await res.json()) as { csrfToken: string; mustChangePassword: boolean };
    const s = new ApiSession(base, cookie, body.csrfToken);
    if (body.mustChangePassword && newPassword) {
      const r = await s.raw('POST', '/api/v1/auth/password', { current: password, next: newPassword });
      s.cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
      s.csrf = ((await r.json()) as { csrfToken: string }).csrfToken;
    }
    return s;
  }

  async raw(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.cookie, 'x-csrf-token': this.csrf };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${this.base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.raw(method, path, body);
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }

  /** Creates a user (no forced change) holding `role` on all hosts, or on the hosts carrying `tag`. */
  async createUser(username: string, role: string, tag?: string): Promise<string> {
    const { user } = await this.json<{ user: { id: string } }>('POST', '/api/v1/users', { username, password: USER_PASSWORD, mustChangePassword: false });
    const scope = tag === undefined ? { scopeType: 'all' } : { scopeType: 'tag', scopeValue: tag };
    await this.json('POST', `/api/v1/users/${user.id}/grants`, { role, ...scope });
    return user.id;
  }
}
