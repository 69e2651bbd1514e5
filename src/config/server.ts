// Every setting of `portcullis server`, declared once (env var, flag, default, help, secret), and their checks.
import { isIP } from 'node:net';
import { join } from 'node:path';
import { csv, oneOf, positiveInt, SettingError, strictBool, type SettingSpec } from './settings.js';
import { resolveSso, ssoSettings, type SsoConfig } from './sso.js';

/** A count per window, as `<count>/<duration>` (e.g. `5/15m`). */
export interface RateSpec {
  max: number;
  windowMs: number;
}

/** What `--trust-proxy` resolves to: off, a number of proxy hops, or the proxy addresses/CIDRs trusted. */
export type TrustProxy = false | number | string[];

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a duration such as `900ms`, `30s`, `15m`, `12h`, `1d` into milliseconds. */
export function duration(raw: string | undefined, env: string): number {
  const m = /^\s*(\d+)\s*(ms|s|m|h|d)\s*$/.exec(raw ?? '');
  const n = m ? Number(m[1]) * (UNITS[m[2] ?? ''] ?? 0) : NaN;
  if (!(n > 0) || !Number.isSafeInteger(n)) throw new SettingError(env, `${env} must be a duration such as 30s, 15m or 12h`);
  return n;
}

/** Parses `<count>/<duration>` (e.g. `5/15m`). */
export function rate(raw: string | undefined, env: string): RateSpec {
  const [count, win, extra] = (raw ?? '').split('/');
  if (extra !== undefined || !count || !win) throw new SettingError(env, `${env} must be <count>/<duration>, e.g. 30/1m`);
  return { max: positiveInt(count.trim(), env), windowMs: duration(win, env) };
}

/** Parses `host:port` or `[v6]:port`. */
export function listenAddress(raw: string | undefined, env: string): { host: string; port: number } {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(raw ?? '') ?? /^([^:[\]]+):(\d{1,5})$/.exec(raw ?? '');
  const port = Number(m?.[2]);
  if (!m?.[1] || !Number.isInteger(port) || port > 65535) {
    throw new SettingError(env, `${env} must be host:port or [ipv6]:port, e.g. 127.0.0.1:18282`);
  }
  return { host: m[1], port };
}

/** `off`, a hop count (1-10), or comma-separated addresses/CIDRs (also `loopback`, `linklocal`, `uniquelocal`). */
export function trustProxy(raw: string | undefined, env: string): TrustProxy {
  const v = (raw ?? '').trim();
  if (v === '' || v === 'off' || v === 'false' || v === '0') return false;
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n > 10) throw new SettingError(env, `${env}: a hop count above 10 is not plausible`);
    return n;
  }
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(item)) continue;
    const [addr = '', prefix, more] = item.split('/');
    const family = isIP(addr);
    const max = family === 4 ? 32 : 128;
    const okPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max);
    if (family === 0 || !okPrefix || more !== undefined) {
      throw new SettingError(env, `${env} must be off, a hop count, or addresses/CIDRs such as 10.0.0.0/8,::1 (bad item: ${item.slice(0, 60)})`);
    }
  }
  return items;
}

/** A URL path prefix: empty, or `/seg[/seg…]` without a trailing slash. */
export function basePath(raw: string | undefined, env: string): string {
  const v = (raw ?? '').trim().replace(/\/+$/, '');
  if (v === '') return '';
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(v) || v.split('/').some((s) => s === '.' || s === '..')) {
    throw new SettingError(env, `${env} must be a path such as /portcullis (letters, digits, . _ ~ -)`);
  }
  return v;
}

const str = (raw: string | undefined): string => raw ?? '';
const G_LISTEN = 'Listener and TLS';
const G_STORE = 'Data and database';
const G_AUTH = 'Sessions and login';
const G_RATE = 'Rate limits';
const G_LOG = 'Audit and logging';
const G_FEATURES = 'Dangerous features';
const G_AGENTS = 'Agents';

