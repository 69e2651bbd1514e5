// Re-checks the credential behind an open WebSocket (without extending the session) and reloads the caller's grants.
import type { FastifyRequest } from 'fastify';
import { hashToken, isSessionIdFormat, loadActor, type Actor } from '../../auth/index.js';
import type { Principal, Services } from '../context.js';
import { SESSION_COOKIE } from '../pipeline.js';

/**
 * The caller's actor as of now, or undefined when the credential no longer holds: a token revoked or
 * expired, a session revoked, past its absolute or idle timeout, its user disabled or its password
 * changed. A session is only read, never touched: an open socket must not keep an idle session alive.
 */
export async function currentActor(services: Services, req: FastifyRequest, principal: Principal): Promise<Actor | undefined> {
  if (principal.via === 'token') {
    const m = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '');
    const check = await services.tokens.authenticate(m?.[1]);
    if (!check.ok || check.token.id !== principal.token?.id) return undefined;
    return loadActor(services.store, { type: 'token', tokenId: check.token.id, user: check.user });
  }
  const cookie = req.cookies[SESSION_COOKIE];
  if (cookie === undefined || !isSessionIdFormat(cookie)) return undefined;
  const s = await services.store.sessions.findByIdHash(hashToken(cookie));
  if (!s || s.revokedAt !== null || s.userId !== principal.user.id) return undefined;
  const now = Date.now();
  const created = Date.parse(s.createdAt);
  // `!(a < b)`: an unparsable stored time (NaN) ends the socket too.
  if (!(now < Date.parse(s.expiresAt)) || !(now - created < services.sessions.absoluteMs)) return undefined;
  if (!(now - Date.parse(s.lastSeenAt) < services.sessions.idleMs)) return undefined;
  const user = await services.store.users.findById(s.userId);
  if (!user || user.disabled || Date.parse(user.passwordChangedAt) > created) return undefined;
  return loadActor(services.store, { type: 'user', user });
}
