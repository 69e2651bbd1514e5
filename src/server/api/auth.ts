// /api/v1/auth: login, logout, password change, who am I, and the caller's sessions.
import { z } from 'zod';
import {
  authorize, checkPasswordPolicy, hashPassword, hashToken, SemaphoreFullError, userKey, verifyPassword, type LoginResult,
} from '../../auth/index.js';
import { ADMIN_USERNAME, removeInitialPasswordFile } from '../bootstrap.js';
import type { Principal, Services } from '../context.js';
import { ApiError } from '../errors.js';
import { clearSessionCookie, enforceRate, retryAfter, setSessionCookie } from '../pipeline.js';
import { defineRoute, type RouteSpec } from '../route-def.js';
import { afterPassword, secondStepResponse } from './auth-2fa-login.js';
import { plainText, userView, uuid, viewGrant, viewSession, viewUser } from './views.js';

// totp (issue 7): the code in the same request, for scripts; without it a user with 2FA gets a challenge for POST /auth/login/2fa.
const loginBody = z.object({ username: plainText(256), password: z.string().min(1).max(4096), totp: z.string().min(1).max(32).optional() }).strict();
const passwordBody = z.object({ current: z.string().min(1).max(4096), next: z.string().min(1).max(4096) }).strict();
const loginResponse = z.object({ user: userView, csrfToken: z.string(), mustChangePassword: z.boolean() });

async function attempt(services: Services, username: string, password: string, ip: string): Promise<LoginResult> {
  try {
    return await services.login.attempt(username, password, ip);
  } catch (err) {
    if (err instanceof SemaphoreFullError) throw new ApiError('PC_ERR_AUTH_BUSY', 'too many logins in progress; retry shortly', retryAfter(2000), { cause: err });
    throw err;
  }
}

async function noteLockouts(services: Services, r: Extract<LoginResult, { ok: false }>, username: string, ip: string): Promise<void> {
  for (const by of r.lockedNow) {
    services.stats.lockouts += 1;
    services.metrics.lockouts.inc();
    await services.audit({
      actor: username, actorType: 'user', action: 'auth.lockout', result: 'denied', target: by === 'user' ? username : ip,
      clientIp: ip, details: { by, retryAfterSeconds: Math.ceil(r.retryAfterMs / 1000) },
    });
  }
}

const login = defineRoute({
  method: 'POST', url: '/api/v1/auth/login', summary: 'Log in with username and password; sets the session cookie',
  access: { kind: 'public' }, action: 'auth.login', rateClass: 'auth', body: loginBody, response: z.union([loginResponse, secondStepResponse]),
  handler: async ({ body, services, req, reply, clientIp, audit }) => {
    const typed = body.username.slice(0, 128);
    audit.actor = typed;
    await enforceRate(services, req, 'auth', [`acct:${userKey(body.username)}`], typed);
    const r = await attempt(services, body.username, body.password, clientIp);
    if (!r.ok) {
      services.stats.loginFailures += 1;
      services.metrics.logins.inc({ result: r.reason });
      await noteLockouts(services, r, typed, clientIp);
      audit.details = { reason: r.reason };
      if (r.reason === 'locked') throw new ApiError('PC_ERR_AUTH_LOCKED', 'too many failed logins; try again later', retryAfter(r.retryAfterMs));
      throw new ApiError('PC_ERR_AUTH_INVALID_CREDENTIALS', 'wrong username or password');
    }
    if (r.needsRehash) await services.store.users.setPassword(r.user.id, await hashPassword(body.password), { mustChange: r.user.mustChangePassword });
    // Issue 7: SSO-only mode, and the second factor (a challenge instead of a session when one follows).
    audit.actor = r.user.username;
    audit.target = r.user.id;
    const second = await afterPassword(services, r.user, clientIp, body.totp, audit);
    if (second) return second;
    const created = await services.sessions.create(r.user.id, {
      clientIp, userAgent: req.headers['user-agent']?.slice(0, 256) ?? null,
      ...(req.cookies.pc_session !== undefined ? { previousSessionId: req.cookies.pc_session } : {}),
    });
    setSessionCookie(services, reply, created.sessionId);
    if (r.user.username === ADMIN_USERNAME) await removeInitialPasswordFile(services.config.dataDir);
    services.stats.loginSuccesses += 1;
    services.metrics.logins.inc({ result: 'success' });
    audit.actor = r.user.username;
    audit.target = r.user.id;
    return { user: viewUser(r.user), csrfToken: created.csrfToken, mustChangePassword: r.mustChangePassword };
  },
});

