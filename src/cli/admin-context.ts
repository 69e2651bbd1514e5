// What every `portcullis admin` command shares: its I/O, the data dir/database settings, opening the store, failures and audit records.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { openDatabase, parseDatabaseUrl, type AuditResult, type DatabaseTarget, type Store } from '../store/index.js';

/** Exit code of a command that did what it was asked. */
export const EXIT_OK = 0;
/** Exit code of a clear failure (no such user, broken audit chain, database unreachable…). */
export const EXIT_FAILURE = 1;
/** Exit code of bad usage (unknown option, malformed argument, unsupported database for the command). */
export const EXIT_USAGE = 2;

/** Largest input read from stdin (a password): far above MAX_PASSWORD_BYTES, so the policy names the problem. */
export const MAX_STDIN_BYTES = 64 * 1024;

/** File name of the SQLite database inside the data dir. */
export const DB_FILE_NAME = 'portcullis.db';
/** User agent written into the audit records of CLI changes. */
export const CLI_USER_AGENT = 'portcullis-admin-cli';

/** The process around an admin command, injectable so tests run commands in-process. */
export interface AdminIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads stdin to its end (at most MAX_STDIN_BYTES). */
  readStdin: () => Promise<string>;
  stdinIsTty: boolean;
  /** Name of the OS user running the command (the audit actor is `cli:<osUser>`). */
  osUser: string;
}

/** A failure with its exit code; the message is printed as `portcullis admin: <message>`. */
export class AdminError extends Error {
  constructor(
    message: string,
    readonly exitCode: typeof EXIT_FAILURE | typeof EXIT_USAGE,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

/** A clear failure (exit 1). */
export function failure(message: string): AdminError {
  return new AdminError(message, EXIT_FAILURE);
}

/** Bad usage (exit 2). */
export function usage(message: string): AdminError {
  return new AdminError(message, EXIT_USAGE);
}

/** Where the store lives, as given by --data/--database or PORTCULLIS_DATA/PORTCULLIS_DATABASE. */
export interface StoreSettings {
  /** Absolute path of the data dir. */
  data: string;
  /** Database URL (may carry a password: never print it). */
  database: string;
}

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

/**
 * Resolves the data dir and database URL: flag, then environment, then default (`./data`,
 * `sqlite:<data>/portcullis.db`). Same names and defaults as the server's settings.
 */
export function resolveStoreSettings(flags: { data?: string; database?: string }, env: NodeJS.ProcessEnv, cwd: string): StoreSettings {
  const dataRaw = nonEmpty(flags.data) ?? nonEmpty(env.PORTCULLIS_DATA) ?? './data';
  const data = isAbsolute(dataRaw) ? dataRaw : resolve(cwd, dataRaw);
  const database = nonEmpty(flags.database) ?? nonEmpty(env.PORTCULLIS_DATABASE) ?? `sqlite:${join(data, DB_FILE_NAME)}`;
  return { data, database };
}

/** Parses the database URL; a malformed one is bad usage. The message never repeats the URL. */
export function databaseTarget(settings: StoreSettings): DatabaseTarget {
  try {
    return parseDatabaseUrl(settings.database);
  } catch (err) {
    throw usage(err instanceof Error ? err.message : 'unsupported database URL');
  }
}

/**
 * Opens and migrates the store, runs `fn`, and closes the store. A SQLite file that does not exist
 * is refused rather than created, so a mistyped --data never starts an empty second database.
 */
export async function withStore<T>(settings: StoreSettings, fn: (store: Store) => Promise<T>): Promise<T> {
  const target = databaseTarget(settings);
  if (target.dialect === 'sqlite' && target.path !== ':memory:' && !existsSync(target.path)) {
    throw failure(`no database at ${target.path}: check --data/--database (PORTCULLIS_DATA, PORTCULLIS_DATABASE), or start \`portcullis server\` once to create it`);
  }
  let store: Store;
  try {
    store = await openDatabase(settings.database);
  } catch (err) {
    throw failure(`cannot open the ${target.dialect} database: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The audit actor of a CLI run: `cli:<os user>`. */
export function cliActor(io: AdminIo): string {
  return `cli:${io.osUser}`;
}

/** Appends one audit record for a CLI action (actor type `system`). Details must hold no secret. */
export async function recordAudit(
  store: Store,
  io: AdminIo,
  entry: { action: string; target: string | null; result: AuditResult; details?: Record<string, unknown> },
): Promise<void> {
  await store.audit.append({
    actor: cliActor(io),
    actorType: 'system',
    action: entry.action,
    target: entry.target,
    result: entry.result,
    userAgent: CLI_USER_AGENT,
    details: entry.details ?? {},
  });
}

/** Renders rows as aligned text columns with a header line. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
