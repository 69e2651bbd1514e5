// /api/v1/auth/2fa: the caller's TOTP (status, enrol, confirm, disable, recovery codes), the per-role 2FA policy, and an admin's reset.
import { z } from 'zod';
import { verifyPassword } from '../../auth/index.js';
import type { Services } from '../context.js';
import { ApiError } from '../errors.js';
import { defineRoute, type RouteSpec } from '../route-def.js';
import { loginSecondStepRoutes } from './auth-2fa-login.js';
import { assertCovers } from './guards.js';
import { idParams } from './views.js';

const SESSION = { kind: 'user', session: true } as const;
const MANAGE = { kind: 'permission', permission: 'user.manage' } as const;
const password = z.string().min(1).max(4096);
const code = z.string().min(1).max(32);
const recoveryCode = z.string().min(1).max(64);
/** Password plus one second factor: what turning 2FA off or replacing recovery codes takes. */
const reauthBody = z
  .object({ password, code: code.optional(), recoveryCode: recoveryCode.optional() })
  .strict()
  .refine((b) => (b.code === undefined) !== (b.recoveryCode === undefined), 'give exactly one of code and recoveryCode');

const statusView = z.object({
  enabled: z.boolean(), enabledAt: z.string().nullable(), enrolling: z.boolean(), recoveryCodesLeft: z.number(), required: z.boolean(),
});

/** Checks the caller's password and one second factor; each failure counts toward the account's lockout. */
async function reauthenticate(services: Services, userId: string, ip: string, body: z.infer<typeof reauthBody>): Promise<void> {
  const user = await services.store.users.findById(userId);
  if (!user) throw new ApiError('PC_ERR_AUTH_REQUIRED', 'the session has ended; log in again');
  if (!(await verifyPassword(user.passwordHash, body.password))) {
    await services.lockout.recordFailure(user.username, ip);
    throw new ApiError('PC_ERR_AUTH_CURRENT_PASSWORD_WRONG', 'the password is wrong');
  }
  const r = await services.twoFactor.verify(user.id, { code: body.code, recoveryCode: body.recoveryCode });
  if (!r.ok) {
    await services.lockout.recordFailure(user.username, ip);
    throw new ApiError('PC_ERR_AUTH_2FA_CODE_WRONG', 'the code is wrong or was already used');
  }
}

const status = defineRoute({
  method: 'GET', url: '/api/v1/auth/2fa', summary: 'Two-factor status of the caller (on, enrolling, recovery codes left, required by a role)',
  access: { kind: 'user' }, action: 'auth.2fa.status', response: statusView,
  handler: async ({ principal, services }) => services.twoFactor.status(principal!.user.id),
});

const enrol = defineRoute({
  method: 'POST', url: '/api/v1/auth/2fa/enrol', summary: 'Start TOTP enrolment: a new secret, its otpauth:// URI and a QR code (SVG data URL); active only once confirmed',
  access: SESSION, action: 'auth.2fa.enrol', body: z.object({}).strict().optional(),
  response: z.object({ secret: z.string(), otpauthUri: z.string(), qrDataUrl: z.string() }),
  handler: async ({ principal, services, audit }) => {
    const u = principal!.user;
    audit.target = u.id;
    const e = await services.twoFactor.beginEnrolment(u);
    if (!e) throw new ApiError('PC_ERR_AUTH_2FA_ALREADY_ENABLED', 'two-factor login is already on; turn it off first (POST /api/v1/auth/2fa/disable)');
    return e;
  },
});

const confirm = defineRoute({
  method: 'POST', url: '/api/v1/auth/2fa/confirm', summary: 'Confirm the enrolment with a code from the app: 2FA is on; answers the ten recovery codes (shown once)',
  access: SESSION, action: 'auth.2fa.confirm', rateClass: 'auth', body: z.object({ code }).strict(),
  response: z.object({ recoveryCodes: z.array(z.string()) }),
  handler: async ({ body, principal, services, audit }) => {
    const u = principal!.user;
    audit.target = u.id;
    const r = await services.twoFactor.confirmEnrolment(u.id, body.code);
    if (!r.ok) {
      audit.details = { reason: r.reason };
      if (r.reason === 'not_enrolling') throw new ApiError('PC_ERR_AUTH_2FA_NOT_ENROLLING', 'no enrolment is waiting; start one with POST /api/v1/auth/2fa/enrol');
      throw new ApiError('PC_ERR_AUTH_2FA_CODE_WRONG', 'the code does not match the new secret (check the phone\'s clock)');
    }
    return { recoveryCodes: r.recoveryCodes };
  },
});

