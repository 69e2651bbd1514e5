// Shared zod schemas and the client-facing views of store records (never a hash, secret or session id).
import { z } from 'zod';
import type { SessionInfo, SessionUser, TokenInfo } from '../../auth/index.js';
import type { GrantWithRole } from '../../store/index.js';

/** Text that reaches the database: no control characters (PostgreSQL refuses NUL; logs hate the rest). */
export function plainText(max: number): z.ZodString {
  return z.string().min(1).max(max).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
}

/** Store ids are UUIDs; anything else is a 400 before the database sees it. */
export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');
export const idParams = z.object({ id: uuid }).strict();
export const scopeSchema = z.enum(['all', 'host', 'tag']);
/** A grant as requested: a role name on a scope (host by id or name, or a tag). */
export const grantInput = z
  .object({ role: z.string().min(1).max(64), scopeType: scopeSchema.default('all'), scopeValue: z.string().min(1).max(128).nullable().optional() })
  .strict();

export const userView = z.object({
  id: z.string(), username: z.string(), mustChangePassword: z.boolean(), disabled: z.boolean(),
  createdAt: z.string(), updatedAt: z.string(), passwordChangedAt: z.string(),
});
export type UserView = z.infer<typeof userView>;

/** The public view of a user. */
export function viewUser(u: SessionUser): UserView {
  return {
    id: u.id, username: u.username, mustChangePassword: u.mustChangePassword, disabled: u.disabled,
    createdAt: u.createdAt, updatedAt: u.updatedAt, passwordChangedAt: u.passwordChangedAt,
  };
}

/** The public view of a grant. */
export function viewGrant(g: GrantWithRole): Record<string, unknown> {
  return { id: g.id, role: g.roleName, permissions: g.permissions, scopeType: g.scopeType, scopeValue: g.scopeValue, createdAt: g.createdAt };
}

/** The public view of a session; `id` is the handle to revoke it (a hash, not the cookie value). */
export function viewSession(s: SessionInfo, currentIdHash: string | undefined): Record<string, unknown> {
  return {
    id: s.idHash, current: s.idHash === currentIdHash, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt,
    clientIp: s.clientIp, userAgent: s.userAgent,
  };
}

/** The public view of an API token (never its hash). */
export function viewToken(t: TokenInfo): Record<string, unknown> {
  return { id: t.id, name: t.name, prefix: t.prefix, expiresAt: t.expiresAt, lastUsedAt: t.lastUsedAt, createdAt: t.createdAt, revokedAt: t.revokedAt };
}
