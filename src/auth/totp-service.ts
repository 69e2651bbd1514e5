// Two-factor accounts: TOTP enrolment and confirmation, second-step checks (TOTP or recovery code), login challenges, role policy.
import { decryptSecret, encryptSecret, type ChallengePurpose, type LoginChallenge, type Store } from '../store/index.js';
import { iso, ms, systemClock, type Clock } from './clock.js';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes.js';
import { generateSessionId, hashToken, isSessionIdFormat } from './tokens.js';
import { newTotpSecret, totpQrDataUrl, totpUri, verifyTotp } from './totp.js';

/** A login challenge (second step) lives this long. */
export const DEFAULT_CHALLENGE_TTL_MS = 5 * 60_000;
/** Wrong codes one challenge takes before it is dropped (the password must then be typed again). */
export const MAX_CHALLENGE_ATTEMPTS = 5;

export interface TwoFactorOptions {
  /** The data dir's secrets key (32 bytes): TOTP secrets are stored encrypted with it. */
  key: Buffer;
  /** Issuer shown in authenticator apps. */
  issuer: string;
  challengeTtlMs?: number;
  clock?: Clock;
}

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: string | null;
  /** An enrolment was started and awaits its confirmation code. */
  enrolling: boolean;
  recoveryCodesLeft: number;
  /** A role the user holds requires 2FA. */
  required: boolean;
}

export interface Enrolment {
  /** Base32, for typing into an app by hand. */
  secret: string;
  otpauthUri: string;
  /** SVG QR code as a data: URL. */
  qrDataUrl: string;
}

/** What the user presented as second factor: a TOTP code or one recovery code. */
export interface SecondFactor {
  code?: string | undefined;
  recoveryCode?: string | undefined;
}

export type SecondFactorResult =
  | { ok: true; method: 'totp' | 'recovery' }
  | { ok: false; reason: 'not_enabled' | 'malformed' | 'wrong' | 'replayed' | 'recovery_unknown' };

/** TOTP and recovery codes over `store.twoFactor`; secrets are encrypted with the data dir key, bound to the user id. */
export class TwoFactorService {
  private readonly clock: Clock;
  private readonly ttlMs: number;

  constructor(
    private readonly store: Pick<Store, 'twoFactor' | 'grants' | 'roles'>,
    private readonly opts: TwoFactorOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.ttlMs = opts.challengeTtlMs ?? DEFAULT_CHALLENGE_TTL_MS;
  }

  private seal(userId: string, secret: string): string {
    return encryptSecret(this.opts.key, secret, `totp:${userId}`);
  }

  private open(userId: string, enc: string): string {
    return decryptSecret(this.opts.key, enc, `totp:${userId}`);
  }

  private epoch(): number {
    return Math.floor(this.clock() / 1000);
  }

  /** Whether 2FA is on, being enrolled, required by a role, and how many recovery codes are left. */
  async status(userId: string): Promise<TwoFactorStatus> {
    const t = await this.store.twoFactor.getTotp(userId);
    const enabled = t?.secretEnc != null;
    return {
      enabled, enabledAt: t?.enabledAt ?? null, enrolling: t?.pendingEnc != null,
      recoveryCodesLeft: enabled ? await this.store.twoFactor.unusedRecoveryCodes(userId) : 0, required: await this.isRequired(userId),
    };
  }

  /** True when the user has an active TOTP secret. */
  async isEnabled(userId: string): Promise<boolean> {
    return (await this.store.twoFactor.getTotp(userId))?.secretEnc != null;
  }

  /** True when any role the user holds (on any scope) is flagged "2FA required". */
  async isRequired(userId: string): Promise<boolean> {
    const required = new Set(await this.store.twoFactor.requiredRoleIds());
    if (required.size === 0) return false;
    return (await this.store.grants.listForSubject('user', userId)).some((g) => required.has(g.roleId));
  }

  /**
   * Starts (or restarts) an enrolment: a new secret is stored encrypted as pending; the active one, if any,
   * stays until a code confirms the new one. Undefined when 2FA is already on (turn it off first).
   */
  async beginEnrolment(user: { id: string; username: string }): Promise<Enrolment | undefined> {
    if (await this.isEnabled(user.id)) return undefined;
    const secret = newTotpSecret();
    await this.store.twoFactor.setPending(user.id, this.seal(user.id, secret));
    const otpauthUri = totpUri(secret, this.opts.issuer, user.username);
    return { secret, otpauthUri, qrDataUrl: await totpQrDataUrl(otpauthUri) };
  }

