// What the current user may do, computed from the grants of /auth/me the way src/auth/authorize.ts decides,
// so the UI offers only allowed actions. The server still decides every request; this only hides buttons.
import type { Grant, Host } from './types';

/** Permissions that only a grant on all hosts carries (mirrors GLOBAL_PERMISSIONS on the server). */
export const GLOBAL_PERMISSIONS = ['audit.read', 'user.manage', 'token.manage'] as const;

/** The host fields a grant's scope is matched against. */
export type HostScope = Pick<Host, 'id' | 'name' | 'tags'>;

function covers(g: Grant, host: HostScope | undefined): boolean {
  if (g.scopeType === 'all') return true;
  if (host === undefined || g.scopeValue === null) return false;
  if (g.scopeType === 'host') return g.scopeValue === host.id;
  if (g.scopeType === 'tag') return host.tags.includes(g.scopeValue);
  return false;
}

/**
 * Whether the grants allow `permission` on `host` (or globally when no host is given).
 * @example can(me.grants, 'container.operate', host)
 */
export function can(grants: readonly Grant[], permission: string, host?: HostScope): boolean {
  const globalOnly = (GLOBAL_PERMISSIONS as readonly string[]).includes(permission) || host === undefined;
  return grants.some((g) => g.permissions.includes(permission) && (!globalOnly || g.scopeType === 'all') && covers(g, host));
}

/** Whether the grants allow `permission` on at least one host (for showing a page or a menu entry). */
export function canSomewhere(grants: readonly Grant[], permission: string): boolean {
  return grants.some((g) => g.permissions.includes(permission));
}
