// The second login step (TOTP or recovery code, or enrolment when a role requires 2FA), SSO-only gate, and the session start shared with SSO.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DEFAULT_LOGIN_MIN_MS, equalizeTiming, timingStart, userKey, type SessionUser } from '../../auth/index.js';
import { ADMIN_USERNAME, removeInitialPasswordFile } from '../bootstrap.js';
import type { Services } from '../context.js';
import { ApiError } from '../errors.js';
import { enforceRate, retryAfter, setSessionCookie, userAgent } from '../pipeline.js';
import { defineRoute, type RouteSpec } from '../route-def.js';
import { userView, viewUser } from './views.js';

const challenge = z.string().min(1).max(128);
const code = z.string().min(1).max(32);
const recoveryCode = z.string().min(1).max(64);

/** What the password step answers when a second step follows (no session yet). */
export const secondStepResponse = z.object({
  totpRequired: z.boolean(), totpEnrolmentRequired: z.boolean(), challenge: z.string(), expiresAt: z.string(),
});
const sessionResponse = z.object({
  user: userView, csrfToken: z.string(), mustChangePassword: z.boolean(), recoveryCodes: z.array(z.string()).optional(),
});
const enrolmentView = z.object({ secret: z.string(), otpauthUri: z.string(), qrDataUrl: z.string() });

/**
 * Starts a session for a user who proved who they are (password [+ second factor], or SSO): rotates any
 * session cookie the browser sent, sets the cookie, counts the success. Exactly what password login does.
 */
export async function openSession(services: Services, req: FastifyRequest, reply: FastifyReply, user: SessionUser, opts: { passwordLogin: boolean }): Promise<string> {
  const created = await services.sessions.create(user.id, {
    clientIp: req.ip, userAgent: userAgent(req), ...(req.cookies.pc_session !== undefined ? { previousSessionId: req.cookies.pc_session } : {}),
  });
  setSessionCookie(services, reply, created.sessionId);
  if (opts.passwordLogin && user.username === ADMIN_USERNAME) await removeInitialPasswordFile(services.config.dataDir);
  services.stats.loginSuccesses += 1;
  services.metrics.logins.inc({ result: 'success' });
  return created.csrfToken;
}

/** Counts a failed second factor like a failed password: both lockout counters, stats, lockout audit records. */
async function countFailure(services: Services, username: string, ip: string): Promise<void> {
  const outcome = await services.lockout.recordFailure(username, ip);
  services.stats.loginFailures += 1;
  services.metrics.logins.inc({ result: 'invalid' });
  for (const by of outcome.lockedNow) {
    services.stats.lockouts += 1;
    services.metrics.lockouts.inc();
    const after = await services.lockout.check(username, ip);
    await services.audit({
      actor: username, actorType: 'user', action: 'auth.lockout', result: 'denied', target: by === 'user' ? username : ip,
      clientIp: ip, details: { by, step: 'second_factor', retryAfterSeconds: Math.ceil(after.retryAfterMs / 1000) },
    });
  }
}

const INVALID = 'the login step failed: wrong or already used code, or the step expired (log in with your password again)';

/**
 * What follows a correct password (call it from the login handler): SSO-only mode refuses everyone but the
 * break-glass user; a user with 2FA gets a challenge (or, when the login body carried `totp`, has it checked
 * now); a user whose role requires 2FA and has none gets an enrolment challenge. Undefined: open the session.
 */
export async function afterPassword(
  services: Services, user: SessionUser, ip: string, totp: string | undefined, audit: { details?: Record<string, unknown> },
): Promise<z.infer<typeof secondStepResponse> | undefined> {
  if (services.sso.ssoOnly && user.username !== services.sso.breakGlassUser) {
    audit.details = { reason: 'sso_only' };
    throw new ApiError('PC_ERR_AUTH_SSO_ONLY', 'password login is off for this account; sign in with single sign-on');
  }
  if (await services.twoFactor.isEnabled(user.id)) {
    if (totp === undefined) {
      const c = await services.twoFactor.createChallenge(user.id, 'verify');
      audit.details = { stage: 'password', next: 'totp' };
      return { totpRequired: true, totpEnrolmentRequired: false, ...c };
    }
    const start = timingStart();
    const r = await services.twoFactor.verify(user.id, { code: totp });
    if (!r.ok) {
      await countFailure(services, user.username, ip);
      await equalizeTiming(start, services.config.loginMinMs ?? DEFAULT_LOGIN_MIN_MS);
      audit.details = { reason: `totp_${r.reason}` };
      throw new ApiError('PC_ERR_AUTH_2FA_INVALID', INVALID);
    }
    audit.details = { secondFactor: 'totp' };
    return undefined;
  }
  if (await services.twoFactor.isRequired(user.id)) {
    const c = await services.twoFactor.createChallenge(user.id, 'enrol');
    audit.details = { stage: 'password', next: 'totp_enrolment' };
    return { totpRequired: false, totpEnrolmentRequired: true, ...c };
  }
  return undefined;
}

