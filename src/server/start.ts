// startServer: data dir, secret key, TLS, database, first-run admin, the local Docker host, audit mirror, then listen.
import { hostname } from 'node:os';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadOrCreateKey } from '../auth/index.js';
import type { ResolvedServerSettings } from '../config/index.js';
import { HostRegistry } from '../hosts/index.js';
import type { Logger } from '../log/index.js';
import { openDatabase, type AuditRecord, type Store } from '../store/index.js';
import { buildApp, servicesOf } from './app.js';
import { DEFAULT_DOCKER_SOCKET, ensureAdmin, ensureLocalHost, INITIAL_PASSWORD_FILE } from './bootstrap.js';
import { prepareDataDir } from './data-dir.js';
import { ensureTlsMaterial } from './tls.js';

/** Expired and revoked sessions are deleted this often. */
export const SESSION_PURGE_INTERVAL_MS = 60 * 60_000;

export interface StartOptions {
  resolved: ResolvedServerSettings;
  logger: Logger;
  /** Receives the one-time admin password notice (the CLI writes it to stderr, never to the log). */
  printSecret: (text: string) => void;
  /** Where `--audit-mirror stdout` writes (default process.stdout). */
  stdout?: NodeJS.WritableStream;
  /** Test hook: floor of failed login answers. */
  loginMinMs?: number;
  /** Test hook: how often open WebSockets re-check their credential and grants. */
  wsRecheckMs?: number;
  /** The local Docker socket, registered as host `local` when it exists; default /var/run/docker.sock. */
  dockerSocket?: string;
}

export interface StartedServer {
  app: FastifyInstance;
  store: Store;
  /** The live Docker hosts (`local` when the socket was there); closed by close(). */
  hosts: HostRegistry;
  /** Base URL, e.g. https://127.0.0.1:18282 (with the base path). */
  url: string;
  port: number;
  /** Path of the local CA certificate under --tls auto. */
  caCertPath?: string;
  close(): Promise<void>;
}

function auditMirror(target: string, stdout: NodeJS.WritableStream): { write: (r: AuditRecord) => void; close: () => Promise<void> } | undefined {
  if (target === '') return undefined;
  let stream: NodeJS.WritableStream | WriteStream = stdout;
  if (target.startsWith('file:')) stream = createWriteStream(target.slice('file:'.length), { flags: 'a', mode: 0o600 });
  const owned = stream !== stdout;
  return {
    write: (r) => void stream.write(`${JSON.stringify(r)}\n`),
    close: () => (owned ? new Promise<void>((resolve) => (stream as WriteStream).end(() => resolve())) : Promise.resolve()),
  };
}

async function tlsFor(resolved: ResolvedServerSettings, dataDir: string, log: Logger): Promise<{ key: string; cert: string; caCertPath?: string } | undefined> {
  const tls = resolved.tls;
  if (tls.mode === 'off') return undefined;
  if (tls.mode === 'files') {
    const [cert, key] = await Promise.all([readFile(tls.certFile, 'utf8'), readFile(tls.keyFile, 'utf8')]);
    return { key, cert };
  }
  const m = await ensureTlsMaterial(dataDir, resolved.settings.LISTEN.host);
  log.info({ action: m.action, names: m.names, ca: m.caCertPath }, `TLS auto: ${m.action} certificate; trust ${m.caCertPath} in your clients`);
  return { key: m.key, cert: m.cert, caCertPath: m.caCertPath };
}

/**
 * Starts `portcullis server` from checked settings. Resolves once it listens; `close()` stops it.
 * @example const srv = await startServer({ resolved, logger, printSecret: (t) => process.stderr.write(t) });
 */