const logout = defineRoute({
  method: 'POST', url: '/api/v1/auth/logout', summary: 'End the current session',
  access: { kind: 'user', session: true, duringPasswordChange: true }, action: 'auth.logout',
  handler: async ({ principal, services, reply }) => {
    await services.sessions.revoke(principal!.session!.id);
    clearSessionCookie(services, reply);
    return { ok: true };
  },
});

const changePassword = defineRoute({
  method: 'POST', url: '/api/v1/auth/password', summary: 'Change the own password; ends every other session and rotates this one',
  access: { kind: 'user', session: true, duringPasswordChange: true }, action: 'auth.password.change', rateClass: 'auth', body: passwordBody,
  handler: async ({ body, principal, services, req, reply, clientIp, audit }) => {
    const p = principal!;
    audit.target = p.user.id;
    const user = await services.store.users.findById(p.user.id);
    if (!user || !(await verifyPassword(user.passwordHash, body.current))) {
      const outcome = await services.lockout.recordFailure(p.user.username, clientIp);
      if (outcome.lockedNow.length > 0) services.stats.lockouts += 1;
      throw new ApiError('PC_ERR_AUTH_CURRENT_PASSWORD_WRONG', 'the current password is wrong');
    }
    if (body.next === body.current) throw new ApiError('PC_ERR_AUTH_PASSWORD_POLICY', 'the new password must differ from the current one');
    const policy = checkPasswordPolicy(body.next, user.username);
    if (!policy.ok) {
      audit.details = { violations: policy.violations };
      throw new ApiError('PC_ERR_AUTH_PASSWORD_POLICY', `password refused: ${policy.message}`);
    }
    await services.store.users.setPassword(user.id, await hashPassword(body.next), { mustChange: false });
    const created = await services.sessions.create(user.id, {
      clientIp, userAgent: req.headers['user-agent']?.slice(0, 256) ?? null, previousSessionId: p.session!.id,
    });
    await services.sessions.revokeAllForUser(user.id, created.sessionId);
    setSessionCookie(services, reply, created.sessionId);
    if (user.username === ADMIN_USERNAME) await removeInitialPasswordFile(services.config.dataDir);
    return { csrfToken: created.csrfToken, mustChangePassword: false };
  },
});

const me = defineRoute({
  method: 'GET', url: '/api/v1/auth/me', summary: 'The caller: user, how authenticated, CSRF token (sessions), grants',
  access: { kind: 'user', duringPasswordChange: true }, action: 'auth.me',
  handler: async ({ principal, services }) => {
    const p = principal!;
    const grants = await services.store.grants.listForSubject('user', p.user.id);
    return {
      user: viewUser(p.user), via: p.via, mustChangePassword: p.user.mustChangePassword,
      ...(p.session ? { csrfToken: p.session.csrfToken } : {}), grants: grants.map(viewGrant),
      // which optional features this server offers (the UI hides what does not exist)
      features: { exec: services.config.execEnabled === true },
    };
  },
});

/** The user whose sessions a request concerns: the caller, or (with user.manage) anyone. */
function sessionOwner(principal: Principal, userId: string | undefined): string {
  if (userId === undefined || userId === principal.user.id) return principal.user.id;
  const d = authorize(principal.actor, 'user.manage');
  if (!d.allow) throw new ApiError('PC_ERR_AUTH_FORBIDDEN', `not allowed: ${d.reason}`);
  return userId;
}

const listSessions = defineRoute({
  method: 'GET', url: '/api/v1/auth/sessions', summary: 'Live sessions of the caller (or of ?userId= with user.manage)',
  access: { kind: 'user' }, action: 'auth.sessions.list',
  query: z.object({ userId: uuid.optional() }).strict(),
  handler: async ({ query, principal, services }) => {
    const owner = sessionOwner(principal!, query.userId);
    const current = principal!.session ? hashToken(principal!.session.id) : undefined;
    return { sessions: (await services.sessions.list(owner)).map((s) => viewSession(s, current)) };
  },
});

const revokeSession = defineRoute({
  method: 'DELETE', url: '/api/v1/auth/sessions/:id', summary: 'End one of the own sessions (any user\'s with user.manage)',
  access: { kind: 'user' }, action: 'auth.sessions.revoke',
  params: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/, 'must be a session id from GET /auth/sessions') }).strict(),
  handler: async ({ params, principal, services, audit }) => {
    audit.target = params.id.slice(0, 12);
    const p = principal!;
    const admin = authorize(p.actor, 'user.manage').allow;
    const ok = await services.sessions.revokeByHandle(params.id, admin ? undefined : p.user.id);
    if (!ok) throw new ApiError('PC_ERR_SESSION_NOT_FOUND', 'no such session');
    return { ok: true };
  },
});

/** The /api/v1/auth routes. */
export const authRoutes: RouteSpec[] = [login, logout, changePassword, me, listSessions, revokeSession];
