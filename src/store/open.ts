// openDatabase: parses the database URL, opens SQLite (better-sqlite3) or PostgreSQL (pg Pool), wires the repositories.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from '../log/index.js';
import { grantsRepo, rolesRepo } from './access-repo.js';
import { auditRepo } from './audit-repo.js';
import { authFailuresRepo, secretsRepo } from './counters-repo.js';
import { hostsRepo } from './hosts-repo.js';
import { migrationsFor } from './migrations.js';
import type { Dialect, Store } from './repositories.js';
import type { DatabaseSchema } from './schema.js';
import { sessionsRepo, tokensRepo } from './sessions-repo.js';
import { usersRepo } from './users-repo.js';
import { twoFactorRepo } from './twofactor-repo.js';
import { oidcRepo } from './oidc-repo.js';

/** How long a SQLite writer waits for another process's lock before SQLITE_BUSY. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/** Default size of the PostgreSQL connection pool. */
export const DEFAULT_PG_POOL_MAX = 10;
/** Mode of the SQLite database file and its -wal/-shm companions. */
export const DB_FILE_MODE = 0o600;

export interface OpenOptions {
  busyTimeoutMs?: number;
  poolMax?: number;
  /** Receives errors of idle PostgreSQL connections (which would otherwise crash the process). */
  logger?: Logger;
}

export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/**
 * Parses `sqlite:/path/to/db`, `sqlite:relative/path`, `sqlite::memory:` or `postgres(ql)://…`.
 * The error never repeats the URL, which may carry a password.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url === 'sqlite::memory:') return { dialect: 'sqlite', path: ':memory:' };
  if (url.startsWith('sqlite:')) {
    let path = url.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') throw new Error('database URL sqlite: needs a file path (e.g. sqlite:./data/portcullis.db)');
    return { dialect: 'sqlite', path: resolve(path) };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { dialect: 'postgres', url };
  throw new Error('unsupported database URL: set --database to sqlite:/path/to/portcullis.db, sqlite::memory: or postgres://user@host/db');
}

/** Creates the SQLite file 0600 before SQLite does (its -wal/-shm inherit the file's mode) and tightens existing ones. */
function secureSqliteFiles(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', DB_FILE_MODE));
  for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    if (existsSync(p)) chmodSync(p, DB_FILE_MODE);
  }
}

/** Opens a SQLite file (or :memory:) with WAL, synchronous=FULL, foreign keys and a busy timeout. Internal; exported for tests. */
export function openSqlite(path: string, opts: OpenOptions): { db: Kysely<DatabaseSchema>; after: () => void } {
  const memory = path === ':memory:';
  if (!memory) secureSqliteFiles(path);
  const busy = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const raw = new SqliteDatabase(path, { timeout: busy });
  try {
    if (!memory) {
      const mode: unknown = raw.pragma('journal_mode = WAL', { simple: true });
      if (String(mode).toLowerCase() !== 'wal') throw new Error(`SQLite refused WAL journal mode (got ${String(mode)})`);
    }
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = ON');
    raw.pragma(`busy_timeout = ${Math.trunc(busy)}`);
  } catch (err) {
    raw.close();
    throw err;
  }
  if (!memory) secureSqliteFiles(path);
  return { db: new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: raw }) }), after: () => memory || secureSqliteFiles(path) };
}

function openPostgres(url: string, opts: OpenOptions): Kysely<DatabaseSchema> {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolMax ?? DEFAULT_PG_POOL_MAX });
  pool.on('error', (err) => opts.logger?.warn({ err: { message: err.message } }, 'idle PostgreSQL connection failed'));
  return new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Opens the database at `url` (see parseDatabaseUrl) and returns the Store. Call `migrate()` before
 * first use and `close()` at shutdown.
 *
 * @example const store = await openDatabase('sqlite:./data/portcullis.db'); await store.migrate();
 */
export async function openDatabase(url: string, opts: OpenOptions = {}): Promise<Store> {
  const target = parseDatabaseUrl(url);
  const dialect: Dialect = target.dialect;
  let db: Kysely<DatabaseSchema>;
  let afterWrite = (): void => undefined;
  if (target.dialect === 'sqlite') {
    const opened = openSqlite(target.path, opts);
    db = opened.db;
    afterWrite = () => void opened.after();
  } else {
    db = openPostgres(target.url, opts);
  }
  await sql`select 1`.execute(db);
  return {
    dialect,
    users: usersRepo(db, dialect),
    roles: rolesRepo(db, dialect),
    grants: grantsRepo(db),
    sessions: sessionsRepo(db),
    tokens: tokensRepo(db),
    hosts: hostsRepo(db, dialect),
    authFailures: authFailuresRepo(db, dialect),
    secrets: secretsRepo(db),
    audit: auditRepo(db, dialect),
    twoFactor: twoFactorRepo(db, dialect),
    oidc: oidcRepo(db, dialect),
    async migrate() {
      const migrations = migrationsFor(dialect);
      const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
      const { error, results } = await migrator.migrateToLatest();
      afterWrite();
      const failed = results?.find((r) => r.status === 'Error');
      if (error !== undefined) {
        const msg = error instanceof Error ? error.message : 'unknown error';
        throw new Error(`database migration ${failed?.migrationName ?? '(setup)'} failed: ${msg}`, { cause: error });
      }
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}
