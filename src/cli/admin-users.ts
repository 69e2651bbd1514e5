// `portcullis admin reset-password|create-user|unlock|users disable|enable`: user changes, each written to the audit log.
import { LockoutService, SessionService, hashPassword } from '../auth/index.js';
import { StoreConflictError, type ScopeType, type Store, type User } from '../store/index.js';
import { failure, recordAudit, usage, withStore, type AdminIo, type StoreSettings } from './admin-context.js';
import { generateOneTimePassword, readPasswordFromStdin } from './admin-password.js';

/** Usernames the CLI creates: letters, digits and `._@-`, starting with a letter or digit, at most 64 characters. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,63}$/i;
/** Tags a `tag:` scope may name. */
export const SCOPE_TAG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** A grant scope as typed on the command line (`host:` holds a host id or name until resolved). */
export type ScopeArg = { type: 'all' } | { type: 'host'; ref: string } | { type: 'tag'; tag: string };

/** Parses `all`, `host:<id or name>` or `tag:<tag>`; anything else is bad usage. */
export function parseScope(text: string): ScopeArg {
  if (text === 'all') return { type: 'all' };
  const colon = text.indexOf(':');
  const kind = colon > 0 ? text.slice(0, colon) : '';
  const value = colon > 0 ? text.slice(colon + 1) : '';
  if (kind === 'host' && value !== '' && value.length <= 128 && !/\s/.test(value)) return { type: 'host', ref: value };
  if (kind === 'tag' && SCOPE_TAG_PATTERN.test(value)) return { type: 'tag', tag: value };
  throw usage(`--scope ${text}: use all, host:<host id or name> or tag:<tag>`);
}

/** One-time password output: the password alone on stdout (scriptable), the explanation on stderr. */
function printOneTimePassword(io: AdminIo, username: string, pw: string): void {
  io.stderr(`one-time password for ${username} (shown once; it must be changed at the next login):\n`);
  io.stdout(`${pw}\n`);
}

/** Finds a user or records the failed attempt and fails with "no such user". */
async function requireUser(store: Store, io: AdminIo, action: string, username: string): Promise<User> {
  const user = await store.users.findByUsername(username);
  if (user) return user;
  await recordAudit(store, io, { action, target: `user:${username.toLowerCase()}`, result: 'error', details: { reason: 'no such user' } });
  throw failure(`no such user: ${username}`);
}

/** `admin reset-password <user>`: random one-time password, must change at next login, every session revoked. */
export async function resetPassword(settings: StoreSettings, io: AdminIo, username: string): Promise<void> {
  await withStore(settings, async (store) => {
    const user = await requireUser(store, io, 'user.password_reset', username);
    const pw = generateOneTimePassword(user.username);
    await store.users.setPassword(user.id, await hashPassword(pw), { mustChange: true });
    const revoked = await new SessionService(store).revokeAllForUser(user.id);
    await recordAudit(store, io, {
      action: 'user.password_reset',
      target: `user:${user.username}`,
      result: 'success',
      details: { userId: user.id, mustChange: true, sessionsRevoked: revoked },
    });
    printOneTimePassword(io, user.username, pw);
    io.stderr(`${revoked} session(s) of ${user.username} revoked\n`);
  });
}

export interface CreateUserFlags {
  role?: string;
  scope?: string;
  passwordStdin?: boolean;
}

async function resolveScope(store: Store, scope: ScopeArg): Promise<{ scopeType: ScopeType; scopeValue: string | null; label: string }> {
  if (scope.type === 'all') return { scopeType: 'all', scopeValue: null, label: 'all hosts' };
  if (scope.type === 'tag') return { scopeType: 'tag', scopeValue: scope.tag, label: `hosts tagged ${scope.tag}` };
  const host = (await store.hosts.findById(scope.ref)) ?? (await store.hosts.findByName(scope.ref));
  if (!host) throw failure(`no such host: ${scope.ref} (see the hosts page or GET /api/v1/hosts)`);
  return { scopeType: 'host', scopeValue: host.id, label: `host ${host.name}` };
}

