// Users: lower-cased unique usernames, password changes, and removal of everything a user holds.
import { randomUUID } from 'node:crypto';
import { mapConflict } from './errors.js';
import type { Dialect, UsersRepo } from './repositories.js';
import type { UsersTable } from './schema.js';
import { writeTransaction, type Db } from './tx.js';
import type { User, UserPatch } from './types.js';
import { fromBool, nowIso, toBool } from './util.js';

function toUser(r: UsersTable): User {
  return {
    id: r.id,
    username: r.username,
    passwordHash: r.password_hash,
    mustChangePassword: toBool(r.must_change_password),
    disabled: toBool(r.disabled),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    passwordChangedAt: r.password_changed_at,
    totpSecretEnc: r.totp_secret_enc,
    totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step),
    oidcSubject: r.oidc_subject,
  };
}

/** Usernames are compared and stored lower-case. */
export function normaliseUsername(name: string): string {
  return name.toLowerCase();
}

/** Builds the users repository over `db`. */
export function usersRepo(db: Db, dialect: Dialect): UsersRepo {
  const findById = async (id: string): Promise<User | undefined> => {
    const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toUser(r);
  };
  return {
    async create(input) {
      const now = nowIso();
      const row: UsersTable = {
        id: randomUUID(),
        username: normaliseUsername(input.username),
        password_hash: input.passwordHash,
        must_change_password: fromBool(input.mustChangePassword ?? false),
        disabled: fromBool(input.disabled ?? false),
        created_at: now,
        updated_at: now,
        password_changed_at: now,
        totp_secret_enc: null,
        totp_last_step: null,
        oidc_subject: input.oidcSubject ?? null,
      };
      await mapConflict('a user with this username already exists', () => db.insertInto('users').values(row).execute());
      return toUser(row);
    },
    findById,
    async findByUsername(username) {
      const r = await db.selectFrom('users').selectAll().where('username', '=', normaliseUsername(username)).executeTakeFirst();
      return r && toUser(r);
    },
    async list() {
      const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
      return rows.map(toUser);
    },
    async update(id, patch: UserPatch) {
      const set: Partial<UsersTable> = { updated_at: nowIso() };
      if (patch.username !== undefined) set.username = normaliseUsername(patch.username);
      if (patch.mustChangePassword !== undefined) set.must_change_password = fromBool(patch.mustChangePassword);
      if (patch.disabled !== undefined) set.disabled = fromBool(patch.disabled);
      if (patch.totpSecretEnc !== undefined) set.totp_secret_enc = patch.totpSecretEnc;
      if (patch.totpLastStep !== undefined) set.totp_last_step = patch.totpLastStep;
      if (patch.oidcSubject !== undefined) set.oidc_subject = patch.oidcSubject;
      const res = await mapConflict('a user with this username already exists', () =>
        db.updateTable('users').set(set).where('id', '=', id).executeTakeFirst(),
      );
      return res.numUpdatedRows > 0n ? findById(id) : undefined;
    },
    async setPassword(id, passwordHash, opts = {}) {
      const now = nowIso();
      const res = await db
        .updateTable('users')
        .set({ password_hash: passwordHash, must_change_password: fromBool(opts.mustChange ?? false), password_changed_at: now, updated_at: now })
        .where('id', '=', id)
        .executeTakeFirst();
      return res.numUpdatedRows > 0n;
    },
    async remove(id) {
      return writeTransaction(db, dialect, undefined, async (trx) => {
        const tokenIds = trx.selectFrom('api_tokens').select('id').where('user_id', '=', id);
        await trx.deleteFrom('grants').where('subject_type', '=', 'token').where('subject_id', 'in', tokenIds).execute();
        await trx.deleteFrom('grants').where('subject_type', '=', 'user').where('subject_id', '=', id).execute();
        const res = await trx.deleteFrom('users').where('id', '=', id).executeTakeFirst();
        return res.numDeletedRows > 0n;
      });
    },
  };
}
