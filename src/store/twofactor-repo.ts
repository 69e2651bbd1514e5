// Two-factor storage: TOTP secrets (encrypted by the caller), the last used time step, recovery codes, login challenges, role policy.
import { randomUUID } from 'node:crypto';
import type { Dialect } from './repositories.js';
import { writeTransaction, type Db } from './tx.js';
import type { IsoTime } from './types.js';
import { fromBool, nowIso, toBool } from './util.js';

/** The TOTP columns of one user. */
export interface TotpState {
  /** The active secret (ciphertext); null when 2FA is off. */
  secretEnc: string | null;
  /** An enrolment waiting for its confirmation code (ciphertext). */
  pendingEnc: string | null;
  /** The last accepted time step: a code of this step or an earlier one is refused (replay). */
  lastStep: number | null;
  enabledAt: IsoTime | null;
}

export type ChallengePurpose = 'verify' | 'enrol';

/** The second step of a password login. */
export interface LoginChallenge {
  idHash: string;
  userId: string;
  purpose: ChallengePurpose;
  attempts: number;
  createdAt: IsoTime;
  expiresAt: IsoTime;
}

export interface TwoFactorRepo {
  getTotp(userId: string): Promise<TotpState | undefined>;
  /** Stores (or clears with null) an unconfirmed enrolment; the active secret is untouched. */
  setPending(userId: string, pendingEnc: string | null): Promise<boolean>;
  /**
   * Makes the pending secret active, only if it is still `pendingEnc` (a second enrolment started meanwhile
   * wins), records `step` as used and replaces the recovery codes with `codeHashes`. One transaction.
   */
  activate(userId: string, input: { pendingEnc: string; step: number; codeHashes: string[] }): Promise<boolean>;
  /** Records `step` as used when it is later than the last one (compare-and-set); false means a replay. */
  useStep(userId: string, step: number): Promise<boolean>;
  /** Turns 2FA off: secret, enrolment, last step and recovery codes are all removed. */
  clear(userId: string): Promise<boolean>;
  replaceRecoveryCodes(userId: string, codeHashes: string[]): Promise<void>;
  /** Marks an unused code as used (atomic); false when it is unknown, used, or another user's. */
  useRecoveryCode(userId: string, codeHash: string): Promise<boolean>;
  unusedRecoveryCodes(userId: string): Promise<number>;
  createChallenge(input: { idHash: string; userId: string; purpose: ChallengePurpose; expiresAt: IsoTime }): Promise<void>;
  findChallenge(idHash: string): Promise<LoginChallenge | undefined>;
  /** Counts one failed attempt; returns the new count. */
  countChallengeFailure(idHash: string): Promise<number>;
  deleteChallenge(idHash: string): Promise<boolean>;
  /** Deletes challenges past expiry; returns how many. */
  purgeChallenges(now?: IsoTime): Promise<number>;
  /** Ids of the roles whose holders must use 2FA. */
  requiredRoleIds(): Promise<string[]>;
  /** Sets the flag on exactly these roles (and clears it on every other). */
  setRequiredRoles(roleIds: string[]): Promise<void>;
}

