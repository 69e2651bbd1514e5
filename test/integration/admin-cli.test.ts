// `portcullis admin` against real databases: effects in the store, audit records, tampering named by seq, backups, no secret in output.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockoutService, SessionService, TokenService, hashPassword, verifyPassword } from '../../src/auth/index.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runAdminCli } from '../../src/cli/admin.js';
import { memoryIo, type MemoryIo } from '../../src/cli/admin-test-support.js';
import { openDatabase, type AuditRecord, type Store } from '../../src/store/index.js';
import { rawSql, storeFactories } from '../helpers/postgres.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const OLD_PASSWORD = 'Correct-Horse-Battery-81';


/** Asserts that no password hash, token hash or argon2 string appears in what the command printed. */
async function expectNoSecrets(io: MemoryIo, store: Store): Promise<void> {
  const text = io.all();
  expect(text).not.toContain('$argon2');
  for (const u of await store.users.list()) {
    expect(text).not.toContain(u.passwordHash);
    for (const t of await store.tokens.listForUser(u.id)) expect(text).not.toContain(t.tokenHash);
  }
}

async function lastAudit(store: Store): Promise<AuditRecord> {
  const [rec] = await store.audit.list({ order: 'desc', limit: 1 });
  if (!rec) throw new Error('no audit record');
  return rec;
}

describe.each(storeFactories())('admin on $name', (factory) => {
  let url = '';
  let store: Store;
  const cli = async (argv: string[], io: MemoryIo = memoryIo()): Promise<{ code: number; io: MemoryIo }> => ({
    code: await runAdminCli([...argv, '--database', url], io),
    io,
  });

  beforeAll(async () => {
    if (factory.skip) return;
    url = await factory.newUrl();
    store = await openDatabase(url);
    await store.migrate();
  });
  afterAll(async () => {
    if (!factory.skip) await store.close();
    await factory.cleanup();
  });

  it.skipIf(factory.skip)('reset-password prints a one-time password, revokes sessions and forces a change', async () => {
    const bob = await store.users.create({ username: 'bob', passwordHash: await hashPassword(OLD_PASSWORD) });
    const sessions = new SessionService(store);
    const s1 = await sessions.create(bob.id);
    const s2 = await sessions.create(bob.id);
    const { code, io } = await cli(['reset-password', 'BOB'], memoryIo({ osUser: 'ops' }));
    expect(code).toBe(EXIT_OK);
    expect(io.out).toHaveLength(1);
    const otp = io.out[0]!.trim();
    expect(otp.length).toBeGreaterThanOrEqual(20);
    const after = (await store.users.findById(bob.id))!;
    expect(after.mustChangePassword).toBe(true);
    expect(await verifyPassword(after.passwordHash, OLD_PASSWORD)).toBe(false);
    expect(await verifyPassword(after.passwordHash, otp)).toBe(true);
    expect((await sessions.validate(s1.sessionId)).ok).toBe(false);
    expect((await sessions.validate(s2.sessionId)).ok).toBe(false);
    expect(await store.sessions.listForUser(bob.id)).toEqual([]);
    const rec = await lastAudit(store);
    expect(rec).toMatchObject({ action: 'user.password_reset', actor: 'cli:ops', actorType: 'system', target: 'user:bob', result: 'success' });
    expect(rec.details).toMatchObject({ sessionsRevoked: 2, mustChange: true });
    expect(JSON.stringify(rec)).not.toContain(otp);
    await expectNoSecrets(io, store);
  });

  it.skipIf(factory.skip)('reset-password of an unknown user exits 1 with "no such user" and records the attempt', async () => {
    const { code, io } = await cli(['reset-password', 'ghost']);
    expect(code).toBe(EXIT_FAILURE);
    expect(io.err.join('')).toMatch(/no such user: ghost/);
    expect(io.out).toEqual([]);
    expect(await lastAudit(store)).toMatchObject({ action: 'user.password_reset', target: 'user:ghost', result: 'error', actorType: 'system' });
  });

  describe('audit verify', () => {
    it.skipIf(factory.skip)('exits 0 on an intact chain', async () => {
      for (let i = 0; i < 4; i++) await store.audit.append({ actor: 'alice', actorType: 'user', action: 'auth.login', result: 'success' });
      const { code, io } = await cli(['audit', 'verify']);
      expect(code).toBe(EXIT_OK);
      expect(io.out.join('')).toMatch(/intact: \d+ record/);
    });

    it.skipIf(factory.skip)('exits 1 naming seq 2 after a changed record, and 0 again once it is restored', async () => {
      const rec = (await store.audit.list({ limit: 2 }))[1]!;
      expect(rec.seq).toBe(2);
      await rawSql(url, `UPDATE audit_log SET target = 'user:mallory' WHERE seq = 2`);
      const { code, io } = await cli(['audit', 'verify']);
      expect(code).toBe(EXIT_FAILURE);
      expect(io.err.join('')).toMatch(/first bad record is seq 2\b/);
      const restored = rec.target === null ? 'NULL' : `'${rec.target}'`;
      await rawSql(url, `UPDATE audit_log SET target = ${restored} WHERE seq = 2`);
      expect((await cli(['audit', 'verify'])).code).toBe(EXIT_OK);
    });

    it.skipIf(factory.skip)('exits 1 naming seq 3 after records 3 and 4 swap places', async () => {
      await rawSql(url, 'UPDATE audit_log SET seq = -1 WHERE seq = 3');
      await rawSql(url, 'UPDATE audit_log SET seq = 3 WHERE seq = 4');
      await rawSql(url, 'UPDATE audit_log SET seq = 4 WHERE seq = -1');
      const { code, io } = await cli(['audit', 'verify']);
      expect(code).toBe(EXIT_FAILURE);
      expect(io.err.join('')).toMatch(/seq 3\b/);
      await rawSql(url, 'UPDATE audit_log SET seq = -1 WHERE seq = 3');
      await rawSql(url, 'UPDATE audit_log SET seq = 3 WHERE seq = 4');
      await rawSql(url, 'UPDATE audit_log SET seq = 4 WHERE seq = -1');
      expect((await cli(['audit', 'verify'])).code).toBe(EXIT_OK);
    });

    it.skipIf(factory.skip)('exits 1 naming seq 2 after a record is removed', async () => {
      await rawSql(url, 'DELETE FROM audit_log WHERE seq = 2');
      const { code, io } = await cli(['audit', 'verify']);
      expect(code).toBe(EXIT_FAILURE);
      expect(io.err.join('')).toMatch(/first bad record is seq 2\b/);
    });
  });
});

