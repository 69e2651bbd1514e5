// Server-side sessions: opaque ids (only their hash is stored), rotation at login, idle and absolute timeouts.
import type { Session, Store, User } from '../store/index.js';
import { iso, ms, systemClock, type Clock } from './clock.js';
import { csrfTokenFor, generateCsrfSecret } from './csrf.js';
import { constantTimeEqual, generateSessionId, hashToken, isSessionIdFormat } from './tokens.js';

const MINUTE = 60_000;
/** Default idle timeout: a session unused for 30 minutes ends. */
export const DEFAULT_SESSION_IDLE_MS = 30 * MINUTE;
/** Default absolute timeout: a session ends 12 hours after login whatever its use. */
export const DEFAULT_SESSION_ABSOLUTE_MS = 12 * 60 * MINUTE;
/** last_seen_at is written at most this often per session (a write per request would be wasteful). */
export const SESSION_TOUCH_INTERVAL_MS = MINUTE;

export interface SessionOptions {
  idleMs?: number;
  absoluteMs?: number;
  touchIntervalMs?: number;
  clock?: Clock;
}

/** A user without the fields no caller of a session check should carry around. */
export type SessionUser = Omit<User, 'passwordHash' | 'totpSecretEnc'>;

/** What the client may see about a session (never its id or CSRF secret). `idHash` is the handle to revoke it. */
export type SessionInfo = Omit<Session, 'csrfSecret'>;

export type SessionInvalidReason = 'malformed' | 'unknown' | 'revoked' | 'expired' | 'idle' | 'user_missing' | 'user_disabled' | 'password_changed';

export type SessionCheck =
  | { ok: true; session: SessionInfo; user: SessionUser; csrfToken: string }
  | { ok: false; reason: SessionInvalidReason };

export interface CreatedSession {
  /** The opaque id for the cookie. Returned once; only its hash is stored. */
  sessionId: string;
  csrfToken: string;
  session: SessionInfo;
}

function info(s: Session): SessionInfo {
  const { csrfSecret: _secret, ...rest } = s;
  return rest;
}

function safeUser(u: User): SessionUser {
  const { passwordHash: _h, totpSecretEnc: _t, ...rest } = u;
  return rest;
}

