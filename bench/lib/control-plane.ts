// Runs `portcullis server` (TLS auto) for the agents benchmark and talks to its REST API: admin bootstrap, API token, hosts.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent as HttpsPool, request } from 'undici';
import { startChild, tail, waitForOutput, type BenchChild } from './child.js';

/** A running server with an admin API token. */
export interface ControlPlane {
  readonly child: BenchChild;
  readonly pid: number;
  /** https://127.0.0.1:<port> */
  readonly base: string;
  /** PEM of the server's local CA (data/tls/ca.crt). */
  readonly ca: string;
  readonly caFile: string;
  /** Admin-role API token (Bearer). */
  token: string;
  /** A keep-alive HTTPS pool that trusts the CA. */
  readonly pool: HttpsPool;
  /** One JSON call; throws unless the status is `expect`. */
  call<T>(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; expect: number; bearer?: boolean }): Promise<{ body: T; headers: Record<string, string | string[] | undefined> }>;
  stop(): Promise<void>;
}

/** Starts the built server on 127.0.0.1:<port> with PORTCULLIS_TLS=auto and a fresh data dir. */
export async function startControlPlane(opts: { repoRoot: string; workDir: string; port: number; env: Record<string, string>; nodeArgs?: string[]; name?: string }): Promise<ControlPlane> {
  const adminPassword = `init-${randomBytes(24).toString('base64url')}`;
  const dataDir = join(opts.workDir, `${opts.name ?? 'server'}-data`);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...opts.env, PORTCULLIS_TLS: 'auto', PORTCULLIS_ADMIN_PASSWORD: adminPassword };
  const args = [...(opts.nodeArgs ?? []), join(opts.repoRoot, 'bin', 'portcullis'), 'server', '--data', dataDir, '--listen', `127.0.0.1:${opts.port}`];
  const child = startChild(process.execPath, args, env, join(opts.workDir, opts.name ?? 'server'), opts.repoRoot);
  try {
    await waitForOutput(child, child.stdoutFile, 'portcullis server listening', 60_000);
  } catch (err) {
    await child.stop();
    throw err;
  }
  const caFile = join(dataDir, 'tls', 'ca.crt');
  const ca = readFileSync(caFile, 'utf8');
  const pool = new HttpsPool({ connect: { ca }, connections: 16, keepAliveTimeout: 30_000 });
  const base = `https://127.0.0.1:${opts.port}`;
  const cp: ControlPlane = {
    child, pid: child.pid, base, ca, caFile, token: '', pool,
    async call<T>(method: string, path: string, init: { body?: unknown; headers?: Record<string, string>; expect: number; bearer?: boolean }) {
      const headers: Record<string, string> = { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers };
      if (init.bearer !== false && cp.token !== '') headers.authorization = `Bearer ${cp.token}`;
      const res = await request(`${base}${path}`, {
        method: method as 'GET', headers, dispatcher: pool, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
      const text = await res.body.text();
      if (res.statusCode !== init.expect) throw new Error(`${method} ${path}: expected ${init.expect}, got ${res.statusCode} ${text.slice(0, 300)}`);
      return { body: (text === '' ? undefined : JSON.parse(text)) as T, headers: res.headers };
    },
    async stop() {
      await pool.close().catch(() => undefined);
      await child.stop();
    },
  };
  try {
    cp.token = await adminToken(cp, adminPassword);
  } catch (err) {
    await cp.stop();
    throw new Error(`could not prepare the admin token: ${(err as Error).message} ${tail(child.stderrFile, 600)}`);
  }
  return cp;
}

function sessionCookie(headers: Record<string, string | string[] | undefined>): string {
  const raw = headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const value = list.find((v) => v.startsWith('pc_session='))?.split(';')[0]?.slice('pc_session='.length);
  if (!value) throw new Error('the login answer set no pc_session cookie');
  return value;
}

/** First login as admin, the forced password change, then an API token with the admin role on all hosts. */
async function adminToken(cp: ControlPlane, initial: string): Promise<string> {
  const login = await cp.call<{ csrfToken: string; mustChangePassword: boolean }>('POST', '/api/v1/auth/login', { body: { username: 'admin', password: initial }, expect: 200, bearer: false });
  const next = `bench-${randomBytes(18).toString('base64url')}`;
  const changed = await cp.call<{ csrfToken: string }>('POST', '/api/v1/auth/password', {
    body: { current: initial, next }, expect: 200, bearer: false,
    headers: { cookie: `pc_session=${sessionCookie(login.headers)}`, 'x-csrf-token': login.body.csrfToken },
  });
  const created = await cp.call<{ token: string }>('POST', '/api/v1/tokens', {
    body: { name: 'agents-bench', grants: [{ role: 'admin', scopeType: 'all' }] }, expect: 201, bearer: false,
    headers: { cookie: `pc_session=${sessionCookie(changed.headers)}`, 'x-csrf-token': changed.body.csrfToken },
  });
  return created.body.token;
}

/** A host added through POST /api/v1/hosts. */
export interface AddedHost {
  id: string;
  name: string;
  token: string;
}

/** Adds `count` agent hosts named `<prefix>-<i>` with `tags(i)`, `concurrency` requests at a time. */
export async function addHosts(cp: ControlPlane, prefix: string, count: number, tags: (i: number) => string[], concurrency = 8): Promise<{ hosts: AddedHost[]; wallMs: number }> {
  const t0 = performance.now();
  const hosts: AddedHost[] = new Array<AddedHost>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const r = await cp.call<{ host: { id: string; name: string }; token: string }>('POST', '/api/v1/hosts', { body: { name: `${prefix}-${i}`, tags: tags(i) }, expect: 201 });
      hosts[i] = { id: r.body.host.id, name: r.body.host.name, token: r.body.token };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { hosts, wallMs: performance.now() - t0 };
}

/** Revokes hosts (DELETE /api/v1/hosts/:id), `concurrency` at a time. */
export async function removeHosts(cp: ControlPlane, ids: string[], concurrency = 8): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) await cp.call('DELETE', `/api/v1/hosts/${ids[next++]!}`, { expect: 200 });
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
