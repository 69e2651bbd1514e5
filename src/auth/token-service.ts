// API tokens: created once (only the hash is kept), authenticated by hash lookup, expiring, revocable.
import type { ApiToken, Store, User } from '../store/index.js';
import { iso, ms, systemClock, type Clock } from './clock.js';
import { generateToken, hashToken, isTokenFormat, tokenDisplayPrefix } from './tokens.js';

/** last_used_at is written at most this often per token. */
export const TOKEN_MARK_USED_INTERVAL_MS = 60_000;
/** Longest accepted token name. */
export const MAX_TOKEN_NAME = 100;

/** What may be shown about a token after creation (never its hash). */
export type TokenInfo = Omit<ApiToken, 'tokenHash'>;

export type TokenInvalidReason = 'malformed' | 'unknown' | 'revoked' | 'expired' | 'user_missing' | 'user_disabled';

export type TokenCheck =
  | { ok: true; token: TokenInfo; user: Omit<User, 'passwordHash' | 'totpSecretEnc'> }
  | { ok: false; reason: TokenInvalidReason };

export interface TokenOptions {
  clock?: Clock;
  markUsedIntervalMs?: number;
}

function info(t: ApiToken): TokenInfo {
  const { tokenHash: _h, ...rest } = t;
  return rest;
}

/** API tokens over `store.tokens` and `store.users`. */
export class TokenService {
  private readonly clock: Clock;
  private readonly markUsedIntervalMs: number;

  constructor(
    private readonly store: Pick<Store, 'tokens' | 'users'>,
    opts: TokenOptions = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.markUsedIntervalMs = opts.markUsedIntervalMs ?? TOKEN_MARK_USED_INTERVAL_MS;
  }

  /**
   * Creates a token for `userId`. The plaintext `token` is in the result only: show it once, it cannot be
   * recovered. `expiresAt` (optional) must be in the future. Grants for the token are added separately
   * (store.grants.add with subjectType 'token'); a token never exceeds its owner's rights (see authorize).
   */
  async create(userId: string, input: { name: string; expiresAt?: Date | null }): Promise<{ token: string; info: TokenInfo }> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > MAX_TOKEN_NAME || /\p{Cc}/u.test(name)) {
      throw new Error(`token name must be 1-${MAX_TOKEN_NAME} printable characters`);
    }
    let expiresAt: string | null = null;
    if (input.expiresAt) {
      const t = input.expiresAt.getTime();
      if (!(t > this.clock())) throw new Error('token expiry must be in the future');
      expiresAt = iso(t);
    }
    const token = generateToken();
    const row = await this.store.tokens.create({ userId, name, tokenHash: hashToken(token), prefix: tokenDisplayPrefix(token), expiresAt });
    return { token, info: info(row) };
  }

  /**
   * Checks a presented bearer token: format, hash lookup, revocation, expiry and the owner's state.
   * Records last use (at most once a minute). The reason is for the audit log, not for the client.
   */
  async authenticate(presented: string | undefined): Promise<TokenCheck> {
    if (presented === undefined || !isTokenFormat(presented)) return { ok: false, reason: 'malformed' };
    const t = await this.store.tokens.findByHash(hashToken(presented));
    if (!t) return { ok: false, reason: 'unknown' };
    if (t.revokedAt !== null) return { ok: false, reason: 'revoked' };
    const now = this.clock();
    if (t.expiresAt !== null && !(now < ms(t.expiresAt))) return { ok: false, reason: 'expired' };
    const user = await this.store.users.findById(t.userId);
    if (!user) return { ok: false, reason: 'user_missing' };
    if (user.disabled) return { ok: false, reason: 'user_disabled' };
    let token = t;
    if (t.lastUsedAt === null || !(now - ms(t.lastUsedAt) < this.markUsedIntervalMs)) {
      await this.store.tokens.markUsed(t.id, iso(now));
      token = { ...t, lastUsedAt: iso(now) };
    }
    const { passwordHash: _h, totpSecretEnc: _s, ...safeUser } = user;
    return { ok: true, token: info(token), user: safeUser };
  }

  /** Revokes a token; with `ownerId`, only if it belongs to that user (pass undefined for an admin). */
  async revoke(tokenId: string, ownerId: string | undefined): Promise<boolean> {
    const t = await this.store.tokens.findById(tokenId);
    if (!t || (ownerId !== undefined && t.userId !== ownerId)) return false;
    return this.store.tokens.revoke(tokenId, iso(this.clock()));
  }

  /** The user's tokens, newest first, without hashes. */
  async list(userId: string): Promise<TokenInfo[]> {
    return (await this.store.tokens.listForUser(userId)).map(info);
  }
}
