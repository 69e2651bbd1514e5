// Pure-ish helpers of OIDC sign-in: the groups claim, the group → grant mapping (roles and hosts looked up by name), usernames for new accounts.
import type { RoleMap } from '../config/index.js';
import type { MappedGrant, Store } from '../store/index.js';

/** Longest username the users API accepts. */
const MAX_USERNAME = 64;

/** The groups claim as a list of strings: an array (non-strings dropped) or a single string; anything else is no groups. */
export function groupsOf(claims: Record<string, unknown>, claim: string): string[] {
  const v = claims[claim];
  if (typeof v === 'string') return v === '' ? [] : [v];
  return Array.isArray(v) ? v.filter((g): g is string => typeof g === 'string') : [];
}

export interface MappingResult {
  /** Mapped groups the user is in. */
  groups: string[];
  /** Distinct grants with a label (`role@scope`) for the audit record. */
  grants: Array<{ grant: MappedGrant; label: string }>;
  /** Entries naming a role or host that does not exist (fail closed: skipped, reported). */
  skipped: string[];
}

/** The grants `groups` earn under `map`; host scopes are looked up by name, roles by name. */
export async function mapGroups(store: Pick<Store, 'roles' | 'hosts'>, map: RoleMap, groups: readonly string[]): Promise<MappingResult> {
  const out: MappingResult = { groups: [], grants: [], skipped: [] };
  const seen = new Set<string>();
  for (const group of groups) {
    // Own properties only: a group called "__proto__" or "constructor" must not reach Object.prototype.
    const entries = Object.prototype.hasOwnProperty.call(map, group) ? map[group] : undefined;
    if (!entries) continue;
    out.groups.push(group);
    for (const e of entries) {
      const label = `${e.role}@${e.scopeType}${e.scopeValue === null ? '' : `:${e.scopeValue}`}`;
      const role = await store.roles.findByName(e.role);
      const host = e.scopeType === 'host' ? await store.hosts.findByName(e.scopeValue ?? '') : undefined;
      if (!role || (e.scopeType === 'host' && (!host || host.revokedAt !== null))) {
        out.skipped.push(label);
        continue;
      }
      const grant: MappedGrant = { roleId: role.id, scopeType: e.scopeType, scopeValue: e.scopeType === 'host' ? host!.id : e.scopeValue };
      const key = `${grant.roleId}|${grant.scopeType}|${grant.scopeValue ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.grants.push({ grant, label });
    }
  }
  return out;
}

/** A claim value turned into a valid username (letters, digits, . _ -; starts with a letter or digit), or undefined. */
export function toUsername(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const s = raw.normalize('NFKC').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, MAX_USERNAME);
  return s === '' ? undefined : s;
}

/**
 * Usernames to try for a new SSO account, best first: the configured claim, the e-mail's local part,
 * then each with `-<suffix>` (from the subject), then `sso-<suffix>`.
 */
export function usernameCandidates(claims: Record<string, unknown>, claim: string, suffix: string): string[] {
  const email = typeof claims.email === 'string' ? claims.email.split('@')[0] : undefined;
  const bases = [toUsername(claims[claim]), toUsername(email)].filter((b): b is string => b !== undefined);
  const withSuffix = bases.map((b) => `${b.slice(0, MAX_USERNAME - suffix.length - 1)}-${suffix}`);
  return [...new Set([...bases, ...withSuffix, `sso-${suffix}`])];
}
