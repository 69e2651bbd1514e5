// Authentication failure counters (for lockout) and the encrypted-secrets table.
import type { AuthFailuresRepo, Dialect, SecretsRepo } from './repositories.js';
import type { AuthFailuresTable } from './schema.js';
import { LOCKS, writeTransaction, type Db } from './tx.js';
import type { AuthFailure } from './types.js';
import { addMs, nowIso, toIso } from './util.js';

function toFailure(r: AuthFailuresTable): AuthFailure {
  return { key: r.key, count: Number(r.count), windowStart: r.window_start, lockedUntil: r.locked_until };
}

/** Builds the auth-failure counter repository over `db`. */
export function authFailuresRepo(db: Db, dialect: Dialect): AuthFailuresRepo {
  return {
    async get(key) {
      const r = await db.selectFrom('auth_failures').selectAll().where('key', '=', key).executeTakeFirst();
      return r && toFailure(r);
    },
    async record(key, policy, at) {
      const now = at === undefined ? nowIso() : toIso(at, 'now');
      // One serialised read-modify-write, so parallel failures from many connections all count.
      return writeTransaction(db, dialect, LOCKS.authFailures, async (trx) => {
        const cur = await trx.selectFrom('auth_failures').selectAll().where('key', '=', key).executeTakeFirst();
        const windowOpen = cur !== undefined && Date.parse(cur.window_start) + policy.windowMs > Date.parse(now);
        const count = windowOpen ? Number(cur.count) + 1 : 1;
        const windowStart = windowOpen ? cur.window_start : now;
        const stillLocked = cur?.locked_until != null && cur.locked_until > now ? cur.locked_until : null;
        const lockedUntil = count >= policy.maxFailures ? addMs(now, policy.lockMs) : stillLocked;
        const row: AuthFailuresTable = { key, count, window_start: windowStart, locked_until: lockedUntil };
        if (cur) await trx.updateTable('auth_failures').set(row).where('key', '=', key).execute();
        else await trx.insertInto('auth_failures').values(row).execute();
        return toFailure(row);
      });
    },
    async reset(key) {
      const res = await db.deleteFrom('auth_failures').where('key', '=', key).executeTakeFirst();
      return res.numDeletedRows > 0n;
    },
  };
}

/** Builds the secrets repository over `db`. */
export function secretsRepo(db: Db): SecretsRepo {
  return {
    async get(key) {
      const r = await db.selectFrom('secrets').selectAll().where('key', '=', key).executeTakeFirst();
      return r && { key: r.key, valueEnc: r.value_enc, updatedAt: r.updated_at };
    },
    async put(key, valueEnc) {
      const updated_at = nowIso();
      await db
        .insertInto('secrets')
        .values({ key, value_enc: valueEnc, updated_at })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value_enc: valueEnc, updated_at }))
        .execute();
    },
    async remove(key) {
      const res = await db.deleteFrom('secrets').where('key', '=', key).executeTakeFirst();
      return res.numDeletedRows > 0n;
    },
  };
}