const disable = defineRoute({
  method: 'POST', url: '/api/v1/auth/2fa/disable', summary: 'Turn the own 2FA off (password and a TOTP or recovery code); refused when a role requires it',
  access: SESSION, action: 'auth.2fa.disable', rateClass: 'auth', body: reauthBody,
  handler: async ({ body, principal, services, clientIp, audit }) => {
    const u = principal!.user;
    audit.target = u.id;
    if (!(await services.twoFactor.isEnabled(u.id))) throw new ApiError('PC_ERR_AUTH_2FA_NOT_ENABLED', 'two-factor login is not on');
    if (await services.twoFactor.isRequired(u.id)) throw new ApiError('PC_ERR_AUTH_2FA_REQUIRED_BY_ROLE', 'a role you hold requires two-factor login');
    await reauthenticate(services, u.id, clientIp, body);
    await services.twoFactor.disable(u.id);
    return { ok: true };
  },
});

const regenerate = defineRoute({
  method: 'POST', url: '/api/v1/auth/2fa/recovery-codes', summary: 'Replace the recovery codes (password and a TOTP or recovery code); answers the ten new codes once',
  access: SESSION, action: 'auth.2fa.recovery_codes', rateClass: 'auth', body: reauthBody,
  response: z.object({ recoveryCodes: z.array(z.string()) }),
  handler: async ({ body, principal, services, clientIp, audit }) => {
    const u = principal!.user;
    audit.target = u.id;
    if (!(await services.twoFactor.isEnabled(u.id))) throw new ApiError('PC_ERR_AUTH_2FA_NOT_ENABLED', 'two-factor login is not on');
    await reauthenticate(services, u.id, clientIp, body);
    const codes = await services.twoFactor.regenerateRecoveryCodes(u.id);
    if (!codes) throw new ApiError('PC_ERR_AUTH_2FA_NOT_ENABLED', 'two-factor login is not on');
    return { recoveryCodes: codes };
  },
});

const policyView = z.object({ requiredRoles: z.array(z.string()), roles: z.array(z.string()) });

const getPolicy = defineRoute({
  method: 'GET', url: '/api/v1/auth/2fa/policy', summary: 'Roles whose holders must use 2FA at password login (and every role name)',
  access: MANAGE, action: 'auth.2fa.policy.read', response: policyView,
  handler: async ({ services }) => ({
    requiredRoles: await services.twoFactor.requiredRoles(), roles: (await services.store.roles.list()).map((r) => r.name),
  }),
});

const setPolicy = defineRoute({
  method: 'PATCH', url: '/api/v1/auth/2fa/policy', summary: 'Set the roles that require 2FA; sessions of holders without 2FA end (they enrol at their next login)',
  access: { ...MANAGE, session: true }, action: 'auth.2fa.policy.update',
  body: z.object({ requiredRoles: z.array(z.string().min(1).max(64)).max(100) }).strict(),
  response: policyView.extend({ sessionsEnded: z.number() }),
  handler: async ({ body, principal, services, audit }) => {
    const names = [...new Set(body.requiredRoles)];
    audit.details = { requiredRoles: names };
    const r = await services.twoFactor.setRequiredRoles(names);
    if (r.unknown.length > 0) throw new ApiError('PC_ERR_ROLE_NOT_FOUND', `no role named ${r.unknown.map((n) => JSON.stringify(n.slice(0, 64))).join(', ')}`);
    let sessionsEnded = 0;
    for (const user of await services.store.users.list()) {
      if (!(await services.twoFactor.isRequired(user.id)) || (await services.twoFactor.isEnabled(user.id))) continue;
      // The caller keeps this session (to enrol now); any other session of a holder without 2FA ends.
      sessionsEnded += await services.sessions.revokeAllForUser(user.id, user.id === principal!.user.id ? principal!.session?.id : undefined);
    }
    audit.details = { requiredRoles: names, sessionsEnded };
    return { requiredRoles: await services.twoFactor.requiredRoles(), roles: (await services.store.roles.list()).map((x) => x.name), sessionsEnded };
  },
});

const reset = defineRoute({
  method: 'POST', url: '/api/v1/users/:id/2fa/reset', summary: "Reset a user's 2FA (lost phone and codes): secret and recovery codes removed, the user's sessions end",
  access: MANAGE, action: 'user.2fa.reset', params: idParams,
  response: z.object({ ok: z.literal(true), wasEnabled: z.boolean() }),
  handler: async ({ params, principal, services, audit }) => {
    audit.target = params.id;
    if (params.id === principal!.user.id) throw new ApiError('PC_ERR_USER_SELF_2FA_RESET', 'you cannot reset your own 2FA; turn it off with POST /api/v1/auth/2fa/disable');
    const user = await services.store.users.findById(params.id);
    if (!user) throw new ApiError('PC_ERR_USER_NOT_FOUND', 'no such user');
    await assertCovers(services.store, principal!.actor, user.id);
    const wasEnabled = await services.twoFactor.disable(user.id);
    const sessionsEnded = await services.sessions.revokeAllForUser(user.id);
    audit.details = { username: user.username, wasEnabled, sessionsEnded };
    return { ok: true as const, wasEnabled };
  },
});

/** The /api/v1/auth/2fa routes, the second login step, and the admin reset. */
export const twoFactorRoutes: RouteSpec[] = [status, enrol, confirm, disable, regenerate, getPolicy, setPolicy, reset, ...loginSecondStepRoutes];
