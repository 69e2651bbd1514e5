// Password login: lockout check, argon2 verify (or a dummy verify for unknown names), counters, equal timing.
import type { Store } from '../store/index.js';
import type { LockoutService } from './lockout-service.js';
import { needsRehash, verifyDummyPassword, verifyPassword } from './passwords.js';
import type { SessionUser } from './session-service.js';
import { equalizeTiming, timingStart } from './timing.js';

/** Every failed login answer takes at least this long (above an argon2 verify on a loaded 2-core machine). */
export const DEFAULT_LOGIN_MIN_MS = 750;
/** Usernames longer than this are not looked up (they cannot exist; the attempt still counts and costs a verify). */
export const MAX_LOGIN_USERNAME = 128;

export type LoginResult =
  | { ok: true; user: SessionUser; mustChangePassword: boolean; needsRehash: boolean }
  | {
      ok: false;
      /** 'invalid' covers unknown user and wrong password alike; 'disabled' only after a correct password. */
      reason: 'invalid' | 'locked' | 'disabled';
      /** For Retry-After on 'locked'. */
      retryAfterMs: number;
      /** Counters this attempt locked (audit them as lockouts). */
      lockedNow: Array<'user' | 'ip'>;
    };

/**
 * Checks a username and password. Unknown users cost the same argon2 work as known ones and every
 * failure answer is padded to at least `minMs`, so neither the answer nor its timing reveals whether a
 * user exists. On success the account counter is cleared; `needsRehash` tells the caller to store a new
 * hash made with the current parameters.
 */
export class PasswordLogin {
  private readonly minMs: number;

  constructor(
    private readonly store: Pick<Store, 'users'>,
    private readonly lockout: LockoutService,
    opts: { minMs?: number } = {},
  ) {
    this.minMs = opts.minMs ?? DEFAULT_LOGIN_MIN_MS;
  }

  /** One login attempt from client address `ip`. */
  async attempt(username: string, password: string, ip: string): Promise<LoginResult> {
    const start = timingStart();
    const fail = async (reason: 'invalid' | 'locked' | 'disabled', retryAfterMs = 0, lockedNow: Array<'user' | 'ip'> = []): Promise<LoginResult> => {
      await equalizeTiming(start, this.minMs);
      return { ok: false, reason, retryAfterMs, lockedNow };
    };
    const status = await this.lockout.check(username, ip);
    if (status.locked) return fail('locked', status.retryAfterMs);
    const user = username.length <= MAX_LOGIN_USERNAME ? await this.store.users.findByUsername(username) : undefined;
    const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyDummyPassword(password);
    if (!user || !ok) {
      const outcome = await this.lockout.recordFailure(username, ip);
      const after = outcome.lockedNow.length > 0 ? await this.lockout.check(username, ip) : undefined;
      return fail('invalid', after?.retryAfterMs ?? 0, outcome.lockedNow);
    }
    if (user.disabled) return fail('disabled');
    await this.lockout.reset(username);
    const { passwordHash, totpSecretEnc: _t, ...safe } = user;
    return { ok: true, user: safe, mustChangePassword: user.mustChangePassword, needsRehash: needsRehash(passwordHash) };
  }
}
