// /api/v1/tokens: the caller's API tokens — created with scoped grants (shown once), listed, revoked.
import { z } from 'zod';
import { authorize, MAX_TOKEN_NAME } from '../../auth/index.js';
import { ApiError } from '../errors.js';
import { defineRoute, type RouteSpec } from '../route-def.js';
import { assertCanDelegate, resolveScope, roleByName } from './guards.js';
import { grantInput, idParams, uuid, viewToken } from './views.js';

/** Most grants one token may carry. */
export const MAX_TOKEN_GRANTS = 20;

const list = defineRoute({
  method: 'GET', url: '/api/v1/tokens', summary: 'The caller\'s API tokens (any user\'s with token.manage and ?userId=)',
  access: { kind: 'user' }, action: 'token.list', query: z.object({ userId: uuid.optional() }).strict(),
  handler: async ({ query, principal, services }) => {
    const p = principal!;
    let owner = p.user.id;
    if (query.userId !== undefined && query.userId !== owner) {
      const d = authorize(p.actor, 'token.manage');
      if (!d.allow) throw new ApiError('PC_ERR_AUTH_FORBIDDEN', `not allowed: ${d.reason}`);
      owner = query.userId;
    }
    return { tokens: (await services.tokens.list(owner)).map(viewToken) };
  },
});

const create = defineRoute({
  method: 'POST', url: '/api/v1/tokens', summary: 'Create an API token (returned once) with roles on scopes the caller holds',
  access: { kind: 'user', session: true }, action: 'token.create', status: 201,
  body: z.object({
    name: z.string().min(1).max(MAX_TOKEN_NAME),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    grants: z.array(grantInput).min(1).max(MAX_TOKEN_GRANTS),
  }).strict(),
  handler: async ({ body, principal, services, audit }) => {
    const p = principal!;
    audit.details = { name: body.name, grants: body.grants.map((g) => ({ role: g.role, scopeType: g.scopeType, scopeValue: g.scopeValue ?? null })) };
    const resolved = [];
    for (const g of body.grants) {
      const role = await roleByName(services.store, g.role);
      const target = await resolveScope(services.store, g);
      assertCanDelegate(p.actor, role.permissions, target);
      resolved.push({ role, target });
    }
    let created;
    try {
      created = await services.tokens.create(p.user.id, { name: body.name, ...(body.expiresAt ? { expiresAt: new Date(body.expiresAt) } : {}) });
    } catch (err) {
      // TokenService refuses a bad name or a past expiry with a plain Error whose message starts with "token".
      if (err instanceof Error && err.message.startsWith('token ')) throw new ApiError('PC_ERR_REQUEST_INVALID', err.message, {}, { cause: err });
      throw err;
    }
    for (const { role, target } of resolved) {
      await services.store.grants.add({ roleId: role.id, subjectType: 'token', subjectId: created.info.id, scopeType: target.scopeType, scopeValue: target.scopeValue });
    }
    audit.target = created.info.id;
    return { token: created.token, info: viewToken(created.info) };
  },
});

const revoke = defineRoute({
  method: 'DELETE', url: '/api/v1/tokens/:id', summary: 'Revoke an own token (any user\'s with token.manage)',
  access: { kind: 'user' }, action: 'token.revoke', params: idParams,
  handler: async ({ params, principal, services, audit }) => {
    audit.target = params.id;
    const admin = authorize(principal!.actor, 'token.manage').allow;
    if (!(await services.tokens.revoke(params.id, admin ? undefined : principal!.user.id))) throw new ApiError('PC_ERR_TOKEN_NOT_FOUND', 'no such token');
    return { ok: true };
  },
});

/** The /api/v1/tokens routes. */
export const tokenRoutes: RouteSpec[] = [list, create, revoke];
