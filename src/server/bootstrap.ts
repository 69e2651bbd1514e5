// Start-up state: the first-run admin (one-time password, printed once, file 0600) and the `local` host for the Docker socket.
import { randomBytes } from 'node:crypto';
import { open, stat, unlink } from 'node:fs/promises';
import { constants as fsc } from 'node:fs';
import { join } from 'node:path';
import { checkPasswordPolicy, hashPassword } from '../auth/index.js';
import { LocalHost, type HostRegistry } from '../hosts/index.js';
import { StoreConflictError, type Host as StoredHost, type Store } from '../store/index.js';

/** File in the data dir holding the generated admin password until the first admin login. */
export const INITIAL_PASSWORD_FILE = 'initial-admin-password';
/** Name of the user created on first run. */
export const ADMIN_USERNAME = 'admin';

export interface BootstrapResult {
  created: boolean;
  /** True when the password was generated (and written to the file); false when it came from the setting. */
  generated: boolean;
  /** The generated password, for the caller to print once; undefined otherwise. */
  password?: string;
}

/**
 * When the database has no user at all, creates `admin` (must change password) with the admin role on all
 * hosts. The password is `adminPassword` (checked against the policy) or a random one written to
 * `<dataDir>/initial-admin-password` (0600). Audited as a system action.
 */
export async function ensureAdmin(store: Store, opts: { dataDir: string; adminPassword?: string }): Promise<BootstrapResult> {
  if ((await store.users.list()).length > 0) return { created: false, generated: false };
  const given = opts.adminPassword !== undefined && opts.adminPassword !== '';
  const password = given ? opts.adminPassword! : randomBytes(18).toString('base64url');
  if (given) {
    const policy = checkPasswordPolicy(password, ADMIN_USERNAME);
    if (!policy.ok) throw new Error(`PORTCULLIS_ADMIN_PASSWORD breaks the password policy: ${policy.message}`);
  }
  const role = await store.roles.findByName('admin');
  if (!role) throw new Error('the built-in admin role is missing; the database migrations did not run');
  const user = await store.users.create({ username: ADMIN_USERNAME, passwordHash: await hashPassword(password), mustChangePassword: true });
  await store.grants.add({ roleId: role.id, subjectType: 'user', subjectId: user.id, scopeType: 'all' });
  if (!given) await writeSecretFile(join(opts.dataDir, INITIAL_PASSWORD_FILE), `${password}\n`);
  await store.audit.append({
    actor: 'system', actorType: 'system', action: 'user.bootstrap', result: 'success', target: user.id,
    details: { username: ADMIN_USERNAME, credentialSource: given ? 'PORTCULLIS_ADMIN_PASSWORD' : INITIAL_PASSWORD_FILE },
  });
  return given ? { created: true, generated: false } : { created: true, generated: true, password };
}

async function writeSecretFile(path: string, content: string): Promise<void> {
  // O_NOFOLLOW: a symlink planted at this name must not redirect the password elsewhere.
  const fh = await open(path, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_TRUNC | fsc.O_NOFOLLOW, 0o600);
  try {
    await fh.chmod(0o600);
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Deletes the initial password file; true when there was one. */
export async function removeInitialPasswordFile(dataDir: string | undefined): Promise<boolean> {
  if (dataDir === undefined) return false;
  try {
    await unlink(join(dataDir, INITIAL_PASSWORD_FILE));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Where the server looks for its own Docker Engine unless told otherwise. */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';
/** Name of the host row (kind `local`) for the server's own Docker socket. */
export const LOCAL_HOST_NAME = 'local';

/** What {@link ensureLocalHost} did: registered the host (creating its row or reusing it), or why not. */
export type LocalHostResult =
  | { registered: true; created: boolean; host: StoredHost }
  | { registered: false; reason: string };

async function isSocket(path: string): Promise<boolean | 'missing'> {
  try {
    return (await stat(path)).isSocket();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return 'missing';
    throw err;
  }
}

async function localRow(store: Store, socketPath: string): Promise<{ row: StoredHost; created: boolean }> {
  const existing = await store.hosts.findByName(LOCAL_HOST_NAME);
  if (existing) return { row: existing, created: false };
  try {
    const row = await store.hosts.create({ name: LOCAL_HOST_NAME, kind: 'local' });
    await store.audit.append({
      actor: 'system', actorType: 'system', action: 'host.create', result: 'success', target: row.id,
      details: { name: LOCAL_HOST_NAME, kind: 'local', socketPath },
    });
    return { row, created: true };
  } catch (err) {
    // Another server process on the same database created it first.
    const raced = err instanceof StoreConflictError ? await store.hosts.findByName(LOCAL_HOST_NAME) : undefined;
    if (!raced) throw err;
    return { row: raced, created: false };
  }
}

/**
 * When `socketPath` is a unix socket, makes sure the store has the host row `local` (kind `local`;
 * created once and audited as a system action, reused on every later start) and adds a LocalHost for
 * it to `registry`. Registers nothing when the socket is absent, or when the row named `local` is an
 * agent host or was revoked; the result says why.
 */
export async function ensureLocalHost(store: Store, registry: HostRegistry, opts: { socketPath: string }): Promise<LocalHostResult> {
  const socket = await isSocket(opts.socketPath);
  if (socket === 'missing') return { registered: false, reason: `no Docker socket at ${opts.socketPath}` };
  if (!socket) return { registered: false, reason: `${opts.socketPath} is not a unix socket` };
  const { row, created } = await localRow(store, opts.socketPath);
  if (row.kind !== 'local') return { registered: false, reason: `the host named "${LOCAL_HOST_NAME}" is an agent host; rename it to register the local socket` };
  if (row.revokedAt !== null) return { registered: false, reason: `the host "${LOCAL_HOST_NAME}" was revoked at ${row.revokedAt}` };
  registry.add(new LocalHost({ id: row.id, name: row.name, tags: row.tags, docker: { socketPath: opts.socketPath } }));
  return { registered: true, created, host: row };
}
