// Builds the Actor that authorize() takes from store rows: a user with its grants, or a token with its owner.
import type { GrantWithRole, Store } from '../store/index.js';
import type { Actor, AuthzGrant } from './authorize.js';

/** Store grants (joined with their roles) as authorize() grants. */
export function toAuthzGrants(rows: readonly GrantWithRole[]): AuthzGrant[] {
  return rows.map((g) => ({ permissions: g.permissions, scopeType: g.scopeType, scopeValue: g.scopeValue }));
}

/**
 * Loads the actor for an authenticated user, or for a token and its owner. Pass what the session or
 * token check returned; `active` reflects the user's disabled flag and, for a token, that it was accepted.
 */
export async function loadActor(
  store: Pick<Store, 'grants'>,
  who: { type: 'user'; user: { id: string; disabled: boolean } } | { type: 'token'; tokenId: string; user: { id: string; disabled: boolean } },
): Promise<Actor> {
  const userGrants = toAuthzGrants(await store.grants.listForSubject('user', who.user.id));
  const userActor: Actor = { type: 'user', id: who.user.id, active: !who.user.disabled, grants: userGrants };
  if (who.type === 'user') return userActor;
  const tokenGrants = toAuthzGrants(await store.grants.listForSubject('token', who.tokenId));
  return { type: 'token', id: who.tokenId, active: true, grants: tokenGrants, owner: userActor };
}
