// `portcullis admin audit verify|export` and `admin backup`: chain verification, JSON-lines export, consistent SQLite copy.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fchmodSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { DB_FILE_MODE } from '../store/index.js';
import { databaseTarget, failure, recordAudit, usage, withStore, type AdminIo, type StoreSettings } from './admin-context.js';

/** Mode of every file these commands write (backups and exports hold the whole user table or audit log). */
export const OUTPUT_FILE_MODE = DB_FILE_MODE;

/** What `backup` says for PostgreSQL (exit 2): the database server's own tool makes the consistent copy. */
export const PG_BACKUP_MESSAGE =
  'backup copies a SQLite database; for PostgreSQL use pg_dump, e.g. pg_dump --format=custom --file=portcullis.dump "$PORTCULLIS_DATABASE"';

/** `admin audit verify`: walks the chain; fails naming the first changed, removed or reordered record. */
export async function verifyAudit(settings: StoreSettings, io: AdminIo): Promise<void> {
  const result = await withStore(settings, (store) => store.audit.verify());
  if (!result.ok) throw failure(`audit log is NOT intact: first bad record is seq ${result.badSeq}: ${result.reason}`);
  io.stdout(`audit log intact: ${result.count} record(s), hash chain verified\n`);
}

/** Opens `path` for writing with mode 0600: a new file, or (with `force`) an existing one truncated and tightened. */
function openOutput(path: string, force: boolean): number {
  if (!force && existsSync(path)) throw failure(`${path} exists; choose another file or pass --force to overwrite it`);
  let fd: number;
  try {
    fd = openSync(path, force ? 'w' : 'wx', OUTPUT_FILE_MODE);
  } catch (err) {
    throw failure(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  fchmodSync(fd, OUTPUT_FILE_MODE);
  return fd;
}

/** `admin audit export [--output FILE]`: every record as one JSON object per line, oldest first. */
export async function exportAudit(settings: StoreSettings, io: AdminIo, flags: { output?: string; force?: boolean }): Promise<void> {
  const path = flags.output === undefined ? undefined : resolve(io.cwd, flags.output);
  await withStore(settings, async (store) => {
    const fd = path === undefined ? undefined : openOutput(path, flags.force === true);
    let count = 0;
    try {
      for await (const line of store.audit.exportLines()) {
        if (fd === undefined) io.stdout(line);
        else writeSync(fd, line);
        count++;
      }
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    // Recorded after the export, so the export never contains the record of itself.
    await recordAudit(store, io, { action: 'audit.export', target: null, result: 'success', details: { records: count, output: path ?? 'stdout' } });
    if (path !== undefined) io.stderr(`exported ${count} audit record(s) to ${path}\n`);
  });
}

/** Copies a live SQLite database with SQLite's online backup API, then makes the copy a single self-contained file. */
async function copySqlite(source: string, tmp: string): Promise<{ users: number }> {
  const src = new SqliteDatabase(source, { readonly: true, fileMustExist: true });
  try {
    await src.backup(tmp);
  } finally {
    src.close();
  }
  const copy = new SqliteDatabase(tmp, { fileMustExist: true });
  try {
    // The copy inherits WAL mode; rollback-journal mode keeps it one file until a server opens it again.
    copy.pragma('journal_mode = DELETE');
    const check: unknown = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw failure(`the backup copy failed its integrity check (${String(check)})`);
    const row = copy.prepare('select count(*) as n from users').get() as { n: number };
    return { users: row.n };
  } finally {
    copy.close();
  }
}

/** `admin backup --output FILE [--force]`: a consistent copy of the SQLite database, mode 0600; PostgreSQL → pg_dump (exit 2). */
export async function backupDatabase(settings: StoreSettings, io: AdminIo, flags: { output?: string; force?: boolean }): Promise<void> {
  const target = databaseTarget(settings);
  if (target.dialect === 'postgres') throw usage(PG_BACKUP_MESSAGE);
  if (target.path === ':memory:') throw usage('backup needs a database file, not sqlite::memory:');
  if (flags.output === undefined) throw usage('backup needs --output FILE');
  const output = resolve(io.cwd, flags.output);
  if (output === target.path) throw usage('--output is the database itself; choose another file');
  if (!flags.force && existsSync(output)) throw failure(`${output} exists; choose another file or pass --force to overwrite it`);
  if (!existsSync(dirname(output)) || !statSync(dirname(output)).isDirectory()) throw failure(`${dirname(output)} is not a directory`);
  await withStore(settings, async (store) => {
    // A private temp file beside the output, created 0600 before SQLite writes a byte, then renamed into place.
    const tmp = join(dirname(output), `.${basename(output)}.${randomBytes(6).toString('hex')}.tmp`);
    closeSync(openSync(tmp, 'wx', OUTPUT_FILE_MODE));
    let users: number;
    try {
      ({ users } = await copySqlite(target.path, tmp));
      chmodSync(tmp, OUTPUT_FILE_MODE);
      renameSync(tmp, output);
    } catch (err) {
      rmSync(tmp, { force: true });
      rmSync(`${tmp}-journal`, { force: true });
      if (err instanceof Error && err.name === 'AdminError') throw err;
      throw failure(`backup failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const bytes = statSync(output).size;
    await recordAudit(store, io, { action: 'database.backup', target: null, result: 'success', details: { output, bytes, users } });
    io.stdout(`backup written to ${output} (${bytes} bytes, ${users} user(s), integrity ok, mode 0600)\n`);
    io.stderr('keep the secrets key file of the data dir with it: encrypted settings cannot be read without that key\n');
  });
}