export const serverSettings = {
  LISTEN: {
    env: 'PORTCULLIS_LISTEN', flag: '--listen', default: '127.0.0.1:18282', group: G_LISTEN,
    help: 'Address and port to listen on (host:port or [ipv6]:port). A non-loopback address needs TLS or --insecure-http.',
    parse: listenAddress,
  },
  TLS: {
    env: 'PORTCULLIS_TLS', flag: '--tls', default: 'off', group: G_LISTEN,
    help: 'auto: create a local CA and server certificate in the data dir on first run (reused after); off: plain HTTP.',
    parse: oneOf(['auto', 'off'] as const),
  },
  TLS_CERT: {
    env: 'PORTCULLIS_TLS_CERT', flag: '--tls-cert', default: '', group: G_LISTEN,
    help: 'PEM certificate (chain) file for TLS; needs --tls-key. Overrides --tls.', parse: str,
  },
  TLS_KEY: {
    env: 'PORTCULLIS_TLS_KEY', flag: '--tls-key', default: '', group: G_LISTEN,
    help: 'PEM private key file for --tls-cert.', parse: str,
  },
  INSECURE_HTTP: {
    env: 'PORTCULLIS_INSECURE_HTTP', flag: '--insecure-http', default: '0', group: G_LISTEN,
    help: 'Allow plain HTTP on a non-loopback address (passwords and session cookies cross the network in clear text).',
    parse: strictBool,
  },
  TRUST_PROXY: {
    env: 'PORTCULLIS_TRUST_PROXY', flag: '--trust-proxy', default: 'off', group: G_LISTEN,
    help: 'Reverse proxies whose X-Forwarded-For is believed: off, a hop count, or addresses/CIDRs (e.g. 127.0.0.1,10.0.0.0/8).',
    parse: trustProxy,
  },
  ALLOWED_HOSTS: {
    env: 'PORTCULLIS_ALLOWED_HOSTS', flag: '--allowed-hosts', default: '', group: G_LISTEN,
    help: 'Extra Host names the server answers (comma-separated), besides loopback names, IP literals, single-label names and this machine\'s hostname; any other name is refused (DNS rebinding).',
    parse: (raw: string | undefined) => csv(raw).map((h) => h.toLowerCase()),
  },
  BASE_PATH: {
    env: 'PORTCULLIS_BASE_PATH', flag: '--base-path', default: '', group: G_LISTEN,
    help: 'Serve everything under this path prefix (e.g. /portcullis behind a reverse proxy); also the cookie path.',
    parse: basePath,
  },
  MAX_BODY_BYTES: {
    env: 'PORTCULLIS_MAX_BODY_BYTES', default: String(1024 * 1024), group: G_LISTEN,
    help: 'Largest accepted request body in bytes; larger bodies get 413.', parse: positiveInt,
  },
  DATA: {
    env: 'PORTCULLIS_DATA', flag: '--data', default: './data', group: G_STORE,
    help: 'Data directory (created 0700; files in it 0600): database, secret key, TLS material, initial admin password.',
    parse: (raw: string | undefined) => raw ?? './data',
  },
  DATABASE: {
    env: 'PORTCULLIS_DATABASE', flag: '--database', default: '', group: G_STORE, secret: true,
    help: 'Database URL: sqlite:/path/file.db (default sqlite:<data>/portcullis.db) or postgres://user:pass@host/db.',
    parse: str,
  },
  ADMIN_PASSWORD: {
    env: 'PORTCULLIS_ADMIN_PASSWORD', default: '', group: G_AUTH, secret: true,
    help: 'Initial password of the admin user created on first run (otherwise a random one is printed once). Must be changed at first login.',
    parse: str,
  },
  SESSION_IDLE: {
    env: 'PORTCULLIS_SESSION_IDLE', default: '30m', group: G_AUTH,
    help: 'A session unused this long ends (duration: 30s, 15m, 12h…).', parse: duration,
  },
  SESSION_ABSOLUTE: {
    env: 'PORTCULLIS_SESSION_ABSOLUTE', default: '12h', group: G_AUTH,
    help: 'A session ends this long after login whatever its use.', parse: duration,
  },
  LOCKOUT_THRESHOLD: {
    env: 'PORTCULLIS_LOCKOUT_THRESHOLD', default: '5', group: G_AUTH,
    help: 'Failed logins for one account within the lockout window that lock it.', parse: positiveInt,
  },
  LOCKOUT_WINDOW: {
    env: 'PORTCULLIS_LOCKOUT_WINDOW', default: '15m', group: G_AUTH,
    help: 'Window in which failed logins are counted.', parse: duration,
  },
  LOCKOUT_DURATION: {
    env: 'PORTCULLIS_LOCKOUT_DURATION', default: '15m', group: G_AUTH,
    help: 'How long a locked account stays locked (admins can unlock earlier).', parse: duration,
  },
  RATE_AUTH: {
    env: 'PORTCULLIS_RATE_AUTH', default: '5/15m', group: G_RATE,
    help: 'Login and password-change attempts per client IP and per account name.', parse: rate,
  },
  RATE_HOSTS: {
    env: 'PORTCULLIS_RATE_HOSTS', default: '120/1m', group: G_RATE,
    help: 'Hosts API requests per client IP and per user (the web UI makes several per page).', parse: rate,
  },
  RATE_CONTAINERS: {
    env: 'PORTCULLIS_RATE_CONTAINERS', default: '600/1m', group: G_RATE,
    help: 'Containers, images, networks, volumes and events API requests per client IP and per user (the web UI makes several per page).', parse: rate,
  },
  RATE_NOTIFICATIONS: {
    env: 'PORTCULLIS_RATE_NOTIFICATIONS', default: '20/1m', group: G_RATE,
    help: 'Notification API requests per client IP and per user.', parse: rate,
  },
  RATE_WS: {
    env: 'PORTCULLIS_RATE_WS', default: '120/1m', group: G_RATE,
    help: 'WebSocket upgrades (live updates, log follow, stats, exec) per client IP and per user.', parse: rate,
  },
  PUBLIC_URL: {
    env: 'PORTCULLIS_PUBLIC_URL', flag: '--public-url', default: '', group: G_AGENTS,
    help: 'The URL agents and browsers use to reach this server (https://portcullis.example:18282), put in the agent command; default: the address of the request that adds the host.',
    parse: (raw: string | undefined, env: string): string => {
      const v = (raw ?? '').trim().replace(/\/+$/, '');
      if (v === '') return '';
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        throw new SettingError(env, `${env} must be a URL such as https://portcullis.example:18282`);
      }
      if (!['http:', 'https:'].includes(u.protocol) || u.username || u.password || u.search || u.hash) {
        throw new SettingError(env, `${env} must be an http(s) URL without credentials, query or fragment`);
      }
      return v;
    },
  },
  AGENT_DEAD_AFTER: {
    env: 'PORTCULLIS_AGENT_DEAD_AFTER', default: '30s', group: G_AGENTS,
    help: 'An agent tunnel silent this long is cut and the host shown offline (pings go out every third of it).', parse: duration,
  },
  EXEC_ENABLED: {
    env: 'PORTCULLIS_EXEC_ENABLED', default: '0', group: G_FEATURES,
    help: 'Offer the exec terminal (WS /api/v1/hosts/{host}/containers/{id}/exec) to holders of container.exec; off, the route does not exist.',
    parse: strictBool,
  },
  AUDIT_MIRROR: {
    env: 'PORTCULLIS_AUDIT_MIRROR', flag: '--audit-mirror', default: '', group: G_LOG,
    help: 'Also write each audit record as a JSON line to stdout or file:/path (0600, appended) for a SIEM. Off when empty.',
    parse: (raw: string | undefined, env: string): '' | 'stdout' | `file:${string}` => {
      const v = (raw ?? '').trim();
      if (v === '' || v === 'stdout') return v;
      if (v.startsWith('file:') && v.length > 'file:'.length) return v as `file:${string}`;
      throw new SettingError(env, `${env} must be stdout or file:/path/to/audit.jsonl`);
    },
  },
  // Single sign-on (OIDC) and two-factor login: declared in sso.ts.
  ...ssoSettings,
  LOG_LEVEL: {
    env: 'PORTCULLIS_LOG_LEVEL', flag: '--log-level', default: 'info', group: G_LOG,
    help: 'Log level (syslog names): err, warning, notice, info, debug.',
    parse: oneOf(['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const),
  },
} satisfies Record<string, SettingSpec<unknown>>;

export type ServerSettings = { [K in keyof typeof serverSettings]: ReturnType<(typeof serverSettings)[K]['parse']> };

/** TLS as resolved from the settings. */
export type TlsMode = { mode: 'off' } | { mode: 'auto' } | { mode: 'files'; certFile: string; keyFile: string };

/** The checked combination of settings the server starts from. */
export interface ResolvedServerSettings {
  settings: ServerSettings;
  tls: TlsMode;
  databaseUrl: string;
  /** Warnings to log at start (e.g. plain HTTP on a non-loopback address). */
  warnings: string[];
  /** OIDC single sign-on (when configured) and the 2FA/SSO-only policy. */
  sso: SsoConfig;
}

/** True for 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

/**
 * Checks the settings against each other: TLS files come in pairs; a non-loopback listener with TLS off
 * needs INSECURE_HTTP (and is warned about); the default database is SQLite in the data dir.
 */
export function resolveServerSettings(s: ServerSettings): ResolvedServerSettings {
  const warnings: string[] = [];
  if ((s.TLS_CERT === '') !== (s.TLS_KEY === '')) {
    throw new SettingError('PORTCULLIS_TLS_CERT', 'set both --tls-cert and --tls-key (PORTCULLIS_TLS_CERT / PORTCULLIS_TLS_KEY), or neither');
  }
  const tls: TlsMode = s.TLS_CERT !== '' ? { mode: 'files', certFile: s.TLS_CERT, keyFile: s.TLS_KEY } : { mode: s.TLS };
  if (tls.mode === 'off' && !isLoopbackHost(s.LISTEN.host)) {
    if (!s.INSECURE_HTTP) {
      throw new SettingError('PORTCULLIS_LISTEN', `listening on ${s.LISTEN.host} without TLS exposes passwords and sessions: set PORTCULLIS_TLS=auto (--tls auto), pass --tls-cert/--tls-key, or accept the risk with --insecure-http`);
    }
    warnings.push(`plain HTTP on non-loopback address ${s.LISTEN.host} (--insecure-http): passwords and session cookies cross the network unencrypted; put a TLS reverse proxy in front`);
  }
  if (s.SESSION_IDLE > s.SESSION_ABSOLUTE) warnings.push('PORTCULLIS_SESSION_IDLE is longer than PORTCULLIS_SESSION_ABSOLUTE; the absolute timeout wins');
  const databaseUrl = s.DATABASE !== '' ? s.DATABASE : `sqlite:${join(s.DATA, 'portcullis.db')}`;
  const sso = resolveSso(s);
  return { settings: s, tls, databaseUrl, warnings, sso };
}
