// Test helper for the operations API suites: a real startServer on 127.0.0.1 with the local Docker host, users with grants,
// logged-in callers (cookie + CSRF), labelled test containers, and WebSocket clients that collect JSON messages.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { WebSocket } from 'ws';
import { expect } from 'vitest';
import { hashPassword } from '../../src/auth/index.js';
import { readSettings, resolveServerSettings, serverSettings } from '../../src/config/index.js';
import { createLogger } from '../../src/log/index.js';
import { startServer, type StartedServer } from '../../src/server/index.js';
import type { ScopeType, Store } from '../../src/store/index.js';
import { docker, TEST_IMAGE, TEST_LABEL } from './docker-cli.js';

export const PW = 'Ops-Suite-Passphrase-4242';

export interface OpsServer {
  srv: StartedServer;
  /** ws://127.0.0.1:<port> */
  wsBase: string;
  origin: string;
  localId: string;
  close(): Promise<void>;
}

/** Starts a server (SQLite in a temp dir) with generous rate limits; `env` adds or overrides settings. */
export async function startOps(env: Record<string, string> = {}, opts: { wsRecheckMs?: number } = {}): Promise<OpsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-ops-'));
  const sink = new PassThrough();
  sink.resume();
  const resolved = resolveServerSettings(readSettings(serverSettings, {
    PORTCULLIS_LISTEN: '127.0.0.1:0', PORTCULLIS_DATA: join(dir, 'data'), PORTCULLIS_ADMIN_PASSWORD: 'Bootstrap-First-Pass-901',
    PORTCULLIS_RATE_AUTH: '1000/1m', PORTCULLIS_RATE_CONTAINERS: '10000/1m', PORTCULLIS_RATE_WS: '1000/1m', PORTCULLIS_RATE_HOSTS: '1000/1m', ...env,
  }));
  const srv = await startServer({
    resolved, logger: createLogger({ level: 'warning', destination: sink }), printSecret: () => undefined, loginMinMs: 10,
    ...(opts.wsRecheckMs !== undefined ? { wsRecheckMs: opts.wsRecheckMs } : {}),
  });
  const local = await srv.store.hosts.findByName('local');
  expect(local, 'the local Docker socket must be registered').toBeDefined();
  return {
    srv, wsBase: srv.url.replace(/^http/, 'ws'), origin: srv.url, localId: local!.id,
    async close() {
      await srv.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Grant { role: string; scopeType: ScopeType; scopeValue?: string }

/** Creates a user with the given role grants. */
export async function addUser(store: Store, username: string, grants: Grant[]): Promise<void> {
  const u = await store.users.create({ username, passwordHash: await hashPassword(PW), mustChangePassword: false });
  for (const g of grants) {
    const role = await store.roles.findByName(g.role);
    await store.grants.add({ roleId: role!.id, subjectType: 'user', subjectId: u.id, scopeType: g.scopeType, scopeValue: g.scopeValue ?? null });
  }
}

/** A logged-in caller: inject requests carry its cookie, and its CSRF token on writes. */
export interface Caller {
  cookie: string;
  csrf: string;
  req(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

export async function loginAs(ops: OpsServer, username: string): Promise<Caller> {
  const app = ops.srv.app;
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PW } });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = `pc_session=${res.cookies.find((c) => c.name === 'pc_session')!.value}`;
  const csrf = res.json<{ csrfToken: string }>().csrfToken;
  return {
    cookie, csrf,
    req: (opts) => app.inject({ ...opts, headers: { cookie, ...(opts.method && opts.method !== 'GET' ? { 'x-csrf-token': csrf } : {}), ...opts.headers } }),
  };
}

export const errCode = (res: LightMyRequestResponse): string | undefined => res.json<{ error?: { code: string } }>().error?.code;

/** A unique name for this run. */
export const uniq = (prefix: string): string => `${prefix}-${process.pid}-${randomUUID().slice(0, 8)}`;

/** Runs (or creates) a labelled busybox container; returns its id. */
export async function container(name: string, cmd: string[] = ['sleep', '600'], opts: { create?: boolean; args?: string[] } = {}): Promise<string> {
  const r = await docker([opts.create ? 'create' : 'run', ...(opts.create ? [] : ['-d']), '--label', TEST_LABEL, '--name', name, ...(opts.args ?? []), TEST_IMAGE, ...cmd]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

export async function removeContainers(names: string[]): Promise<void> {
  if (names.length) await docker(['rm', '-f', ...names]);
}

/** `docker inspect -f <format> <name>`, trimmed. */
export async function inspectField(name: string, format: string): Promise<string> {
  const r = await docker(['inspect', '-f', format, name]);
  return r.code === 0 ? r.stdout.trim() : `<missing: ${r.stderr.trim()}>`;
}

/** A WebSocket client that keeps every JSON message and can wait for one. */
export interface WsClient {
  ws: WebSocket;
  messages: Record<string, unknown>[];
  next(pred: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a WebSocket; resolves once open, or rejects with the HTTP status of a refused upgrade. */
export function openWs(url: string, headers: Record<string, string>): Promise<WsClient> {
  const ws = new WebSocket(url, { headers });
  const messages: Record<string, unknown>[] = [];
  const waiters: { pred: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];
  ws.on('message', (data) => {
    const m = JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>;
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const client: WsClient = {
    ws, messages, closed,
    next: (pred, timeoutMs = 10_000) => {
      const seen = messages.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 2000)}`)), timeoutMs);
        waiters.push({ pred, resolve: (m) => { clearTimeout(t); resolve(m); } });
      });
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode} ${body}`), { status: res.statusCode, body })));
    });
    ws.once('error', (err) => reject(err));
  });
}

/** The HTTP status (and error code) of a refused upgrade. */
export async function refusedUpgrade(url: string, headers: Record<string, string>): Promise<{ status: number; code?: string }> {
  try {
    const c = await openWs(url, headers);
    c.ws.close();
    return { status: 101 };
  } catch (err) {
    const e = err as { status?: number; body?: string };
    let code: string | undefined;
    try {
      code = (JSON.parse(e.body ?? '{}') as { error?: { code?: string } }).error?.code;
    } catch {
      // not JSON
    }
    return { status: e.status ?? 0, ...(code ? { code } : {}) };
  }
}
