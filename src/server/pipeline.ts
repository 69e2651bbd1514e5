// The fixed order of every route: authenticate → (CSRF) → authorize → rate limit, then Fastify validates, the handler acts, and the result is audited.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authorize, ipKey, loadActor } from '../auth/index.js';
import type { ActorType, AuditResult } from '../store/index.js';
import type { Principal, Services } from './context.js';
import { ApiError } from './errors.js';
import type { RateClass } from './rate-limiter.js';
import { isWrite, type RouteSpec } from './route-def.js';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'pc_session';
/** Header carrying the CSRF token on cookie-authenticated writes. */
export const CSRF_HEADER = 'x-csrf-token';

/** Per-request state the pipeline keeps on the request. */
export interface RequestState {
  spec: RouteSpec;
  principal?: Principal;
  /** A credential (cookie or token) was presented, valid or not: its rejection is audited. */
  credentialPresented: boolean;
  /** Target/details/actor for the audit record (set by the handler). */
  audit: { target?: string; details?: Record<string, unknown>; actor?: string };
  /** Set once the request's audit record is written: one record per request (a handler may write it early, e.g. a denial it answers as 404). */
  audited?: boolean;
}

const states = new WeakMap<FastifyRequest, RequestState>();

/** The pipeline state of a request (undefined for requests that matched no route). */
export function stateOf(req: FastifyRequest): RequestState | undefined {
  return states.get(req);
}

/** Retry-After header (whole seconds, at least 1). */
export function retryAfter(ms: number): Record<string, string> {
  return { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) };
}

/** Counts a hit of `cls` for the keys; throws 429 (audited once per key and window) when over. */
export async function enforceRate(services: Services, req: FastifyRequest, cls: RateClass, keys: string[], actor: string): Promise<void> {
  const v = services.limiter.hit(cls, keys);
  if (v.allowed) return;
  services.stats.rateLimited[cls] += 1;
  services.metrics.rateLimited.inc({ class: cls });
  if (v.firstRefusal) {
    await services.audit({
      actor, actorType: 'user', action: 'ratelimit.exceeded', result: 'denied', target: cls,
      clientIp: req.ip, userAgent: userAgent(req), details: { class: cls, path: req.routeOptions.url ?? '' },
    });
  }
  throw new ApiError('PC_ERR_RATE_LIMITED', `too many ${cls} requests; retry later`, retryAfter(v.retryAfterMs));
}

/** The User-Agent header, bounded. */
export function userAgent(req: FastifyRequest): string | null {
  const ua = req.headers['user-agent'];
  return typeof ua === 'string' ? ua.slice(0, 256) : null;
}

async function authenticate(services: Services, req: FastifyRequest, st: RequestState): Promise<Principal> {
  const access = st.spec.access;
  const authz = req.headers.authorization;
  if (authz !== undefined) {
    st.credentialPresented = true;
    const m = /^Bearer +(\S+)$/i.exec(authz);
    const check = await services.tokens.authenticate(m?.[1]);
    if (!check.ok) throw new ApiError('PC_ERR_AUTH_REQUIRED', 'the API token is invalid, expired or revoked');
    const actor = await loadActor(services.store, { type: 'token', tokenId: check.token.id, user: check.user });
    return { via: 'token', user: check.user, actor, token: check.token };
  }
  if (access.kind === 'permission' && access.tokenOnly) throw new ApiError('PC_ERR_AUTH_REQUIRED', 'this endpoint needs an API token (Authorization: Bearer pct_…)');
  const cookie = req.cookies[SESSION_COOKIE];
  if (cookie === undefined) throw new ApiError('PC_ERR_AUTH_REQUIRED', 'log in first (POST /api/v1/auth/login) or send an API token');
  st.credentialPresented = true;
  const check = await services.sessions.validate(cookie);
  if (!check.ok) throw new ApiError('PC_ERR_AUTH_REQUIRED', 'the session has ended; log in again');
  const actor = await loadActor(services.store, { type: 'user', user: check.user });
  return { via: 'session', user: check.user, actor, session: { id: cookie, info: check.session, csrfToken: check.csrfToken } };
}

