// /api/v1/auth/sso and /api/v1/auth/oidc: what the login page offers, the OIDC redirect and callback, and admin account linking.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { OidcError, type OidcFailureReason } from '../../auth/index.js';
import { StoreConflictError } from '../../store/index.js';
import type { Services } from '../context.js';
import { ApiError, errorBody, type ErrorCode } from '../errors.js';
import { userAgent } from '../pipeline.js';
import { defineRoute, type RouteSpec } from '../route-def.js';
import { openSession } from './auth-2fa-login.js';
import { assertCovers } from './guards.js';
import { idParams, userView, viewUser } from './views.js';

/** Cookie binding a sign-in in progress to this browser. SameSite=Lax: it must come back on the provider's top-level redirect. */
export const OIDC_FLOW_COOKIE = 'pc_oidc';
const CALLBACK = '/api/v1/auth/oidc/callback';

const REASON_CODES: Record<OidcFailureReason, ErrorCode> = {
  disabled: 'PC_ERR_OIDC_DISABLED', provider_unavailable: 'PC_ERR_OIDC_UNAVAILABLE', misconfigured: 'PC_ERR_OIDC_MISCONFIGURED',
  flow_missing: 'PC_ERR_OIDC_STATE', state_mismatch: 'PC_ERR_OIDC_STATE', provider_error: 'PC_ERR_OIDC_PROVIDER_ERROR',
  token_exchange_failed: 'PC_ERR_OIDC_TOKEN_INVALID', nonce_mismatch: 'PC_ERR_OIDC_TOKEN_INVALID', id_token_expired: 'PC_ERR_OIDC_TOKEN_INVALID',
  audience_mismatch: 'PC_ERR_OIDC_TOKEN_INVALID', issuer_mismatch: 'PC_ERR_OIDC_TOKEN_INVALID', id_token_invalid: 'PC_ERR_OIDC_TOKEN_INVALID',
  userinfo_failed: 'PC_ERR_OIDC_TOKEN_INVALID', no_mapped_group: 'PC_ERR_OIDC_NO_ACCESS', not_linked: 'PC_ERR_OIDC_NO_ACCESS',
  user_disabled: 'PC_ERR_OIDC_NO_ACCESS', username_unavailable: 'PC_ERR_OIDC_NO_ACCESS',
};

function flowCookieOptions(services: Services): { httpOnly: true; sameSite: 'lax'; secure: boolean; path: string } {
  return { httpOnly: true, sameSite: 'lax', secure: services.config.tls, path: `${services.config.basePath}/api/v1/auth/oidc` };
}

/** The callback URL registered at the provider: PORTCULLIS_PUBLIC_URL (with the base path in it), else this request's origin + base path. */
export function oidcRedirectUri(services: Services, req: FastifyRequest): string {
  const base = services.config.publicUrl ? services.config.publicUrl.replace(/\/+$/, '') : `${req.protocol}://${req.host}${services.config.basePath}`;
  return `${base}${CALLBACK}`;
}

/** A browser (it asked for HTML) goes back to the login page with the error code; an API client gets the JSON error. */
function answerFailure(services: Services, req: FastifyRequest, reply: FastifyReply, err: OidcError): FastifyReply {
  const code = REASON_CODES[err.reason];
  if ((req.headers.accept ?? '').includes('text/html')) {
    return reply.code(303).header('location', `${services.config.basePath}/login?ssoError=${code}`).send();
  }
  return reply.code(new ApiError(code, err.message).status).send(errorBody(code, err.message));
}

function asOidcError(err: unknown): OidcError {
  if (err instanceof OidcError) return err;
  return new OidcError('id_token_invalid', 'the sign-in could not be completed', { cause: err });
}

const ssoInfo = defineRoute({
  method: 'GET', url: '/api/v1/auth/sso', summary: 'What the login page offers: password login for everyone or only the break-glass user, and single sign-on',
  access: { kind: 'public' }, action: 'auth.sso.info',
  response: z.object({
    passwordLogin: z.enum(['all', 'break_glass_only']),
    oidc: z.object({ enabled: z.boolean(), displayName: z.string().optional(), loginUrl: z.string().optional() }),
  }),
  handler: async ({ services }) => {
    const o = services.oidc;
    return Promise.resolve({
      passwordLogin: services.sso.ssoOnly ? ('break_glass_only' as const) : ('all' as const),
      oidc: o ? { enabled: true, displayName: o.cfg.displayName, loginUrl: `${services.config.basePath}/api/v1/auth/oidc/login` } : { enabled: false },
    });
  },
});