/** `admin create-user <user>`: password from stdin (policy-checked) or a one-time password; optional role grant. */
export async function createUser(settings: StoreSettings, io: AdminIo, username: string, flags: CreateUserFlags): Promise<void> {
  if (!USERNAME_PATTERN.test(username)) throw usage(`username ${JSON.stringify(username)}: use 1-64 letters, digits or . _ @ -, starting with a letter or digit`);
  if (flags.scope !== undefined && flags.role === undefined) throw usage('--scope needs --role (the role granted on that scope)');
  const scope = parseScope(flags.scope ?? 'all');
  const name = username.toLowerCase();
  const chosen = flags.passwordStdin === true ? await readPasswordFromStdin(io, name) : undefined;
  await withStore(settings, async (store) => {
    const role = flags.role === undefined ? undefined : await store.roles.findByName(flags.role);
    if (flags.role !== undefined && !role) {
      const known = (await store.roles.list()).map((r) => r.name).join(', ');
      throw failure(`no such role: ${flags.role} (roles: ${known})`);
    }
    const where = await resolveScope(store, scope);
    if (await store.users.findByUsername(name)) {
      await recordAudit(store, io, { action: 'user.create', target: `user:${name}`, result: 'error', details: { reason: 'user exists' } });
      throw failure(`user ${name} already exists (use reset-password to give it a new password)`);
    }
    const pw = chosen ?? generateOneTimePassword(name);
    let user: User;
    try {
      user = await store.users.create({ username: name, passwordHash: await hashPassword(pw), mustChangePassword: chosen === undefined });
    } catch (err) {
      if (err instanceof StoreConflictError) throw failure(`user ${name} already exists`);
      throw err;
    }
    if (role) await store.grants.add({ roleId: role.id, subjectType: 'user', subjectId: user.id, scopeType: where.scopeType, scopeValue: where.scopeValue });
    await recordAudit(store, io, {
      action: 'user.create',
      target: `user:${name}`,
      result: 'success',
      details: { userId: user.id, role: role?.name ?? null, scope: role ? { type: where.scopeType, value: where.scopeValue } : null, mustChange: chosen === undefined },
    });
    io.stderr(`created user ${name}${role ? ` with role ${role.name} on ${where.label}` : ' with no role (it can log in but do nothing until granted one)'}\n`);
    if (chosen === undefined) printOneTimePassword(io, name, pw);
  });
}

/** `admin unlock <user>`: clears the account's failed-login counter and lock. */
export async function unlockUser(settings: StoreSettings, io: AdminIo, username: string): Promise<void> {
  await withStore(settings, async (store) => {
    const user = await store.users.findByUsername(username);
    const cleared = await new LockoutService(store).unlock(username);
    if (!user && !cleared) {
      await recordAudit(store, io, { action: 'user.unlock', target: `user:${username.toLowerCase()}`, result: 'error', details: { reason: 'no such user' } });
      throw failure(`no such user: ${username}`);
    }
    await recordAudit(store, io, { action: 'user.unlock', target: `user:${username.toLowerCase()}`, result: 'success', details: { counterCleared: cleared } });
    io.stdout(cleared ? `unlocked ${username.toLowerCase()}\n` : `${username.toLowerCase()} had no failed logins to clear\n`);
  });
}

/** `admin users disable|enable <user>`; disabling also revokes every session of the user. */
export async function setUserDisabled(settings: StoreSettings, io: AdminIo, username: string, disabled: boolean): Promise<void> {
  const action = disabled ? 'user.disable' : 'user.enable';
  await withStore(settings, async (store) => {
    const user = await requireUser(store, io, action, username);
    if (user.disabled === disabled) {
      io.stdout(`${user.username} is already ${disabled ? 'disabled' : 'enabled'}\n`);
      return;
    }
    await store.users.update(user.id, { disabled });
    const revoked = disabled ? await new SessionService(store).revokeAllForUser(user.id) : 0;
    await recordAudit(store, io, { action, target: `user:${user.username}`, result: 'success', details: { userId: user.id, sessionsRevoked: revoked } });
    io.stdout(disabled ? `disabled ${user.username} (${revoked} session(s) revoked; its API tokens are refused while disabled)\n` : `enabled ${user.username}\n`);
  });
}

/** `admin users reset-2fa <user>`: removes the user's second factor and recovery codes (the way back in for a lost phone); sessions end. */
export async function resetTwoFactor(settings: StoreSettings, io: AdminIo, username: string): Promise<void> {
  await withStore(settings, async (store) => {
    const user = await requireUser(store, io, 'user.2fa.reset', username);
    const had = await store.twoFactor.clear(user.id);
    const revoked = await new SessionService(store).revokeAllForUser(user.id);
    await recordAudit(store, io, { action: 'user.2fa.reset', target: `user:${user.username}`, result: 'success', details: { userId: user.id, wasEnabled: had, sessionsRevoked: revoked } });
    io.stdout(had ? `reset the second factor of ${user.username} (${revoked} session(s) revoked); they enrol again at their next login if their role requires it\n` : `${user.username} had no second factor\n`);
  });
}