/** Sessions over `store.sessions` and `store.users`. */
export class SessionService {
  readonly idleMs: number;
  readonly absoluteMs: number;
  private readonly touchIntervalMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly store: Pick<Store, 'sessions' | 'users'>,
    opts: SessionOptions = {},
  ) {
    this.idleMs = opts.idleMs ?? DEFAULT_SESSION_IDLE_MS;
    this.absoluteMs = opts.absoluteMs ?? DEFAULT_SESSION_ABSOLUTE_MS;
    // Never write less often than half the idle timeout, or a short idle setting would end busy sessions.
    this.touchIntervalMs = Math.min(opts.touchIntervalMs ?? SESSION_TOUCH_INTERVAL_MS, this.idleMs / 2);
    this.clock = opts.clock ?? systemClock;
    if (!(this.idleMs > 0) || !(this.absoluteMs > 0)) throw new Error('session idle and absolute timeouts must be positive');
  }

  /**
   * Starts a session for a user who just proved who they are. Always a fresh id (rotation): a session id
   * the client already held (`previousSessionId`, e.g. the cookie sent with the login request) is revoked,
   * so an id planted before login (session fixation) never becomes authenticated.
   */
  async create(userId: string, meta: { clientIp?: string | null; userAgent?: string | null; previousSessionId?: string } = {}): Promise<CreatedSession> {
    if (meta.previousSessionId !== undefined && isSessionIdFormat(meta.previousSessionId)) {
      await this.store.sessions.revoke(hashToken(meta.previousSessionId), iso(this.clock()));
    }
    const now = this.clock();
    const sessionId = generateSessionId();
    const csrfSecret = generateCsrfSecret();
    const session = await this.store.sessions.create({
      idHash: hashToken(sessionId),
      userId,
      csrfSecret,
      createdAt: iso(now),
      expiresAt: iso(now + this.absoluteMs),
      clientIp: meta.clientIp ?? null,
      userAgent: meta.userAgent ?? null,
    });
    return { sessionId, csrfToken: csrfTokenFor(csrfSecret), session: info(session) };
  }

  /**
   * Checks a session id from a cookie. Invalid when malformed, unknown, revoked, past its absolute
   * expiry, idle too long, when its user is gone or disabled, or when the password changed after the
   * session began (a password change ends every older session; the server rotates the current one).
   * A valid session's last_seen_at is refreshed at most once per minute.
   */
  async validate(sessionId: string | undefined): Promise<SessionCheck> {
    if (sessionId === undefined || !isSessionIdFormat(sessionId)) return { ok: false, reason: 'malformed' };
    const idHash = hashToken(sessionId);
    const s = await this.store.sessions.findByIdHash(idHash);
    if (!s) return { ok: false, reason: 'unknown' };
    if (s.revokedAt !== null) return { ok: false, reason: 'revoked' };
    const now = this.clock();
    const created = ms(s.createdAt);
    // `!(x < y)` rather than `x >= y`: an unparsable stored time (NaN) must end the session.
    if (!(now < ms(s.expiresAt)) || !(now - created < this.absoluteMs)) return this.end(idHash, now, 'expired');
    if (!(now - ms(s.lastSeenAt) < this.idleMs)) return this.end(idHash, now, 'idle');
    const user = await this.store.users.findById(s.userId);
    if (!user) return this.end(idHash, now, 'user_missing');
    if (user.disabled) return this.end(idHash, now, 'user_disabled');
    if (ms(user.passwordChangedAt) > created) return this.end(idHash, now, 'password_changed');
    let session = s;
    if (now - ms(s.lastSeenAt) >= this.touchIntervalMs) {
      await this.store.sessions.touch(idHash, iso(now));
      session = { ...s, lastSeenAt: iso(now) };
    }
    return { ok: true, session: info(session), user: safeUser(user), csrfToken: csrfTokenFor(s.csrfSecret) };
  }

  /** True when `token` (the X-CSRF-Token header) is the CSRF token of the validated session (constant-time). */
  checkCsrf(check: Extract<SessionCheck, { ok: true }>, token: string | undefined): boolean {
    return typeof token === 'string' && token.length > 0 && constantTimeEqual(check.csrfToken, token);
  }

  /** Ends the session with this cookie id (logout). */
  async revoke(sessionId: string): Promise<boolean> {
    if (!isSessionIdFormat(sessionId)) return false;
    return this.store.sessions.revoke(hashToken(sessionId), iso(this.clock()));
  }

  /**
   * Ends a listed session by its handle, only if it belongs to `userId` (a user revoking their own);
   * pass `userId: undefined` for an admin revoking anyone's.
   */
  async revokeByHandle(idHash: string, userId: string | undefined): Promise<boolean> {
    if (!/^[0-9a-f]{64}$/.test(idHash)) return false;
    const s = await this.store.sessions.findByIdHash(idHash);
    if (!s || (userId !== undefined && s.userId !== userId)) return false;
    return this.store.sessions.revoke(idHash, iso(this.clock()));
  }

  /** Ends every session of a user, except optionally the caller's own (after a password change, disable, role change). */
  async revokeAllForUser(userId: string, exceptSessionId?: string): Promise<number> {
    const opts = { at: iso(this.clock()), ...(exceptSessionId !== undefined ? { exceptIdHash: hashToken(exceptSessionId) } : {}) };
    return this.store.sessions.revokeAllForUser(userId, opts);
  }

  /** The user's live sessions, newest first, without ids or CSRF secrets; idle ones are left out. */
  async list(userId: string): Promise<SessionInfo[]> {
    const now = this.clock();
    const rows = await this.store.sessions.listForUser(userId, iso(now));
    return rows.filter((s) => now - ms(s.lastSeenAt) < this.idleMs && now - ms(s.createdAt) < this.absoluteMs).map(info);
  }

  /** Deletes expired and revoked sessions; returns how many. */
  async purge(): Promise<number> {
    return this.store.sessions.purgeExpired(iso(this.clock()));
  }

  private async end(idHash: string, now: number, reason: SessionInvalidReason): Promise<SessionCheck> {
    await this.store.sessions.revoke(idHash, iso(now));
    return { ok: false, reason };
  }
}