/** Builds the two-factor repository over `db`. */
export function twoFactorRepo(db: Db, dialect: Dialect): TwoFactorRepo {
  const setCodes = async (trx: Db, userId: string, hashes: string[]): Promise<void> => {
    await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    if (hashes.length === 0) return;
    const created_at = nowIso();
    await trx.insertInto('recovery_codes').values(hashes.map((code_hash) => ({ id: randomUUID(), user_id: userId, code_hash, created_at, used_at: null }))).execute();
  };
  return {
    async getTotp(userId) {
      const r = await db
        .selectFrom('users')
        .select(['totp_secret_enc', 'totp_pending_enc', 'totp_last_step', 'totp_enabled_at'])
        .where('id', '=', userId)
        .executeTakeFirst();
      if (!r) return undefined;
      const step = r.totp_last_step;
      return { secretEnc: r.totp_secret_enc, pendingEnc: r.totp_pending_enc ?? null, lastStep: step === null ? null : Number(step), enabledAt: r.totp_enabled_at ?? null };
    },
    async setPending(userId, pendingEnc) {
      const res = await db.updateTable('users').set({ totp_pending_enc: pendingEnc, updated_at: nowIso() }).where('id', '=', userId).executeTakeFirst();
      return res.numUpdatedRows > 0n;
    },
    async activate(userId, input) {
      return writeTransaction(db, dialect, undefined, async (trx) => {
        const now = nowIso();
        const res = await trx
          .updateTable('users')
          .set({ totp_secret_enc: input.pendingEnc, totp_pending_enc: null, totp_last_step: input.step, totp_enabled_at: now, updated_at: now })
          .where('id', '=', userId)
          .where('totp_pending_enc', '=', input.pendingEnc)
          .executeTakeFirst();
        if (res.numUpdatedRows === 0n) return false;
        await setCodes(trx, userId, input.codeHashes);
        return true;
      });
    },
    async useStep(userId, step) {
      const res = await db
        .updateTable('users')
        .set({ totp_last_step: step })
        .where('id', '=', userId)
        .where('totp_secret_enc', 'is not', null)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .executeTakeFirst();
      return res.numUpdatedRows > 0n;
    },
    async clear(userId) {
      return writeTransaction(db, dialect, undefined, async (trx) => {
        const res = await trx
          .updateTable('users')
          .set({ totp_secret_enc: null, totp_pending_enc: null, totp_last_step: null, totp_enabled_at: null, updated_at: nowIso() })
          .where('id', '=', userId)
          .executeTakeFirst();
        await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
        await trx.deleteFrom('login_challenges').where('user_id', '=', userId).execute();
        return res.numUpdatedRows > 0n;
      });
    },
    async replaceRecoveryCodes(userId, codeHashes) {
      await writeTransaction(db, dialect, undefined, (trx) => setCodes(trx, userId, codeHashes));
    },
    async useRecoveryCode(userId, codeHash) {
      const res = await db
        .updateTable('recovery_codes')
        .set({ used_at: nowIso() })
        .where('user_id', '=', userId)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return res.numUpdatedRows > 0n;
    },
    async unusedRecoveryCodes(userId) {
      const r = await db
        .selectFrom('recovery_codes')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    async createChallenge(input) {
      await db
        .insertInto('login_challenges')
        .values({ id_hash: input.idHash, user_id: input.userId, purpose: input.purpose, attempts: 0, created_at: nowIso(), expires_at: input.expiresAt })
        .execute();
    },
    async findChallenge(idHash) {
      const r = await db.selectFrom('login_challenges').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
      return (
        r && {
          idHash: r.id_hash, userId: r.user_id, purpose: r.purpose as ChallengePurpose, attempts: Number(r.attempts), createdAt: r.created_at, expiresAt: r.expires_at,
        }
      );
    },
    async countChallengeFailure(idHash) {
      await db.updateTable('login_challenges').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('id_hash', '=', idHash).execute();
      const r = await db.selectFrom('login_challenges').select('attempts').where('id_hash', '=', idHash).executeTakeFirst();
      return r ? Number(r.attempts) : Number.MAX_SAFE_INTEGER;
    },
    async deleteChallenge(idHash) {
      const res = await db.deleteFrom('login_challenges').where('id_hash', '=', idHash).executeTakeFirst();
      return res.numDeletedRows > 0n;
    },
    async purgeChallenges(now) {
      const res = await db.deleteFrom('login_challenges').where('expires_at', '<=', now ?? nowIso()).executeTakeFirst();
      return Number(res.numDeletedRows);
    },
    async requiredRoleIds() {
      const rows = await db.selectFrom('roles').select(['id', 'require_2fa']).orderBy('name').execute();
      return rows.filter((r) => toBool(r.require_2fa ?? 0)).map((r) => r.id);
    },
    async setRequiredRoles(roleIds) {
      await writeTransaction(db, dialect, undefined, async (trx) => {
        await trx.updateTable('roles').set({ require_2fa: fromBool(false) }).execute();
        if (roleIds.length > 0) await trx.updateTable('roles').set({ require_2fa: fromBool(true) }).where('id', 'in', roleIds).execute();
      });
    },
  };
}