  /** Confirms the pending secret with a code from the app: 2FA is on and ten recovery codes are returned (once). */
  async confirmEnrolment(userId: string, code: string): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false; reason: 'not_enrolling' | 'malformed' | 'wrong' | 'replayed' }> {
    const t = await this.store.twoFactor.getTotp(userId);
    if (!t?.pendingEnc) return { ok: false, reason: 'not_enrolling' };
    const r = await verifyTotp({ secret: this.open(userId, t.pendingEnc), code, epoch: this.epoch() });
    if (!r.ok) return r;
    const recoveryCodes = newRecoveryCodes();
    const ok = await this.store.twoFactor.activate(userId, { pendingEnc: t.pendingEnc, step: r.step, codeHashes: recoveryCodes.map((c) => hashRecoveryCode(userId, c)!) });
    return ok ? { ok: true, recoveryCodes } : { ok: false, reason: 'not_enrolling' };
  }

  /**
   * Checks a second factor: a TOTP code (its time step is recorded with compare-and-set, so the same code —
   * or any code of an earlier step — never works twice) or a recovery code (marked used atomically).
   */
  async verify(userId: string, factor: SecondFactor): Promise<SecondFactorResult> {
    const t = await this.store.twoFactor.getTotp(userId);
    if (!t?.secretEnc) return { ok: false, reason: 'not_enabled' };
    if (factor.recoveryCode !== undefined) {
      const hash = hashRecoveryCode(userId, factor.recoveryCode);
      if (hash === undefined) return { ok: false, reason: 'malformed' };
      return (await this.store.twoFactor.useRecoveryCode(userId, hash)) ? { ok: true, method: 'recovery' } : { ok: false, reason: 'recovery_unknown' };
    }
    let secret: string;
    try {
      secret = this.open(userId, t.secretEnc);
    } catch {
      // Another key or altered data: fail closed; an admin can reset the user's 2FA.
      return { ok: false, reason: 'wrong' };
    }
    const r = await verifyTotp({ secret, code: factor.code ?? '', afterStep: t.lastStep, epoch: this.epoch() });
    if (!r.ok) return r;
    // A concurrent login with the same code loses here.
    return (await this.store.twoFactor.useStep(userId, r.step)) ? { ok: true, method: 'totp' } : { ok: false, reason: 'replayed' };
  }

  /** New recovery codes (the old ones stop working); undefined when 2FA is off. */
  async regenerateRecoveryCodes(userId: string): Promise<string[] | undefined> {
    if (!(await this.isEnabled(userId))) return undefined;
    const codes = newRecoveryCodes();
    await this.store.twoFactor.replaceRecoveryCodes(userId, codes.map((c) => hashRecoveryCode(userId, c)!));
    return codes;
  }

  /** Turns 2FA off (own disable after password + code, or an admin reset); true when it was on or enrolling. */
  async disable(userId: string): Promise<boolean> {
    const t = await this.store.twoFactor.getTotp(userId);
    const had = t?.secretEnc != null || t?.pendingEnc != null;
    await this.store.twoFactor.clear(userId);
    return had;
  }

  /** Issues a second-step challenge; the client gets the value once, the store keeps its hash. */
  async createChallenge(userId: string, purpose: ChallengePurpose): Promise<{ challenge: string; expiresAt: string }> {
    const now = this.clock();
    await this.store.twoFactor.purgeChallenges(iso(now));
    const challenge = generateSessionId();
    const expiresAt = iso(now + this.ttlMs);
    await this.store.twoFactor.createChallenge({ idHash: hashToken(challenge), userId, purpose, expiresAt });
    return { challenge, expiresAt };
  }

  /** The live challenge with this value, or undefined (unknown, expired, or used up). */
  async findChallenge(challenge: string): Promise<LoginChallenge | undefined> {
    if (!isSessionIdFormat(challenge)) return undefined;
    const c = await this.store.twoFactor.findChallenge(hashToken(challenge));
    if (!c) return undefined;
    if (!(this.clock() < ms(c.expiresAt)) || c.attempts >= MAX_CHALLENGE_ATTEMPTS) {
      await this.store.twoFactor.deleteChallenge(c.idHash);
      return undefined;
    }
    return c;
  }

  /** Counts a wrong code on the challenge; drops it after MAX_CHALLENGE_ATTEMPTS. */
  async failChallenge(c: LoginChallenge): Promise<void> {
    const n = await this.store.twoFactor.countChallengeFailure(c.idHash);
    if (n >= MAX_CHALLENGE_ATTEMPTS) await this.store.twoFactor.deleteChallenge(c.idHash);
  }

  /** Ends a challenge after its successful use; false when another request used it first. */
  async finishChallenge(c: LoginChallenge): Promise<boolean> {
    return this.store.twoFactor.deleteChallenge(c.idHash);
  }

  /** Names of the roles that require 2FA. */
  async requiredRoles(): Promise<string[]> {
    const ids = new Set(await this.store.twoFactor.requiredRoleIds());
    return (await this.store.roles.list()).filter((r) => ids.has(r.id)).map((r) => r.name);
  }

  /** Flags exactly these roles (by name) as requiring 2FA; returns the unknown names (nothing is changed then). */
  async setRequiredRoles(names: string[]): Promise<{ unknown: string[] }> {
    const roles = await this.store.roles.list();
    const unknown = names.filter((n) => !roles.some((r) => r.name === n));
    if (unknown.length > 0) return { unknown };
    await this.store.twoFactor.setRequiredRoles(roles.filter((r) => names.includes(r.name)).map((r) => r.id));
    return { unknown: [] };
  }
}
