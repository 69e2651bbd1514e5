// /api/v1/users: list, create, read, update (disable, force password change, reset password), delete.
import { z } from 'zod';
import { checkPasswordPolicy, hashPassword } from '../../auth/index.js';
import type { Store, User } from '../../store/index.js';
import { ApiError } from '../errors.js';
import { defineRoute, type RouteSpec } from '../route-def.js';
import { assertCovers } from './guards.js';
import { idParams, userView, viewUser } from './views.js';

const MANAGE = { kind: 'permission', permission: 'user.manage' } as const;
/** Usernames: letters, digits and . _ - (stored lower-case), 1-64 characters. */
const username = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'use 1-64 letters, digits, dots, underscores or dashes');
const password = z.string().min(1).max(4096);

async function mustFind(store: Store, id: string): Promise<User> {
  const u = await store.users.findById(id);
  if (!u) throw new ApiError('PC_ERR_USER_NOT_FOUND', 'no such user');
  return u;
}

function checkPolicy(pw: string, name: string): void {
  const p = checkPasswordPolicy(pw, name);
  if (!p.ok) throw new ApiError('PC_ERR_AUTH_PASSWORD_POLICY', `password refused: ${p.message}`);
}

const list = defineRoute({
  method: 'GET', url: '/api/v1/users', summary: 'All users', access: MANAGE, action: 'user.list',
  response: z.object({ users: z.array(userView) }),
  handler: async ({ services }) => ({ users: (await services.store.users.list()).map(viewUser) }),
});

const create = defineRoute({
  method: 'POST', url: '/api/v1/users', summary: 'Create a user (no grants; add them with POST /users/{id}/grants)',
  access: MANAGE, action: 'user.create', status: 201,
  body: z.object({ username, password, mustChangePassword: z.boolean().default(true) }).strict(),
  response: z.object({ user: userView }),
  handler: async ({ body, services, audit }) => {
    audit.details = { username: body.username.toLowerCase() };
    checkPolicy(body.password, body.username);
    const user = await services.store.users.create({
      username: body.username, passwordHash: await hashPassword(body.password), mustChangePassword: body.mustChangePassword,
    });
    audit.target = user.id;
    return { user: viewUser(user) };
  },
});

const read = defineRoute({
  method: 'GET', url: '/api/v1/users/:id', summary: 'One user', access: MANAGE, action: 'user.read', params: idParams,
  response: z.object({ user: userView }),
  handler: async ({ params, services }) => ({ user: viewUser(await mustFind(services.store, params.id)) }),
});

const update = defineRoute({
  method: 'PATCH', url: '/api/v1/users/:id', summary: 'Disable/enable, force a password change, or set a new password',
  access: MANAGE, action: 'user.update', params: idParams,
  body: z.object({ disabled: z.boolean().optional(), mustChangePassword: z.boolean().optional(), password: password.optional() }).strict(),
  response: z.object({ user: userView }),
  handler: async ({ params, body, principal, services, audit }) => {
    audit.target = params.id;
    audit.details = { disabled: body.disabled, forceChange: body.mustChangePassword, credentialReset: body.password !== undefined };
    const user = await mustFind(services.store, params.id);
    const self = user.id === principal!.user.id;
    if (self && body.disabled === true) throw new ApiError('PC_ERR_USER_SELF', 'you cannot disable your own account');
    if (!self) await assertCovers(services.store, principal!.actor, user.id);
    if (body.password !== undefined) {
      checkPolicy(body.password, user.username);
      await services.store.users.setPassword(user.id, await hashPassword(body.password), { mustChange: body.mustChangePassword ?? !self });
    }
    const patch = {
      ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
      ...(body.mustChangePassword !== undefined && body.password === undefined ? { mustChangePassword: body.mustChangePassword } : {}),
    };
    const updated = Object.keys(patch).length > 0 ? await services.store.users.update(user.id, patch) : await services.store.users.findById(user.id);
    // A disabled user or a reset password ends the user's sessions at once (other than the caller's own).
    if (body.disabled === true || body.password !== undefined) {
      await services.sessions.revokeAllForUser(user.id, self ? principal!.session?.id : undefined);
    }
    return { user: viewUser(updated ?? user) };
  },
});

const remove = defineRoute({
  method: 'DELETE', url: '/api/v1/users/:id', summary: 'Delete a user with its sessions, tokens and grants',
  access: MANAGE, action: 'user.delete', params: idParams,
  handler: async ({ params, principal, services, audit }) => {
    audit.target = params.id;
    if (params.id === principal!.user.id) throw new ApiError('PC_ERR_USER_SELF', 'you cannot delete your own account');
    const user = await mustFind(services.store, params.id);
    await assertCovers(services.store, principal!.actor, user.id);
    audit.details = { username: user.username };
    await services.store.users.remove(user.id);
    return { ok: true };
  },
});

const unlock = defineRoute({
  method: 'POST', url: '/api/v1/users/:id/unlock', summary: 'End a login lockout of this account early',
  access: MANAGE, action: 'user.unlock', params: idParams,
  handler: async ({ params, services, audit }) => {
    audit.target = params.id;
    const user = await mustFind(services.store, params.id);
    return { ok: true, wasLocked: await services.lockout.unlock(user.username) };
  },
});

/** The /api/v1/users routes. */
export const userRoutes: RouteSpec[] = [list, create, read, update, remove, unlock];
