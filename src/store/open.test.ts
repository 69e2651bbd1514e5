// Unit tests for openDatabase on SQLite: URL parsing, pragmas, file modes, and an in-memory store end to end.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_FILE_MODE, openDatabase, openSqlite, parseDatabaseUrl } from './open.js';

const dir = mkdtempSync(join(tmpdir(), 'portcullis-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('parseDatabaseUrl', () => {
  it('reads sqlite paths, :memory: and postgres URLs', () => {
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', path: ':memory:' });
    expect(parseDatabaseUrl('sqlite:/var/lib/p.db')).toEqual({ dialect: 'sqlite', path: '/var/lib/p.db' });
    expect(parseDatabaseUrl('sqlite:///var/lib/p.db')).toEqual({ dialect: 'sqlite', path: '/var/lib/p.db' });
    expect(parseDatabaseUrl('sqlite:data/p.db')).toEqual({ dialect: 'sqlite', path: join(process.cwd(), 'data/p.db') });
    expect(parseDatabaseUrl('postgres://u:pw@db/x')).toEqual({ dialect: 'postgres', url: 'postgres://u:pw@db/x' });
    expect(parseDatabaseUrl('postgresql://db/x').dialect).toBe('postgres');
  });

  it('refuses other schemes without repeating the URL (it may hold a password)', () => {
    expect(() => parseDatabaseUrl('mysql://root:s3cret@db/x')).toThrow(/unsupported database URL/);
    try {
      parseDatabaseUrl('mysql://root:s3cret@db/x');
    } catch (err) {
      expect((err as Error).message).not.toContain('s3cret');
    }
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/needs a file path/);
  });
});

describe('SQLite files', () => {
  it('sets WAL, synchronous=FULL, foreign_keys=ON and the busy timeout', async () => {
    const { db } = openSqlite(join(dir, 'pragmas.db'), { busyTimeoutMs: 1234 });
    const one = async (q: string): Promise<unknown> => Object.values((await sql.raw(q).execute(db)).rows[0] as object)[0];
    expect(await one('pragma journal_mode')).toBe('wal');
    expect(await one('pragma synchronous')).toBe(2);
    expect(await one('pragma foreign_keys')).toBe(1);
    expect(await one('pragma busy_timeout')).toBe(1234);
    await db.destroy();
  });

  it('creates the database, -wal and -shm files 0600 even with umask 000', async () => {
    const path = join(dir, 'modes.db');
    const old = process.umask(0);
    try {
      const store = await openDatabase(`sqlite:${path}`);
      await store.migrate();
      await store.audit.append({ actor: 'a', actorType: 'system', action: 'x', result: 'success' });
      for (const p of [path, `${path}-wal`, `${path}-shm`]) expect(mode(p), p).toBe(DB_FILE_MODE);
      await store.close();
    } finally {
      process.umask(old);
    }
  });

  it('tightens an existing world-readable database file to 0600', async () => {
    const path = join(dir, 'loose.db');
    writeFileSync(path, '', { mode: 0o644 });
    expect(mode(path)).toBe(0o644);
    const store = await openDatabase(`sqlite:${path}`);
    expect(mode(path)).toBe(DB_FILE_MODE);
    await store.close();
  });
});

describe('migrate', () => {
  it('names the migration that failed', async () => {
    const path = join(dir, 'clash.db');
    const store = await openDatabase(`sqlite:${path}`);
    const raw = openSqlite(path, {});
    await sql`create table hosts (x integer)`.execute(raw.db);
    await raw.db.destroy();
    await expect(store.migrate()).rejects.toThrow(/database migration 0001_init failed: .*hosts/);
    await store.close();
  });
});

describe('openDatabase on sqlite::memory:', () => {
  it('migrates and serves every repository', async () => {
    const store = await openDatabase('sqlite::memory:');
    expect(store.dialect).toBe('sqlite');
    expect(await store.migrate()).toEqual(['0001_init', '0002_agent_identity', '0003_sso_2fa']);
    const u = await store.users.create({ username: 'Root', passwordHash: 'h' });
    expect((await store.users.findByUsername('root'))?.id).toBe(u.id);
    await store.audit.append({ actor: 'root', actorType: 'user', action: 'auth.login', result: 'success' });
    expect(await store.audit.verify()).toEqual({ ok: true, count: 1 });
    await store.close();
  });
});
