// Write transactions that serialise writers across processes: BEGIN IMMEDIATE (SQLite), advisory lock (PostgreSQL).
import { sql, type Kysely } from 'kysely';
import type { Dialect } from './repositories.js';
import type { DatabaseSchema } from './schema.js';

export type Db = Kysely<DatabaseSchema>;

/** Namespace (first key) of the PostgreSQL advisory locks this store takes. */
const LOCK_NAMESPACE = 0x70637473; // "pcts"
/** Advisory lock keys, one per serialised resource. */
export const LOCKS = { audit: 1, authFailures: 2 } as const;

/**
 * Runs `fn` in one transaction that holds the write lock from its first statement: on SQLite
 * `BEGIN IMMEDIATE` (so another process cannot interleave between our read and our write), on
 * PostgreSQL a transaction-scoped advisory lock `lock` when given. Rolls back when `fn` throws.
 */
export async function writeTransaction<T>(db: Db, dialect: Dialect, lock: number | undefined, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (dialect === 'postgres') {
    return db.transaction().execute(async (trx) => {
      if (lock !== undefined) await sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}::int4, ${lock}::int4)`.execute(trx);
      return fn(trx);
    });
  }
  // Kysely's SQLite driver hands out its single connection under a mutex, so nothing else in this
  // process runs between these statements.
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    let result: T;
    try {
      result = await fn(conn);
    } catch (err) {
      try {
        await sql`rollback`.execute(conn);
      } catch {
        // SQLite may already have rolled back (e.g. after SQLITE_FULL); the original error matters.
      }
      throw err;
    }
    await sql`commit`.execute(conn);
    return result;
  });
}
