// /api/v1/roles and /api/v1/users/{id}/grants: custom roles and role grants per scope, without escalation.
import { z } from 'zod';
import { isPermission, PERMISSIONS } from '../../auth/index.js';
import { ApiError } from '../errors.js';
import { setSessionCookie } from '../pipeline.js';
import { defineRoute, type HandlerContext, type RouteSpec } from '../route-def.js';
import { assertCanDelegate, assertCovers, resolveScope, roleByName } from './guards.js';
import { grantInput, idParams, uuid, viewGrant } from './views.js';

const MANAGE = { kind: 'permission', permission: 'user.manage' } as const;
const roleView = z.object({ id: z.string(), name: z.string(), builtin: z.boolean(), permissions: z.array(z.string()), createdAt: z.string() });

/**
 * Sessions follow a privilege change: another user's sessions end (their next login starts fresh); the
 * caller's own session is rotated and the new CSRF token returned.
 */
async function afterPrivilegeChange(ctx: Pick<HandlerContext<undefined, undefined, undefined>, 'principal' | 'services' | 'reply' | 'clientIp' | 'req'>, userId: string): Promise<{ csrfToken?: string }> {
  const p = ctx.principal!;
  if (userId !== p.user.id) {
    await ctx.services.sessions.revokeAllForUser(userId);
    return {};
  }
  if (!p.session) return {};
  const created = await ctx.services.sessions.create(userId, { clientIp: ctx.clientIp, userAgent: ctx.req.headers['user-agent']?.slice(0, 256) ?? null, previousSessionId: p.session.id });
  setSessionCookie(ctx.services, ctx.reply, created.sessionId);
  return { csrfToken: created.csrfToken };
}

const listRoles = defineRoute({
  method: 'GET', url: '/api/v1/roles', summary: 'Built-in and custom roles with their permissions', access: MANAGE, action: 'role.list',
  response: z.object({ roles: z.array(roleView), permissions: z.array(z.string()) }),
  handler: async ({ services }) => ({ roles: await services.store.roles.list(), permissions: [...PERMISSIONS] }),
});

const createRole = defineRoute({
  method: 'POST', url: '/api/v1/roles', summary: 'Create a custom role (only from permissions the caller holds on all hosts)',
  access: MANAGE, action: 'role.create', status: 201,
  body: z.object({
    name: z.string().regex(/^[a-z][a-z0-9._-]{0,63}$/, 'use 1-64 lower-case letters, digits, dots, underscores or dashes'),
    permissions: z.array(z.string().max(64)).min(1).max(PERMISSIONS.length),
  }).strict(),
  response: z.object({ role: roleView }),
  handler: async ({ body, principal, services, audit }) => {
    audit.details = { name: body.name, permissions: body.permissions };
    const unknown = body.permissions.filter((p) => !isPermission(p));
    if (unknown.length > 0) throw new ApiError('PC_ERR_REQUEST_INVALID', `unknown permissions: ${unknown.join(', ')}`);
    assertCanDelegate(principal!.actor, body.permissions, { scopeType: 'all', scopeValue: null });
    const role = await services.store.roles.create({ name: body.name, permissions: [...new Set(body.permissions)] });
    audit.target = role.id;
    return { role };
  },
});

const listGrants = defineRoute({
  method: 'GET', url: '/api/v1/users/:id/grants', summary: 'Grants held by a user', access: MANAGE, action: 'grant.list', params: idParams,
  handler: async ({ params, services }) => {
    if (!(await services.store.users.findById(params.id))) throw new ApiError('PC_ERR_USER_NOT_FOUND', 'no such user');
    return { grants: (await services.store.grants.listForSubject('user', params.id)).map(viewGrant) };
  },
});

const addGrant = defineRoute({
  method: 'POST', url: '/api/v1/users/:id/grants', summary: 'Grant a role to a user on all hosts, one host or a tag',
  access: MANAGE, action: 'grant.add', status: 201, params: idParams, body: grantInput,
  handler: async ({ params, body, principal, services, audit, reply, clientIp, req }) => {
    audit.target = params.id;
    audit.details = { role: body.role, scopeType: body.scopeType, scopeValue: body.scopeValue ?? null };
    if (!(await services.store.users.findById(params.id))) throw new ApiError('PC_ERR_USER_NOT_FOUND', 'no such user');
    const role = await roleByName(services.store, body.role);
    const target = await resolveScope(services.store, body);
    assertCanDelegate(principal!.actor, role.permissions, target);
    const grant = await services.store.grants.add({
      roleId: role.id, subjectType: 'user', subjectId: params.id, scopeType: target.scopeType, scopeValue: target.scopeValue,
    });
    const rotated = await afterPrivilegeChange({ principal, services, reply, clientIp, req }, params.id);
    return { grant: { id: grant.id, role: role.name, scopeType: grant.scopeType, scopeValue: grant.scopeValue }, ...rotated };
  },
});

const removeGrant = defineRoute({
  method: 'DELETE', url: '/api/v1/users/:id/grants/:grantId', summary: 'Remove a grant (only one the caller could have given)',
  access: MANAGE, action: 'grant.remove', params: z.object({ id: uuid, grantId: uuid }).strict(),
  handler: async ({ params, principal, services, audit, reply, clientIp, req }) => {
    audit.target = params.id;
    audit.details = { grantId: params.grantId };
    const grants = await services.store.grants.listForSubject('user', params.id);
    const g = grants.find((x) => x.id === params.grantId);
    if (!g) throw new ApiError('PC_ERR_GRANT_NOT_FOUND', 'no such grant on this user');
    if (params.id !== principal!.user.id) await assertCovers(services.store, principal!.actor, params.id);
    await services.store.grants.remove(g.id);
    return { ok: true, ...(await afterPrivilegeChange({ principal, services, reply, clientIp, req }, params.id)) };
  },
});

/** The role and grant routes. */
export const accessRoutes: RouteSpec[] = [listRoles, createRole, listGrants, addGrant, removeGrant];