const secondStep = defineRoute({
  method: 'POST', url: '/api/v1/auth/login/2fa', summary: 'Second login step: the challenge with a TOTP code or a recovery code (or the first code of a required enrolment); sets the session cookie',
  access: { kind: 'public' }, action: 'auth.login.2fa', rateClass: 'auth',
  body: z.object({ challenge, code: code.optional(), recoveryCode: recoveryCode.optional() }).strict()
    .refine((b) => (b.code === undefined) !== (b.recoveryCode === undefined), 'give exactly one of code and recoveryCode'),
  response: sessionResponse,
  handler: async ({ body, services, req, reply, clientIp, audit }) => {
    const start = timingStart();
    const minMs = services.config.loginMinMs ?? DEFAULT_LOGIN_MIN_MS;
    const reject = async (reason: string): Promise<never> => {
      await equalizeTiming(start, minMs);
      audit.details = { ...audit.details, reason };
      throw new ApiError('PC_ERR_AUTH_2FA_INVALID', INVALID);
    };
    const c = await services.twoFactor.findChallenge(body.challenge);
    const user = c && (await services.store.users.findById(c.userId));
    if (!c || !user) return reject('challenge_unknown');
    audit.actor = user.username;
    audit.target = user.id;
    audit.details = { purpose: c.purpose };
    await enforceRate(services, req, 'auth', [`acct:${userKey(user.username)}`], user.username);
    const lock = await services.lockout.check(user.username, clientIp);
    if (lock.locked) {
      await equalizeTiming(start, minMs);
      audit.details = { ...audit.details, reason: 'locked' };
      throw new ApiError('PC_ERR_AUTH_LOCKED', 'too many failed logins; try again later', retryAfter(lock.retryAfterMs));
    }
    if (user.disabled) return reject('disabled');
    let recoveryCodes: string[] | undefined;
    let method: string;
    if (c.purpose === 'enrol') {
      const r = body.code === undefined ? ({ ok: false, reason: 'recovery_code_during_enrolment' } as const) : await services.twoFactor.confirmEnrolment(user.id, body.code);
      if (!r.ok) {
        await services.twoFactor.failChallenge(c);
        await countFailure(services, user.username, clientIp);
        return reject(`enrolment_${r.reason}`);
      }
      recoveryCodes = r.recoveryCodes;
      method = 'totp_enrolment';
    } else {
      const r = await services.twoFactor.verify(user.id, { code: body.code, recoveryCode: body.recoveryCode });
      if (!r.ok) {
        await services.twoFactor.failChallenge(c);
        await countFailure(services, user.username, clientIp);
        return reject(`${body.code !== undefined ? 'totp' : 'recovery'}_${r.reason}`);
      }
      method = r.method;
    }
    if (!(await services.twoFactor.finishChallenge(c))) return reject('challenge_used');
    await services.lockout.reset(user.username);
    const csrfToken = await openSession(services, req, reply, user, { passwordLogin: true });
    audit.details = { purpose: c.purpose, secondFactor: method };
    return { user: viewUser(user), csrfToken, mustChangePassword: user.mustChangePassword, ...(recoveryCodes ? { recoveryCodes } : {}) };
  },
});

const enrolDuringLogin = defineRoute({
  method: 'POST', url: '/api/v1/auth/login/2fa/enrol', summary: 'During a login that requires 2FA: a new TOTP secret with its QR code (confirm it with POST /auth/login/2fa)',
  access: { kind: 'public' }, action: 'auth.login.2fa.enrol', rateClass: 'auth',
  body: z.object({ challenge }).strict(),
  response: enrolmentView,
  handler: async ({ body, services, audit }) => {
    const start = timingStart();
    const c = await services.twoFactor.findChallenge(body.challenge);
    const user = c?.purpose === 'enrol' ? await services.store.users.findById(c.userId) : undefined;
    if (!c || !user || user.disabled) {
      await equalizeTiming(start, services.config.loginMinMs ?? DEFAULT_LOGIN_MIN_MS);
      audit.details = { reason: 'challenge_unknown' };
      throw new ApiError('PC_ERR_AUTH_2FA_INVALID', INVALID);
    }
    audit.actor = user.username;
    audit.target = user.id;
    const e = await services.twoFactor.beginEnrolment(user);
    if (!e) throw new ApiError('PC_ERR_AUTH_2FA_ALREADY_ENABLED', 'two-factor login is already on for this account; log in again');
    return e;
  },
});

/** The public routes of the second login step. */
export const loginSecondStepRoutes: RouteSpec[] = [secondStep, enrolDuringLogin];
