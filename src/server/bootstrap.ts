// First run: the admin user with the admin role on all hosts, and its one-time password (printed once, file 0600).
import { randomBytes } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import { constants as fsc } from 'node:fs';
import { join } from 'node:path';
import { checkPasswordPolicy, hashPassword } from '../auth/index.js';
import type { Store } from '../store/index.js';

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
