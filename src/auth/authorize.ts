// authorize(): the one decision every route and WebSocket message asks — may this actor use this permission on this host?
import { GLOBAL_PERMISSIONS, isPermission, type Permission } from './permissions.js';

export type ScopeType = 'all' | 'host' | 'tag';

/** One role granted on one scope: all hosts, one host (by id), or the hosts carrying a tag. */
export interface AuthzGrant {
  permissions: readonly string[];
  scopeType: ScopeType;
  /** Host id for 'host', tag for 'tag', null for 'all'. */
  scopeValue: string | null;
}

/**
 * Who is asking. `active` must be true (user enabled, token neither revoked nor expired); the caller
 * sets it from the store. A token actor carries its owner: a token never exceeds its user's rights.
 */
export interface Actor {
  type: 'user' | 'token';
  id: string;
  active: boolean;
  grants: readonly AuthzGrant[];
  owner?: Actor;
}

/** The host an action targets; undefined for global actions (users, audit, tokens, host enrolment). */
export interface HostRef {
  id: string;
  name: string;
  tags: readonly string[];
}

export interface AuthzDecision {
  allow: boolean;
  reason: string;
}

const deny = (reason: string): AuthzDecision => ({ allow: false, reason });

function scopeCovers(grant: AuthzGrant, host: HostRef | undefined): boolean {
  switch (grant.scopeType) {
    case 'all':
      return true;
    case 'host':
      return host !== undefined && grant.scopeValue !== null && grant.scopeValue === host.id;
    case 'tag':
      return host !== undefined && grant.scopeValue !== null && host.tags.includes(grant.scopeValue);
    default:
      return false; // an unknown scope type in the database grants nothing
  }
}

function describeScope(g: AuthzGrant): string {
  return g.scopeType === 'all' ? 'all hosts' : `${g.scopeType} ${g.scopeValue ?? '?'}`;
}

function decideOwn(actor: Actor, permission: Permission, host: HostRef | undefined): AuthzDecision {
  if (actor.active !== true) {
    return deny(actor.type === 'token' ? 'token is revoked or expired' : 'user is disabled');
  }
  const globalOnly = GLOBAL_PERMISSIONS.includes(permission) || host === undefined;
  for (const g of actor.grants) {
    if (!g.permissions.includes(permission)) continue;
    if (globalOnly && g.scopeType !== 'all') continue;
    if (scopeCovers(g, host)) return { allow: true, reason: `${permission} granted on ${describeScope(g)}` };
  }
  if (globalOnly) return deny(`${permission} needs a grant on all hosts`);
  return deny(`no grant of ${permission} covers host ${host?.name ?? '?'}`);
}

/**
 * Decides whether `actor` may use `permission` on `host`. Pure; fails closed: unknown permission,
 * inactive actor, token without its owner, or no covering grant → `{ allow: false, reason }`.
 * Global permissions (audit.read, user.manage, token.manage) and any call without a host need a grant with scope 'all'.
 * @example authorize(actor, 'container.operate', { id: 'h1', name: 'web-1', tags: ['prod'] })
 */
export function authorize(actor: Actor, permission: string, host?: HostRef): AuthzDecision {
  if (!isPermission(permission)) return deny(`unknown permission ${JSON.stringify(permission)}`);
  if (actor.type === 'token') {
    if (!actor.owner || actor.owner.type !== 'user') return deny('token has no owning user');
    const ownerDecision = decideOwn(actor.owner, permission, host);
    if (!ownerDecision.allow) return deny(`token owner: ${ownerDecision.reason}`);
  } else if (actor.type !== 'user') {
    return deny('unknown actor type');
  }
  return decideOwn(actor, permission, host);
}
