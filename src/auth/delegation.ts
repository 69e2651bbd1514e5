// Privilege-escalation guard: nobody hands out (to a user, a role grant or a token) a permission they do not hold there.
import { authorize, type Actor, type AuthzDecision, type HostRef, type ScopeType } from './authorize.js';
import { isPermission } from './permissions.js';

/** Where a new grant would apply. For scope 'host', pass the host so tag grants of the granter count. */
export interface DelegationTarget {
  scopeType: ScopeType;
  scopeValue: string | null;
  host?: HostRef;
}

/**
 * True when `actor` holds every one of `permissions` on a scope at least as wide as `target`:
 * - target 'all' needs each permission from a grant on all hosts;
 * - target 'tag' X needs a grant on all hosts or on tag X itself (a grant on one host is narrower);
 * - target 'host' needs what authorize() would allow on that host (its own, a tag or all).
 * Granting to another user also needs `user.manage`; the caller checks that with authorize().
 * Unknown permissions are refused, so a custom role cannot smuggle in a name that a later version gives meaning to.
 */
export function canDelegate(actor: Actor, permissions: readonly string[], target: DelegationTarget): AuthzDecision {
  for (const p of permissions) {
    if (!isPermission(p)) return { allow: false, reason: `unknown permission ${JSON.stringify(p)}` };
    const d = holdsOn(actor, p, target);
    if (!d.allow) return { allow: false, reason: `cannot grant ${p}: ${d.reason}` };
  }
  return { allow: true, reason: 'every permission is held on the target scope' };
}

function holdsOn(actor: Actor, p: string, target: DelegationTarget): AuthzDecision {
  switch (target.scopeType) {
    case 'all':
      return authorize(actor, p);
    case 'host':
      if (!target.host || target.host.id !== target.scopeValue) return { allow: false, reason: 'the target host is unknown' };
      return authorize(actor, p, target.host);
    case 'tag': {
      const all = authorize(actor, p);
      if (all.allow) return all;
      // A pseudo-host that carries only the tag: exactly the grants on that tag (or all hosts) cover it.
      const tagOnly: HostRef = { id: '\u0000tag-scope', name: `tag ${target.scopeValue ?? '?'}`, tags: target.scopeValue === null ? [] : [target.scopeValue] };
      return authorize(actor, p, tagOnly);
    }
    default:
      return { allow: false, reason: 'unknown scope type' };
  }
}
