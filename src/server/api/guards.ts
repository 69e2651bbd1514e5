// Escalation guards shared by the user, grant and token routes: nobody acts beyond what they hold.
import { canDelegate, loadActor, type Actor, type DelegationTarget } from '../../auth/index.js';
import type { Role, Store } from '../../store/index.js';
import { ApiError } from '../errors.js';

/** Throws PC_ERR_AUTH_ESCALATION unless `actor` holds every permission on the target scope. */
export function assertCanDelegate(actor: Actor, permissions: readonly string[], target: DelegationTarget): void {
  const d = canDelegate(actor, permissions, target);
  if (!d.allow) throw new ApiError('PC_ERR_AUTH_ESCALATION', d.reason);
}

/**
 * Throws unless `actor` holds every grant of user `targetId` (so a user manager cannot reset the password
 * of, disable, or delete someone more privileged than themselves).
 */
export async function assertCovers(store: Store, actor: Actor, targetId: string): Promise<void> {
  const target = await loadActor(store, { type: 'user', user: { id: targetId, disabled: false } });
  for (const g of target.grants) {
    const d = canDelegate(actor, g.permissions, { scopeType: g.scopeType, scopeValue: g.scopeValue, ...(await hostOf(store, g)) });
    if (!d.allow) throw new ApiError('PC_ERR_AUTH_ESCALATION', `the user holds more than you: ${d.reason}`);
  }
}

async function hostOf(store: Store, g: { scopeType: string; scopeValue: string | null }): Promise<Pick<DelegationTarget, 'host'>> {
  if (g.scopeType !== 'host' || g.scopeValue === null) return {};
  const h = await store.hosts.findById(g.scopeValue);
  return h ? { host: { id: h.id, name: h.name, tags: h.tags } } : {};
}

/** The role with this name, or PC_ERR_ROLE_NOT_FOUND. */
export async function roleByName(store: Store, name: string): Promise<Role> {
  const role = await store.roles.findByName(name);
  if (!role) throw new ApiError('PC_ERR_ROLE_NOT_FOUND', `no role named ${JSON.stringify(name.slice(0, 64))}`);
  return role;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Resolves a requested scope: a host by id or name (must exist), a tag (non-empty), or all hosts. */
export async function resolveScope(
  store: Store,
  input: { scopeType: 'all' | 'host' | 'tag'; scopeValue?: string | null | undefined },
): Promise<DelegationTarget> {
  if (input.scopeType === 'all') return { scopeType: 'all', scopeValue: null };
  const v = input.scopeValue ?? '';
  if (v === '') throw new ApiError('PC_ERR_REQUEST_INVALID', `scopeValue is required for scope ${input.scopeType}`);
  if (input.scopeType === 'tag') return { scopeType: 'tag', scopeValue: v };
  const host = (UUID.test(v) ? await store.hosts.findById(v) : undefined) ?? (await store.hosts.findByName(v));
  if (!host) throw new ApiError('PC_ERR_HOST_NOT_FOUND', 'no such host');
  return { scopeType: 'host', scopeValue: host.id, host: { id: host.id, name: host.name, tags: host.tags } };
}
