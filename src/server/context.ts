// What the app is built from (AppDeps/AppConfig) and the services every handler reaches through `Services`.
import type { RateSpec, TrustProxy } from '../config/index.js';
import {
  LockoutService, PasswordLogin, SessionService, TokenService, type Actor, type SessionInfo, type SessionUser, type TokenInfo,
} from '../auth/index.js';
import type { Logger } from '../log/index.js';
import { HostRegistry } from '../hosts/index.js';
import type { AuditInput, AuditRecord, Store } from '../store/index.js';
import { createMetrics, type ServerMetrics } from './metrics.js';
import { RateLimiter, type RateClass } from './rate-limiter.js';

/** Behaviour of the app that tests vary; startServer fills it from the settings. */
export interface AppConfig {
  /** '' or '/prefix' (no trailing slash). */
  basePath: string;
  trustProxy: TrustProxy;
  /** Host header names accepted besides loopback names, IP literals and single-label names. */
  allowedHosts?: readonly string[];
  /** True when served over TLS: Secure cookies and HSTS. */
  tls: boolean;
  maxBodyBytes: number;
  rates: Record<RateClass, RateSpec>;
  lockout: { maxFailures: number; windowMs: number; lockMs: number };
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  /** Floor of every failed login answer (PasswordLogin minMs); default DEFAULT_LOGIN_MIN_MS. */
  loginMinMs?: number;
  /** Data dir, for deleting initial-admin-password after the first admin login; none in some tests. */
  dataDir?: string;
}

export interface AppDeps {
  store: Store;
  config: AppConfig;
  /** Fastify request logging goes here; false/undefined for silence (tests). */
  logger?: Logger;
  /** Called with every audit record written (the SIEM mirror). */
  auditMirror?: (record: AuditRecord) => void;
  /** PEM key and certificate when the app serves HTTPS itself. */
  https?: { key: string; cert: string };
  /** The live Docker hosts (startServer registers `local`); default an empty registry. The caller closes it. */
  hosts?: HostRegistry;
}

/** Counters of abuse control since start, served by GET /api/v1/security/stats. */
export interface SecurityStats {
  since: string;
  rateLimited: Record<RateClass, number>;
  lockouts: number;
  loginFailures: number;
  loginSuccesses: number;
}

/** Who is calling, once authenticated. */
export interface Principal {
  via: 'session' | 'token';
  user: SessionUser;
  actor: Actor;
  /** Present when authenticated by cookie: the raw id (for rotation), its info and CSRF token. */
  session?: { id: string; info: SessionInfo; csrfToken: string };
  token?: TokenInfo;
}

export interface Services {
  store: Store;
  config: AppConfig;
  sessions: SessionService;
  tokens: TokenService;
  lockout: LockoutService;
  login: PasswordLogin;
  limiter: RateLimiter;
  stats: SecurityStats;
  metrics: ServerMetrics;
  /** The live Docker hosts. */
  hosts: HostRegistry;
  /** Appends to the audit chain (and the mirror). Never throws: a failure is logged. */
  audit(input: AuditInput): Promise<void>;
  log?: Logger;
}

/** Builds the services over the store for one app instance. */
export function createServices(deps: AppDeps): Services {
  const { store, config } = deps;
  const lockout = new LockoutService(store, { user: config.lockout });
  const stats: SecurityStats = {
    since: new Date().toISOString(),
    rateLimited: { auth: 0, hosts: 0, containers: 0, notifications: 0, ws: 0 },
    lockouts: 0,
    loginFailures: 0,
    loginSuccesses: 0,
  };
  const metrics = createMetrics();
  return {
    store,
    config,
    sessions: new SessionService(store, { idleMs: config.sessionIdleMs, absoluteMs: config.sessionAbsoluteMs }),
    tokens: new TokenService(store),
    lockout,
    login: new PasswordLogin(store, lockout, config.loginMinMs !== undefined ? { minMs: config.loginMinMs } : {}),
    limiter: new RateLimiter(config.rates),
    stats,
    metrics,
    hosts: deps.hosts ?? new HostRegistry(),
    ...(deps.logger ? { log: deps.logger } : {}),
    async audit(input) {
      try {
        const rec = await store.audit.append(input);
        metrics.auditRecords.inc({ result: rec.result });
        deps.auditMirror?.(rec);
      } catch (err) {
        metrics.auditFailures.inc();
        deps.logger?.error({ err: { message: (err as Error).message }, action: input.action }, 'audit record could not be written');
      }
    },
  };
}