const oidcLogin = defineRoute({
  method: 'GET', url: '/api/v1/auth/oidc/login', summary: 'Start single sign-on: redirects to the provider (PKCE S256, state, nonce kept server-side under a 10-minute cookie)',
  access: { kind: 'public' }, action: 'auth.oidc.start', rateClass: 'auth',
  handler: async ({ services, req, reply }) => {
    if (!services.oidc) return answerFailure(services, req, reply, new OidcError('disabled', 'single sign-on is not configured (PORTCULLIS_OIDC_ISSUER)'));
    try {
      const started = await services.oidc.begin(oidcRedirectUri(services, req));
      void reply.setCookie(OIDC_FLOW_COOKIE, started.cookie, { ...flowCookieOptions(services), expires: new Date(started.expiresAt) });
      return reply.code(302).header('cache-control', 'no-store').header('location', started.url).send();
    } catch (err) {
      const e = asOidcError(err);
      services.log?.warn({ reason: e.reason, err: { message: (e.cause as Error | undefined)?.message ?? e.message } }, 'single sign-on could not start');
      await services.audit({ actor: 'anonymous', actorType: 'user', action: 'auth.oidc.login', result: 'error', clientIp: req.ip, userAgent: userAgent(req), details: { reason: e.reason } });
      return answerFailure(services, req, reply, e);
    }
  },
});

const oidcCallback = defineRoute({
  method: 'GET', url: CALLBACK, summary: 'The provider sends the browser back here: checks state, code, ID token, userinfo; maps groups; starts a session',
  access: { kind: 'public' }, action: 'auth.oidc.login',
  query: z.record(z.string(), z.string().max(4096)),
  response: z.object({ user: userView, csrfToken: z.string(), mustChangePassword: z.boolean() }),
  handler: async ({ services, req, reply }) => {
    const cookie = req.cookies[OIDC_FLOW_COOKIE];
    void reply.clearCookie(OIDC_FLOW_COOKIE, flowCookieOptions(services));
    const base = { actorType: 'user' as const, action: 'auth.oidc.login', clientIp: req.ip, userAgent: userAgent(req) };
    if (!services.oidc) return answerFailure(services, req, reply, new OidcError('disabled', 'single sign-on is not configured (PORTCULLIS_OIDC_ISSUER)'));
    const query = new URLSearchParams(req.query as Record<string, string>);
    try {
      const r = await services.oidc.complete(cookie, query);
      const csrfToken = await openSession(services, req, reply, r.user, { passwordLogin: false });
      await services.audit({
        ...base, actor: r.user.username, result: 'success', target: r.user.id,
        details: { created: r.created, mappedGroups: r.mappedGroups, grants: r.grants, ...(r.skipped.length > 0 ? { skippedMappings: r.skipped } : {}) },
      });
      if ((req.headers.accept ?? '').includes('text/html')) return reply.code(303).header('location', `${services.config.basePath}/`).send();
      return { user: viewUser(r.user), csrfToken, mustChangePassword: false };
    } catch (err) {
      const e = asOidcError(err);
      services.stats.loginFailures += 1;
      services.metrics.logins.inc({ result: `oidc_${e.reason}` });
      await services.audit({
        ...base, actor: 'anonymous', result: e.reason === 'provider_unavailable' || e.reason === 'misconfigured' ? 'error' : 'denied',
        details: { reason: e.reason, ...(e.subject !== undefined ? { subject: e.subject } : {}), ...(query.has('error') ? { providerError: (query.get('error') ?? '').slice(0, 64) } : {}) },
      });
      return answerFailure(services, req, reply, e);
    }
  },
});

const link = defineRoute({
  method: 'POST', url: '/api/v1/users/:id/oidc', summary: "Link a user to a provider identity (its `sub`), so SSO signs in as this account (needed when auto-provisioning is off)",
  access: { kind: 'permission', permission: 'user.manage' }, action: 'user.oidc.link', params: idParams,
  body: z.object({ subject: z.string().min(1).max(255).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters') }).strict(),
  handler: async ({ params, body, principal, services, audit }) => {
    audit.target = params.id;
    if (!services.oidc) throw new ApiError('PC_ERR_OIDC_DISABLED', 'single sign-on is not configured (PORTCULLIS_OIDC_ISSUER)');
    const user = await services.store.users.findById(params.id);
    if (!user) throw new ApiError('PC_ERR_USER_NOT_FOUND', 'no such user');
    await assertCovers(services.store, principal!.actor, user.id);
    const subject = `${services.oidc.cfg.issuer}#${body.subject}`;
    audit.details = { subject };
    try {
      await services.store.users.update(user.id, { oidcSubject: subject });
    } catch (err) {
      if (err instanceof StoreConflictError) throw new ApiError('PC_ERR_OIDC_LINK_CONFLICT', 'this identity is already linked to another account', {}, { cause: err });
      throw err;
    }
    return { ok: true, subject };
  },
});

const unlink = defineRoute({
  method: 'DELETE', url: '/api/v1/users/:id/oidc', summary: 'Remove the link between a user and a provider identity',
  access: { kind: 'permission', permission: 'user.manage' }, action: 'user.oidc.unlink', params: idParams,
  handler: async ({ params, principal, services, audit }) => {
    audit.target = params.id;
    const user = await services.store.users.findById(params.id);
    if (!user) throw new ApiError('PC_ERR_USER_NOT_FOUND', 'no such user');
    await assertCovers(services.store, principal!.actor, user.id);
    await services.store.users.update(user.id, { oidcSubject: null });
    return { ok: true, wasLinked: user.oidcSubject !== null };
  },
});

/** The SSO routes (they exist even when SSO is off, answering PC_ERR_OIDC_DISABLED, so the UI can ask). */
export const oidcRoutes: RouteSpec[] = [ssoInfo, oidcLogin, oidcCallback, link, unlink];
