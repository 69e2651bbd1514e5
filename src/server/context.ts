// What the app is built from (AppDeps/AppConfig) and the services every handler reaches through `Services`.
import type { RateSpec, TrustProxy } from '../config/index.js';
import { randomBytes } from 'node:crypto';
import {
  LockoutService, PasswordLogin, SessionService, TokenService, type Actor, type SessionInfo, type SessionUser, type TokenInfo,
} from '../auth/index.js';
import { OidcLogin, TwoFactorService } from '../auth/index.js';
import type { SsoConfig } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { HostRegistry } from '../hosts/index.js';
import type { AuditInput, AuditRecord, Store } from '../store/index.js';
import { createMetrics, type ServerMetrics } from './metrics.js';
import { AgentHub } from './hub/agent-hub.js';
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
  /** Public URL agents dial (PORTCULLIS_PUBLIC_URL); default: derived from the request that adds the host. */
  publicUrl?: string;
  /** A silent agent tunnel is cut after this long (PORTCULLIS_AGENT_DEAD_AFTER; default 30 s). */
  agentDeadAfterMs?: number;
  /** Data dir, for deleting initial-admin-password after the first admin login; none in some tests. */
  dataDir?: string;
  /** PORTCULLIS_EXEC_ENABLED: the exec terminal route exists only when true. */
  execEnabled?: boolean;
  /** How often an open WebSocket re-checks its session or token and grants; default WS_RECHECK_MS (tests shorten it). */
  wsRecheckMs?: number;
  /** The data dir's secrets key (TOTP secrets, OIDC client secret); without it a random per-process key is used (tests). */
  secretKey?: Buffer;
  /** OIDC single sign-on, SSO-only mode and the TOTP issuer label (issue 7); default: no SSO. */
  sso?: SsoConfig;
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
  /** Agent-backed hosts and their tunnels. */
  agents: AgentHub;
  /** TOTP second factor, recovery codes, login challenges, 2FA role policy. */
  twoFactor: TwoFactorService;
  /** OIDC sign-in; undefined when SSO is not configured. */
  oidc: OidcLogin | undefined;
  /** SSO-only mode and its break-glass user. */
  sso: SsoConfig;
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
  const hosts = deps.hosts ?? new HostRegistry();
  // A per-process key only where no data dir key was given (tests building the app directly): secrets it seals die with the process.
  const secretKey = config.secretKey ?? randomBytes(32);
  const sso: SsoConfig = config.sso ?? { ssoOnly: false, breakGlassUser: 'admin', totpIssuer: 'Portcullis' };
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
    hosts,
    twoFactor: new TwoFactorService(store, { key: secretKey, issuer: sso.totpIssuer }),
    oidc: sso.oidc ? new OidcLogin(store, sso.oidc, secretKey) : undefined,
    sso,
    agents: new AgentHub({ store, hosts, audit, ...(deps.logger ? { log: deps.logger } : {}), ...(config.agentDeadAfterMs !== undefined ? { deadAfterMs: config.agentDeadAfterMs } : {}) }),
    ...(deps.logger ? { log: deps.logger } : {}),
    audit,
  };
  async function audit(input: AuditInput): Promise<void> {
    try {
      const rec = await store.audit.append(input);
      metrics.auditRecords.inc({ result: rec.result });
      deps.auditMirror?.(rec);
    } catch (err) {
      metrics.auditFailures.inc();
      deps.logger?.error({ err: { message: (err as Error).message }, action: input.action }, 'audit record could not be written');
    }
  }
}