describe('admin on a SQLite data dir', () => {
  let dir = '';
  let store: Store;
  const cli = async (argv: string[], io: MemoryIo = memoryIo()): Promise<{ code: number; io: MemoryIo }> => {
    const code = await runAdminCli([...argv, '--data', join(dir, 'data')], io);
    await expectNoSecrets(io, store);
    return { code, io };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-admin-'));
    mkdirSync(join(dir, 'data'), { mode: 0o700 });
    store = await openDatabase(`sqlite:${join(dir, 'data', 'portcullis.db')}`);
    await store.migrate();
    await store.hosts.create({ name: 'edge-1', kind: 'agent', tags: ['prod'] });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('create-user without --password-stdin prints a one-time password that must be changed', async () => {
    const { code, io } = await cli(['create-user', 'Alice', '--role', 'admin']);
    expect(code).toBe(EXIT_OK);
    const otp = io.out.join('').trim();
    expect(otp.length).toBeGreaterThanOrEqual(20);
    const alice = (await store.users.findByUsername('alice'))!;
    expect(alice.mustChangePassword).toBe(true);
    expect(await verifyPassword(alice.passwordHash, otp)).toBe(true);
    const grants = await store.grants.listForSubject('user', alice.id);
    expect(grants.map((g) => [g.roleName, g.scopeType, g.scopeValue])).toEqual([['admin', 'all', null]]);
    expect(await lastAudit(store)).toMatchObject({ action: 'user.create', target: 'user:alice', actor: 'cli:tester', actorType: 'system', result: 'success' });
  });

  it('create-user --password-stdin stores the piped password, prints nothing secret and does not force a change', async () => {
    const pw = 'Quartz-Meadow-Lantern-64';
    const { code, io } = await cli(['create-user', 'carol', '--role', 'operator', '--scope', 'host:edge-1', '--password-stdin'], memoryIo({ stdin: `${pw}\n` }));
    expect(code).toBe(EXIT_OK);
    expect(io.all()).not.toContain(pw);
    const carol = (await store.users.findByUsername('carol'))!;
    expect(carol.mustChangePassword).toBe(false);
    expect(await verifyPassword(carol.passwordHash, pw)).toBe(true);
    const host = (await store.hosts.findByName('edge-1'))!;
    const grants = await store.grants.listForSubject('user', carol.id);
    expect(grants.map((g) => [g.roleName, g.scopeType, g.scopeValue])).toEqual([['operator', 'host', host.id]]);
  });

  it('create-user grants a tag scope, refuses a duplicate (exit 1) and an unknown role (exit 1)', async () => {
    expect((await cli(['create-user', 'dave', '--role', 'viewer', '--scope', 'tag:prod'])).code).toBe(EXIT_OK);
    const dave = (await store.users.findByUsername('dave'))!;
    expect((await store.grants.listForSubject('user', dave.id)).map((g) => [g.scopeType, g.scopeValue])).toEqual([['tag', 'prod']]);
    const dup = await cli(['create-user', 'DAVE']);
    expect(dup.code).toBe(EXIT_FAILURE);
    expect(dup.io.err.join('')).toMatch(/already exists/);
    expect((await cli(['create-user', 'erin', '--role', 'superuser'])).code).toBe(EXIT_FAILURE);
    expect(await store.users.findByUsername('erin')).toBeUndefined();
  });

  it('create-user refuses a weak piped password naming the rule, and creates nothing', async () => {
    const { code, io } = await cli(['create-user', 'frank', '--password-stdin'], memoryIo({ stdin: 'frank-frank-frank' }));
    expect(code).toBe(EXIT_FAILURE);
    expect(io.err.join('')).toMatch(/username/);
    expect(await store.users.findByUsername('frank')).toBeUndefined();
  });

  it('list-users shows roles with scopes, lock state and flags, and never a hash', async () => {
    const lockout = new LockoutService(store);
    for (let i = 0; i < 5; i++) await lockout.recordFailure('dave', '192.0.2.1');
    const { code, io } = await cli(['list-users', '--json']);
    expect(code).toBe(EXIT_OK);
    const users = JSON.parse(io.out.join('')) as Array<Record<string, unknown>>;
    const byName = new Map(users.map((u) => [u.username, u]));
    expect(byName.get('alice')).toMatchObject({ roles: [{ role: 'admin', scope: 'all' }], mustChangePassword: true, disabled: false, locked: false });
    expect(byName.get('carol')).toMatchObject({ roles: [{ role: 'operator', scope: 'host:edge-1' }], mustChangePassword: false });
    expect(byName.get('dave')).toMatchObject({ roles: [{ role: 'viewer', scope: 'tag:prod' }], locked: true });
    for (const u of users) expect(Object.keys(u)).not.toContain('passwordHash');
    const text = await cli(['list-users']);
    expect(text.io.out.join('')).toMatch(/^dave\s+viewer@tag:prod\s+no\s+yes\s+until /m);
  });

  it('unlock clears the lockout and records it', async () => {
    const lockout = new LockoutService(store);
    expect((await lockout.check('dave', '198.51.100.7')).locked).toBe(true);
    const { code } = await cli(['unlock', 'dave']);
    expect(code).toBe(EXIT_OK);
    expect((await lockout.check('dave', '198.51.100.7')).locked).toBe(false);
    expect(await lastAudit(store)).toMatchObject({ action: 'user.unlock', target: 'user:dave', result: 'success' });
    expect((await cli(['unlock', 'nobody-here'])).code).toBe(EXIT_FAILURE);
  });

  it('users disable revokes sessions and refuses the user’s tokens; enable restores them', async () => {
    const carol = (await store.users.findByUsername('carol'))!;
    const session = await new SessionService(store).create(carol.id);
    const tokens = new TokenService(store);
    const { token } = await tokens.create(carol.id, { name: 'ci' });
    expect((await cli(['users', 'disable', 'carol'])).code).toBe(EXIT_OK);
    expect((await store.users.findById(carol.id))!.disabled).toBe(true);
    expect((await new SessionService(store).validate(session.sessionId)).ok).toBe(false);
    expect(await tokens.authenticate(token)).toMatchObject({ ok: false });
    expect(await lastAudit(store)).toMatchObject({ action: 'user.disable', result: 'success' });
    expect((await cli(['users', 'enable', 'carol'])).code).toBe(EXIT_OK);
    expect((await store.users.findById(carol.id))!.disabled).toBe(false);
    expect(await tokens.authenticate(token)).toMatchObject({ ok: true });
    expect((await cli(['users', 'disable', 'ghost'])).code).toBe(EXIT_FAILURE);
  });

  it('users reset-2fa removes the second factor and recovery codes, ends sessions, and is audited', async () => {
    const carol = (await store.users.findByUsername('carol'))!;
    expect(await store.twoFactor.activate(carol.id, { pendingEnc: 'sealed-test-secret', step: 1, codeHashes: ['h1', 'h2'] })).toBe(false);
    await store.twoFactor.setPending(carol.id, 'sealed-test-secret');
    expect(await store.twoFactor.activate(carol.id, { pendingEnc: 'sealed-test-secret', step: 1, codeHashes: ['h1', 'h2'] })).toBe(true);
    const session = await new SessionService(store).create(carol.id);
    expect((await cli(['users', 'reset-2fa', 'carol'])).code).toBe(EXIT_OK);
    expect((await store.twoFactor.getTotp(carol.id))?.enabledAt ?? null).toBeNull();
    expect(await store.twoFactor.unusedRecoveryCodes(carol.id)).toBe(0);
    expect((await new SessionService(store).validate(session.sessionId)).ok).toBe(false);
    expect(await lastAudit(store)).toMatchObject({ action: 'user.2fa.reset', target: 'user:carol', result: 'success' });
    expect((await cli(['users', 'reset-2fa', 'ghost'])).code).toBe(EXIT_FAILURE);
  });

  it('tokens list shows ids and prefixes but never the token; tokens revoke makes it fail', async () => {
    const alice = (await store.users.findByUsername('alice'))!;
    const tokens = new TokenService(store);
    const { token, info } = await tokens.create(alice.id, { name: 'deploy' });
    const list = await cli(['tokens', 'list', '--json']);
    expect(list.code).toBe(EXIT_OK);
    expect(list.io.all()).not.toContain(token);
    const rows = JSON.parse(list.io.out.join('')) as Array<Record<string, unknown>>;
    expect(rows).toContainEqual(expect.objectContaining({ id: info.id, user: 'alice', name: 'deploy', prefix: `pct_${info.prefix}…`, state: 'active' }));
    const revoke = await cli(['tokens', 'revoke', info.id]);
    expect(revoke.code).toBe(EXIT_OK);
    expect(await tokens.authenticate(token)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(await lastAudit(store)).toMatchObject({ action: 'apitoken.revoke', target: `apitoken:${info.id}`, result: 'success' });
    expect((await cli(['tokens', 'revoke', 'no-such-id'])).code).toBe(EXIT_FAILURE);
    expect((await cli(['tokens', 'list', '--user', 'nobody-here'])).code).toBe(EXIT_FAILURE);
  });

  it('audit export writes every record as JSON lines to stdout or a 0600 file, then records the export', async () => {
    const before = (await store.audit.list({ limit: 1000 })).length;
    const out = await cli(['audit', 'export']);
    expect(out.code).toBe(EXIT_OK);
    const lines = out.io.out.join('').trimEnd().split('\n').map((l) => JSON.parse(l) as { seq: number; hash: string });
    expect(lines.map((l) => l.seq)).toEqual(Array.from({ length: before }, (_, i) => i + 1));
    expect(await lastAudit(store)).toMatchObject({ action: 'audit.export', result: 'success', details: { records: before } });
    const file = join(dir, 'audit.jsonl');
    expect((await cli(['audit', 'export', '--output', file])).code).toBe(EXIT_OK);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(before + 1);
    expect((await cli(['audit', 'export', '--output', file])).code).toBe(EXIT_FAILURE);
    expect((await cli(['audit', 'export', '--output', file, '--force'])).code).toBe(EXIT_OK);
  });

  it('backup writes a 0600 single-file copy that opens and holds the users', async () => {
    const file = join(dir, 'backup.db');
    const { code, io } = await cli(['backup', '--output', file]);
    expect(code).toBe(EXIT_OK);
    expect(io.out.join('')).toMatch(/backup written/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    for (const extra of ['-wal', '-shm', '-journal']) expect(existsSync(file + extra)).toBe(false);
    const copy = await openDatabase(`sqlite:${file}`);
    try {
      const names = (await copy.users.list()).map((u) => u.username);
      expect(names).toEqual((await store.users.list()).map((u) => u.username));
      expect(names).toContain('alice');
      expect((await copy.audit.verify()).ok).toBe(true);
    } finally {
      await copy.close();
    }
    expect(await lastAudit(store)).toMatchObject({ action: 'database.backup', result: 'success' });
    expect((await cli(['backup', '--output', file])).code).toBe(EXIT_FAILURE);
    expect((await cli(['backup', '--output', file, '--force'])).code).toBe(EXIT_OK);
    expect((await cli(['backup', '--output', join(dir, 'no-such-dir', 'b.db')])).code).toBe(EXIT_FAILURE);
  });
});

describe('admin as a process', () => {
  let dir = '';
  let entry = '';
  const run = (args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((done) => {
      const child = execFile(
        join(ROOT, 'node_modules/.bin/tsx'),
        [entry, 'admin', ...args],
        { cwd: dir, env: { ...process.env, PORTCULLIS_DATA: join(dir, 'data'), PORTCULLIS_DATABASE: '' }, timeout: 60_000 },
        (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
      );
      child.stdin?.end(stdin ?? '');
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-admin-proc-'));
    entry = join(dir, 'entry.mts');
    writeFileSync(
      entry,
      [
        `import { Command } from ${JSON.stringify(join(ROOT, 'node_modules/commander/esm.mjs'))};`,
        `import { registerAdminCommand } from ${JSON.stringify(join(ROOT, 'src/cli/admin.ts'))};`,
        `const program = new Command().name('portcullis');`,
        'registerAdminCommand(program);',
        'await program.parseAsync(process.argv);',
      ].join('\n'),
    );
    mkdirSync(join(dir, 'data'), { mode: 0o700 });
    const store = await openDatabase(`sqlite:${join(dir, 'data', 'portcullis.db')}`);
    await store.migrate();
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0, 1 and 2 with the one-time password alone on stdout', async () => {
    const created = await run(['create-user', 'gina', '--password-stdin'], 'Saffron-Glacier-Tulip-93\n');
    expect(created.code).toBe(EXIT_OK);
    expect(created.stdout).toBe('');
    const reset = await run(['reset-password', 'gina']);
    expect(reset.code).toBe(EXIT_OK);
    expect(reset.stdout).toMatch(/^[A-Za-z0-9]{24}\n$/);
    expect(reset.stderr).not.toContain('$argon2');
    expect((await run(['reset-password', 'nobody'])).code).toBe(EXIT_FAILURE);
    const bad = await run(['reset-password', 'gina', '--nope']);
    expect(bad.code).toBe(EXIT_USAGE);
    expect(bad.stderr).toMatch(/unknown option/);
    expect((await run(['--help'])).code).toBe(EXIT_OK);
  });
});