/** The onRequest hook of a route: everything that must hold before its body is even parsed. */
export function guard(services: Services, spec: RouteSpec) {
  return async (req: FastifyRequest): Promise<void> => {
    const st: RequestState = { spec, credentialPresented: false, audit: {} };
    states.set(req, st);
    const access = spec.access;
    if (access.kind === 'public') {
      if (spec.rateClass) await enforceRate(services, req, spec.rateClass, [ipKey(req.ip)], 'anonymous');
      return;
    }
    const p = await authenticate(services, req, st);
    st.principal = p;
    if (p.via === 'session' && isWrite(spec.method)) {
      const check = { ok: true as const, session: p.session!.info, user: p.user, csrfToken: p.session!.csrfToken };
      const header = req.headers[CSRF_HEADER];
      if (!services.sessions.checkCsrf(check, typeof header === 'string' ? header : undefined)) {
        throw new ApiError('PC_ERR_AUTH_CSRF', 'missing or wrong X-CSRF-Token header (use the csrfToken from login or GET /api/v1/auth/me)');
      }
    }
    if (access.session && p.via !== 'session') throw new ApiError('PC_ERR_AUTH_SESSION_REQUIRED', 'API tokens cannot do this; use a browser session');
    if (p.user.mustChangePassword && !(access.kind === 'user' && access.duringPasswordChange)) {
      throw new ApiError('PC_ERR_AUTH_PASSWORD_CHANGE_REQUIRED', 'change your password first (POST /api/v1/auth/password)');
    }
    if (access.kind === 'permission') {
      const d = authorize(p.actor, access.permission);
      if (!d.allow) throw new ApiError('PC_ERR_AUTH_FORBIDDEN', `not allowed: ${d.reason}`);
    }
    if (spec.rateClass) await enforceRate(services, req, spec.rateClass, [ipKey(req.ip), `user:${p.user.id}`], p.user.username);
  };
}

/** Audit fields of the caller. */
export function auditActor(st: RequestState | undefined): { actor: string; actorType: ActorType } {
  const p = st?.principal;
  if (!p) return { actor: st?.audit.actor ?? 'anonymous', actorType: 'user' };
  return { actor: p.user.username, actorType: p.via === 'token' ? 'token' : 'user' };
}

/** Writes the audit record of a finished request (success, denial or error). */
export async function auditRequest(services: Services, req: FastifyRequest, st: RequestState, result: AuditResult, extra: Record<string, unknown> = {}): Promise<void> {
  if (st.audited) return;
  st.audited = true;
  const who = auditActor(st);
  const details = { ...st.audit.details, ...extra, ...(st.principal?.token ? { apiKeyId: st.principal.token.id } : {}) };
  // JSON round trip drops undefined fields, which the audit chain refuses.
  const clean = JSON.parse(JSON.stringify(details)) as Record<string, unknown>;
  await services.audit({
    ...who, action: st.spec.action, result, target: st.audit.target ?? null, clientIp: req.ip, userAgent: userAgent(req), details: clean,
  });
}

/** Whether a failed request is audited: failed public writes (logins), denials of a presented credential, every 403, failed writes, 5xx. */
export function auditsFailure(st: RequestState, status: number, code: string): boolean {
  // A rate-limit refusal was audited once for its window already; one record per refused request would let a flood fill the log.
  if (code === 'PC_ERR_RATE_LIMITED') return false;
  if (st.spec.access.kind === 'public') return isWrite(st.spec.method);
  if (status === 401) return st.credentialPresented;
  if (status === 403 || isWrite(st.spec.method)) return true;
  return status >= 500;
}

/** Sets the session cookie (HttpOnly, SameSite=Strict, Secure under TLS, Path = base path). */
export function setSessionCookie(services: Services, reply: FastifyReply, sessionId: string): void {
  void reply.setCookie(SESSION_COOKIE, sessionId, {
    httpOnly: true, sameSite: 'strict', secure: services.config.tls, path: services.config.basePath || '/',
    maxAge: Math.floor(services.config.sessionAbsoluteMs / 1000),
  });
}

/** Expires the session cookie. */
export function clearSessionCookie(services: Services, reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: services.config.tls, path: services.config.basePath || '/' });
}