export async function startServer(opts: StartOptions): Promise<StartedServer> {
  const { resolved, logger: log } = opts;
  const s = resolved.settings;
  for (const w of resolved.warnings) log.warn(w);
  for (const w of await prepareDataDir(s.DATA)) log.warn(`data dir permissions: ${w}`);
  const key = await loadOrCreateKey(join(s.DATA, 'secret.key'));
  if (key.modeFixed) log.warn('secret.key was readable by others; its mode was set to 0600 (rotate it if the machine is shared)');
  const tls = await tlsFor(resolved, s.DATA, log);
  const store = await openDatabase(resolved.databaseUrl, { logger: log });
  const mirror = auditMirror(s.AUDIT_MIRROR, opts.stdout ?? process.stdout);
  let purge: NodeJS.Timeout | undefined;
  const hosts = new HostRegistry();
  try {
    await store.migrate();
    const boot = await ensureAdmin(store, { dataDir: s.DATA, adminPassword: s.ADMIN_PASSWORD });
    if (boot.generated && boot.password) {
      opts.printSecret(`\nportcullis: created user "admin" with one-time password:\n\n    ${boot.password}\n\n(also in ${join(s.DATA, INITIAL_PASSWORD_FILE)}; it must be changed at first login)\n\n`);
    } else if (boot.created) {
      log.info('created user "admin" with the password from PORTCULLIS_ADMIN_PASSWORD; it must be changed at first login');
    }
    const socketPath = opts.dockerSocket ?? DEFAULT_DOCKER_SOCKET;
    const local = await ensureLocalHost(store, hosts, { socketPath });
    if (local.registered) log.info({ hostId: local.host.id, socketPath }, `${local.created ? 'created' : 'reused'} host "local" for the Docker socket`);
    else log.info({ socketPath }, `no local host registered: ${local.reason}`);
    const app = buildApp({
      store, hosts, logger: log, ...(tls ? { https: { key: tls.key, cert: tls.cert } } : {}), ...(mirror ? { auditMirror: mirror.write } : {}),
      config: {
        basePath: s.BASE_PATH, trustProxy: s.TRUST_PROXY, allowedHosts: [...s.ALLOWED_HOSTS, hostname().toLowerCase()], tls: tls !== undefined, maxBodyBytes: s.MAX_BODY_BYTES,
        rates: { auth: s.RATE_AUTH, hosts: s.RATE_HOSTS, containers: s.RATE_CONTAINERS, notifications: s.RATE_NOTIFICATIONS, ws: s.RATE_WS },
        lockout: { maxFailures: s.LOCKOUT_THRESHOLD, windowMs: s.LOCKOUT_WINDOW, lockMs: s.LOCKOUT_DURATION },
        sessionIdleMs: s.SESSION_IDLE, sessionAbsoluteMs: s.SESSION_ABSOLUTE, dataDir: s.DATA, execEnabled: s.EXEC_ENABLED,
        agentDeadAfterMs: s.AGENT_DEAD_AFTER, ...(s.PUBLIC_URL ? { publicUrl: s.PUBLIC_URL } : {}),
        ...(opts.loginMinMs !== undefined ? { loginMinMs: opts.loginMinMs } : {}),
        ...(opts.wsRecheckMs !== undefined ? { wsRecheckMs: opts.wsRecheckMs } : {}),
        secretKey: key.key, sso: resolved.sso,
      },
    });
    // Issue 7: the OIDC client secret is stored encrypted now, so the variable can go; a missing one stops the start.
    await servicesOf(app).oidc?.clientSecret();
    const agents = servicesOf(app).agents;
    await agents.loadHosts();
    await app.listen({ host: s.LISTEN.host, port: s.LISTEN.port });
    for (const w of await prepareDataDir(s.DATA)) log.warn(`data dir permissions: ${w}`);
    purge = setInterval(() => void store.sessions.purgeExpired().catch(() => undefined), SESSION_PURGE_INTERVAL_MS).unref();
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : s.LISTEN.port;
    const host = s.LISTEN.host.includes(':') ? `[${s.LISTEN.host}]` : s.LISTEN.host;
    const url = `${tls ? 'https' : 'http'}://${host}:${port}${s.BASE_PATH}`;
    log.info({ url }, 'portcullis server listening');
    return {
      app, store, hosts, url, port, ...(tls?.caCertPath ? { caCertPath: tls.caCertPath } : {}),
      async close() {
        clearInterval(purge);
        agents.close();
        await app.close();
        await hosts.close();
        await store.close();
        await mirror?.close();
      },
    };
  } catch (err) {
    clearInterval(purge);
    await hosts.close();
    await store.close();
    await mirror?.close();
    throw err;
  }
}
