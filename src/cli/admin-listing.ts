// `portcullis admin list-users` and `admin tokens list|revoke`: read-outs without any hash, and token revocation.
import { TokenService, userKey } from '../auth/index.js';
import type { ApiToken, GrantWithRole, Host, Store } from '../store/index.js';
import { failure, recordAudit, table, withStore, type AdminIo, type StoreSettings } from './admin-context.js';

/** One user as `list-users --json` prints it (never the password hash or TOTP secret). */
export interface UserListing {
  id: string;
  username: string;
  roles: Array<{ role: string; scope: string }>;
  disabled: boolean;
  mustChangePassword: boolean;
  locked: boolean;
  lockedUntil: string | null;
  createdAt: string;
  passwordChangedAt: string;
}

/** One token as `tokens list --json` prints it (never the hash). */
export interface TokenListing {
  id: string;
  user: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  state: 'active' | 'expired' | 'revoked';
}

function scopeLabel(g: GrantWithRole, hosts: Map<string, Host>): string {
  if (g.scopeType === 'all') return 'all';
  if (g.scopeType === 'tag') return `tag:${g.scopeValue ?? ''}`;
  const host = g.scopeValue === null ? undefined : hosts.get(g.scopeValue);
  return `host:${host?.name ?? g.scopeValue ?? ''}`;
}

async function listUsers(store: Store, now: number): Promise<UserListing[]> {
  const hosts = new Map((await store.hosts.list()).map((h) => [h.id, h]));
  const out: UserListing[] = [];
  for (const u of await store.users.list()) {
    const grants = await store.grants.listForSubject('user', u.id);
    const counter = await store.authFailures.get(userKey(u.username));
    const lockedUntil = counter?.lockedUntil ?? null;
    out.push({
      id: u.id,
      username: u.username,
      roles: grants.map((g) => ({ role: g.roleName, scope: scopeLabel(g, hosts) })),
      disabled: u.disabled,
      mustChangePassword: u.mustChangePassword,
      locked: lockedUntil !== null && Date.parse(lockedUntil) > now,
      lockedUntil,
      createdAt: u.createdAt,
      passwordChangedAt: u.passwordChangedAt,
    });
  }
  return out;
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

/** `admin list-users [--json]`. */
export async function printUsers(settings: StoreSettings, io: AdminIo, flags: { json?: boolean }): Promise<void> {
  const users = await withStore(settings, (store) => listUsers(store, Date.now()));
  if (flags.json === true) {
    io.stdout(`${JSON.stringify(users, null, 2)}\n`);
    return;
  }
  const rows = users.map((u) => [
    u.username,
    u.roles.length ? u.roles.map((r) => `${r.role}@${r.scope}`).join(',') : '-',
    yesNo(u.disabled),
    yesNo(u.mustChangePassword),
    u.locked ? `until ${u.lockedUntil ?? ''}` : 'no',
    u.createdAt,
  ]);
  io.stdout(table(['USERNAME', 'ROLES', 'DISABLED', 'MUST-CHANGE', 'LOCKED', 'CREATED'], rows));
}

function tokenState(t: ApiToken, now: number): TokenListing['state'] {
  if (t.revokedAt !== null) return 'revoked';
  if (t.expiresAt !== null && Date.parse(t.expiresAt) <= now) return 'expired';
  return 'active';
}

async function listTokens(store: Store, now: number, onlyUser: string | undefined): Promise<TokenListing[]> {
  const users = await store.users.list();
  const picked = onlyUser === undefined ? users : users.filter((u) => u.username === onlyUser.toLowerCase());
  if (onlyUser !== undefined && picked.length === 0) throw failure(`no such user: ${onlyUser}`);
  const out: TokenListing[] = [];
  for (const u of picked) {
    for (const t of await store.tokens.listForUser(u.id)) {
      out.push({
        id: t.id,
        user: u.username,
        name: t.name,
        prefix: `pct_${t.prefix}…`,
        createdAt: t.createdAt,
        expiresAt: t.expiresAt,
        lastUsedAt: t.lastUsedAt,
        revokedAt: t.revokedAt,
        state: tokenState(t, now),
      });
    }
  }
  return out;
}

/** `admin tokens list [--user <name>] [--json]`. */
export async function printTokens(settings: StoreSettings, io: AdminIo, flags: { json?: boolean; user?: string }): Promise<void> {
  const tokens = await withStore(settings, (store) => listTokens(store, Date.now(), flags.user));
  if (flags.json === true) {
    io.stdout(`${JSON.stringify(tokens, null, 2)}\n`);
    return;
  }
  const rows = tokens.map((t) => [t.id, t.user, t.name, t.prefix, t.state, t.createdAt, t.expiresAt ?? 'never', t.lastUsedAt ?? 'never']);
  io.stdout(table(['ID', 'USER', 'NAME', 'PREFIX', 'STATE', 'CREATED', 'EXPIRES', 'LAST-USED'], rows));
}

/** `admin tokens revoke <id>`: revokes an API token of any user. */
export async function revokeToken(settings: StoreSettings, io: AdminIo, id: string): Promise<void> {
  await withStore(settings, async (store) => {
    const token = await store.tokens.findById(id);
    if (!token) {
      await recordAudit(store, io, { action: 'apitoken.revoke', target: `apitoken:${id}`, result: 'error', details: { reason: 'no such token' } });
      throw failure(`no such API token: ${id} (see admin tokens list)`);
    }
    if (token.revokedAt !== null) {
      io.stdout(`API token ${id} was already revoked at ${token.revokedAt}\n`);
      return;
    }
    await new TokenService(store).revoke(id, undefined);
    const owner = await store.users.findById(token.userId);
    await recordAudit(store, io, {
      action: 'apitoken.revoke',
      target: `apitoken:${id}`,
      result: 'success',
      details: { owner: owner?.username ?? token.userId, name: token.name, prefix: token.prefix },
    });
    io.stdout(`revoked API token ${id} (${token.name}) of ${owner?.username ?? token.userId}\n`);
  });
}
