// Test helper: a throw-away PostgreSQL cluster on 127.0.0.1 (initdb + pg_ctl as the postgres OS user), and store factories for both dialects.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, appendFileSync, chownSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { openDatabase, type Store } from '../../src/store/index.js';

const execFileP = promisify(execFile);

/** Where Debian's postgresql-15 puts initdb and pg_ctl (override with PORTCULLIS_TEST_PG_BIN). */
export const PG_BIN_DIR = process.env.PORTCULLIS_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';
/** Port tried first; a free one is picked when it is taken. */
export const PG_DEFAULT_PORT = 55432;

export interface PostgresInstance {
  port: number;
  /** Connection URL for database `dbName` (trust auth, user postgres). */
  url(dbName: string): string;
  /** Creates database `name` (lower-case letters, digits, _) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (immediate mode) and deletes its directory. */
  stop(): Promise<void>;
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresMissingReason(): string | undefined {
  for (const bin of ['initdb', 'pg_ctl']) {
    if (!existsSync(join(PG_BIN_DIR, bin))) {
      return `PostgreSQL binaries not found (${join(PG_BIN_DIR, bin)}); install Debian's postgresql package or set PORTCULLIS_TEST_PG_BIN`;
    }
  }
  return undefined;
}

/** True when PostgreSQL tests should be skipped: binaries missing and not in CI (in CI they run and fail loudly). */
export function skipPostgres(): boolean {
  return postgresMissingReason() !== undefined && process.env.CI !== 'true';
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  if (await portIsFree(PG_DEFAULT_PORT)) return PG_DEFAULT_PORT;
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no free port'))));
    });
  });
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const uid = await execFileP('id', ['-u', 'postgres']);
  const gid = await execFileP('id', ['-g', 'postgres']);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Runs a PostgreSQL binary, as the postgres OS user when we are root (initdb refuses to run as root). */
async function runPg(asPostgres: boolean, bin: string, args: string[]): Promise<void> {
  const file = join(PG_BIN_DIR, bin);
  const [cmd, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  try {
    await execFileP(cmd, argv, { timeout: 60_000, cwd: tmpdir() });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${bin} failed: ${e.stderr?.trim() || e.message}`);
  }
}

/** Starts a fresh cluster in a temp dir, listening on 127.0.0.1 only; `stop()` removes it. */
export async function startPostgres(): Promise<PostgresInstance> {
  const missing = postgresMissingReason();
  if (missing) throw new Error(missing);
  const asPostgres = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-pg-'));
  if (asPostgres) {
    const { uid, gid } = await postgresIds();
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  let started = false;
  const stop = async (): Promise<void> => {
    if (started) {
      started = false;
      await runPg(asPostgres, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await runPg(asPostgres, 'initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        `listen_addresses = '127.0.0.1'`,
        `port = ${port}`,
        `unix_socket_directories = '${dir}'`,
        // Tests kill clients, never this server: durability of the server itself is not under test.
        'fsync = off',
        'full_page_writes = off',
        'max_connections = 100',
        '',
      ].join('\n'),
    );
    await runPg(asPostgres, 'pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start']);
    started = true;
  } catch (err) {
    await stop();
    throw err;
  }
  const url = (dbName: string): string => `postgres://postgres@127.0.0.1:${port}/${dbName}`;
  return {
    port,
    url,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad test database name ${name}`);
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
  };
}

/** Environment variable naming an existing server's admin URL; when set, tests use it instead of starting a cluster. */
export const PG_URL_ENV = 'PORTCULLIS_TEST_PG_URL';

/**
 * Uses an already running server (admin URL such as postgres://postgres@127.0.0.1:55432/postgres).
 * `stop()` drops the databases this instance created and leaves the server running.
 */
export function connectPostgres(adminUrl: string): PostgresInstance {
  const admin = new URL(adminUrl);
  const created: string[] = [];
  const url = (dbName: string): string => {
    const u = new URL(admin.href);
    u.pathname = `/${dbName}`;
    return u.href;
  };
  const run = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: admin.href });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  return {
    port: Number(admin.port || 5432),
    url,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad test database name ${name}`);
      await run(`CREATE DATABASE ${name}`);
      created.push(name);
      return url(name);
    },
    async stop() {
      for (const name of created.splice(0)) await run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    },
  };
}

/**
 * For a vitest globalSetup: starts one cluster for the whole run and publishes its admin URL in
 * PORTCULLIS_TEST_PG_URL (inherited by the test workers), so files do not each pay for initdb.
 * Returns the teardown. Does nothing when the variable is already set or PostgreSQL is skipped here.
 */
export async function startSharedPostgres(): Promise<() => Promise<void>> {
  if (process.env[PG_URL_ENV] || skipPostgres()) return () => Promise.resolve();
  const instance = await startPostgres();
  process.env[PG_URL_ENV] = instance.url('postgres');
  return async () => {
    delete process.env[PG_URL_ENV];
    await instance.stop();
  };
}

let dbCounter = 0;

/** A way to open a fresh, migrated Store on one dialect (for describe.each over dialects). */
export interface StoreFactory {
  name: 'sqlite' | 'postgres';
  /** True when this dialect cannot run here and the tests should be skipped. */
  skip: boolean;
  /** Opens a new empty database and migrates it; remember to close it. */
  open(): Promise<Store>;
  /** URL of a new empty (unmigrated) database. */
  newUrl(): Promise<string>;
  /** Stops the server / removes temp files; call from afterAll. */
  cleanup(): Promise<void>;
}

/** SQLite in a temp dir: one file per open(). */
export function sqliteFactory(): StoreFactory {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-sqlite-'));
  const newUrl = (): Promise<string> => Promise.resolve(`sqlite:${join(dir, `db${++dbCounter}.db`)}`);
  return {
    name: 'sqlite',
    skip: false,
    newUrl,
    async open() {
      const store = await openDatabase(await newUrl());
      await store.migrate();
      return store;
    },
    cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
}

/**
 * PostgreSQL: one database per open(), on the server named by PORTCULLIS_TEST_PG_URL when set,
 * otherwise on a cluster this factory starts on first use (once per test file).
 */
export function postgresFactory(): StoreFactory {
  let instance: Promise<PostgresInstance> | undefined;
  const newUrl = async (): Promise<string> => {
    const shared = process.env[PG_URL_ENV];
    instance ??= shared ? Promise.resolve(connectPostgres(shared)) : startPostgres();
    return (await instance).createDatabase(`t${process.pid}_${++dbCounter}`);
  };
  return {
    name: 'postgres',
    skip: !process.env[PG_URL_ENV] && skipPostgres(),
    newUrl,
    async open() {
      const store = await openDatabase(await newUrl());
      await store.migrate();
      return store;
    },
    async cleanup() {
      if (instance) await (await instance).stop();
      instance = undefined;
    },
  };
}

/** Both dialect factories, SQLite first. */
export function storeFactories(): StoreFactory[] {
  return [sqliteFactory(), postgresFactory()];
}

/** Runs one raw SQL statement behind the store's back (tampering tests), on a sqlite: or postgres: URL. */
export async function rawSql(url: string, statement: string): Promise<void> {
  if (url.startsWith('sqlite:')) {
    const db = new SqliteDatabase(url.slice('sqlite:'.length));
    try {
      db.exec(statement);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
