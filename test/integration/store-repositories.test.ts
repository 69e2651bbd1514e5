// Store repositories behave the same on SQLite and PostgreSQL: users, roles, grants, sessions, tokens, hosts, counters, secrets.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreConflictError, StoreInputError, decryptSecret, encryptSecret, type Store } from '../../src/store/index.js';
import { storeFactories } from '../helpers/postgres.js';

const factories = storeFactories();
afterAll(async () => {
  await Promise.all(factories.map((f) => f.cleanup()));
});

const hash = (): string => randomBytes(32).toString('hex');
const later = (ms: number, from = Date.now()): string => new Date(from + ms).toISOString();
const policy = { windowMs: 15 * 60_000, maxFailures: 5, lockMs: 15 * 60_000 };

describe.each(factories)('store repositories on $name', (f) => {
  describe.skipIf(f.skip)(f.name, () => {
    let store: Store;
    beforeAll(async () => {
      store = await f.open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('migrates once: a second migrate applies nothing', async () => {
      expect(await store.migrate()).toEqual([]);
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('users', () => {
      it('stores usernames lower-case and finds them case-insensitively', async () => {
        const u = await store.users.create({ username: 'Alice.Admin', passwordHash: 'h1', mustChangePassword: true });
        expect(u).toMatchObject({ username: 'alice.admin', passwordHash: 'h1', mustChangePassword: true, disabled: false, totpSecretEnc: null, oidcSubject: null });
        expect(u.id).toMatch(/^[0-9a-f-]{36}$/);
        expect((await store.users.findByUsername('ALICE.admin'))?.id).toBe(u.id);
        expect(await store.users.findById(u.id)).toEqual(u);
      });

      it('refuses a username that differs only in case', async () => {
        await store.users.create({ username: 'bob', passwordHash: 'h' });
        await expect(store.users.create({ username: 'BOB', passwordHash: 'h' })).rejects.toBeInstanceOf(StoreConflictError);
      });

      it('updates fields and keeps booleans and nulls typed', async () => {
        const u = await store.users.create({ username: 'carol', passwordHash: 'h' });
        const v = await store.users.update(u.id, { disabled: true, totpSecretEnc: 'v1:a:b', totpLastStep: 58_000_000, oidcSubject: 'sub-1' });
        expect(v).toMatchObject({ disabled: true, totpSecretEnc: 'v1:a:b', totpLastStep: 58_000_000, oidcSubject: 'sub-1', mustChangePassword: false });
        const w = await store.users.update(u.id, { totpSecretEnc: null, disabled: false });
        expect(w).toMatchObject({ totpSecretEnc: null, disabled: false, totpLastStep: 58_000_000 });
        expect(await store.users.update(randomUUID(), { disabled: true })).toBeUndefined();
      });

      it('refuses renaming onto a taken username', async () => {
        const u = await store.users.create({ username: 'dave', passwordHash: 'h' });
        await expect(store.users.update(u.id, { username: 'Bob' })).rejects.toBeInstanceOf(StoreConflictError);
      });

      it('sets a password with its change time and must-change flag', async () => {
        const u = await store.users.create({ username: 'erin', passwordHash: 'old', mustChangePassword: true });
        await new Promise((r) => setTimeout(r, 5));
        expect(await store.users.setPassword(u.id, 'new')).toBe(true);
        const v = (await store.users.findById(u.id))!;
        expect(v.passwordHash).toBe('new');
        expect(v.mustChangePassword).toBe(false);
        expect(v.passwordChangedAt > u.passwordChangedAt).toBe(true);
        expect(await store.users.setPassword(u.id, 'otp', { mustChange: true })).toBe(true);
        expect((await store.users.findById(u.id))!.mustChangePassword).toBe(true);
        expect(await store.users.setPassword(randomUUID(), 'x')).toBe(false);
      });

      it('lists users ordered by username', async () => {
        const names = (await store.users.list()).map((u) => u.username);
        expect(names).toEqual([...names].sort());
        expect(names).toContain('alice.admin');
      });

      it('removes a user with its sessions, tokens and every grant held by it or its tokens', async () => {
        const u = await store.users.create({ username: 'frank', passwordHash: 'h' });
        const viewer = (await store.roles.findByName('viewer'))!;
        const s = await store.sessions.create({ idHash: hash(), userId: u.id, csrfSecret: 'c', expiresAt: later(60_000) });
        const t = await store.tokens.create({ userId: u.id, name: 'ci', tokenHash: hash(), prefix: 'abcdefgh' });
        await store.grants.add({ roleId: viewer.id, subjectType: 'user', subjectId: u.id, scopeType: 'all' });
        await store.grants.add({ roleId: viewer.id, subjectType: 'token', subjectId: t.id, scopeType: 'all' });
        expect(await store.users.remove(u.id)).toBe(true);
        expect(await store.users.findById(u.id)).toBeUndefined();
        expect(await store.sessions.findByIdHash(s.idHash)).toBeUndefined();
        expect(await store.tokens.findByHash(t.tokenHash)).toBeUndefined();
        expect(await store.grants.listForSubject('user', u.id)).toEqual([]);
        expect(await store.grants.listForSubject('token', t.id)).toEqual([]);
        expect(await store.users.remove(u.id)).toBe(false);
      });

      it('treats SQL metacharacters in lookups as plain text', async () => {
        for (const evil of ["' OR 1=1 --", '%', '_', '\\', 'alice%', "alice.admin' --"]) {
          expect(await store.users.findByUsername(evil)).toBeUndefined();
          expect(await store.users.findById(evil)).toBeUndefined();
        }
      });
    });

    describe('roles and grants', () => {
      it('seeds the built-in roles admin, operator and viewer', async () => {
        const roles = await store.roles.list();
        for (const name of ['admin', 'operator', 'viewer']) expect(roles.find((r) => r.name === name)?.builtin).toBe(true);
        const viewer = (await store.roles.findByName('viewer'))!;
        expect(viewer.permissions).toContain('container.read');
        expect(viewer.permissions).not.toContain('audit.read');
        expect((await store.roles.findByName('admin'))!.permissions).toContain('user.manage');
      });

      it('creates custom roles, refuses duplicates and built-in removal', async () => {
        const r = await store.roles.create({ name: 'deployer', permissions: ['container.create', 'image.pull'] });
        expect(r).toMatchObject({ builtin: false, permissions: ['container.create', 'image.pull'] });
        expect(await store.roles.findById(r.id)).toEqual(r);
        await expect(store.roles.create({ name: 'deployer', permissions: [] })).rejects.toBeInstanceOf(StoreConflictError);
        const admin = (await store.roles.findByName('admin'))!;
        await expect(store.roles.remove(admin.id)).rejects.toBeInstanceOf(StoreInputError);
        expect(await store.roles.findByName('admin')).toBeDefined();
        expect(await store.roles.setPermissions(r.id, ['image.read'])).toBe(true);
        expect((await store.roles.findById(r.id))!.permissions).toEqual(['image.read']);
      });

      it('lists a subject grants with their role permissions and scopes', async () => {
        const u = await store.users.create({ username: 'grace', passwordHash: 'h' });
        const op = (await store.roles.findByName('operator'))!;
        const viewer = (await store.roles.findByName('viewer'))!;
        const g1 = await store.grants.add({ roleId: op.id, subjectType: 'user', subjectId: u.id, scopeType: 'host', scopeValue: 'host-1' });
        await store.grants.add({ roleId: viewer.id, subjectType: 'user', subjectId: u.id, scopeType: 'tag', scopeValue: 'prod' });
        await store.grants.add({ roleId: viewer.id, subjectType: 'user', subjectId: u.id, scopeType: 'all' });
        const grants = await store.grants.listForSubject('user', u.id);
        expect(grants).toHaveLength(3);
        expect(grants.find((g) => g.id === g1.id)).toMatchObject({ roleName: 'operator', scopeType: 'host', scopeValue: 'host-1', permissions: op.permissions });
        expect(grants.find((g) => g.scopeType === 'all')).toMatchObject({ roleName: 'viewer', scopeValue: null });
        expect(await store.grants.remove(g1.id)).toBe(true);
        expect(await store.grants.listForSubject('user', u.id)).toHaveLength(2);
        expect(await store.grants.listForSubject('token', u.id)).toEqual([]);
      });

      it('refuses grants whose scope value does not fit the scope type, and unknown roles', async () => {
        const viewer = (await store.roles.findByName('viewer'))!;
        await expect(store.grants.add({ roleId: viewer.id, subjectType: 'user', subjectId: 'x', scopeType: 'all', scopeValue: 'h' })).rejects.toBeInstanceOf(StoreInputError);
        await expect(store.grants.add({ roleId: viewer.id, subjectType: 'user', subjectId: 'x', scopeType: 'host' })).rejects.toBeInstanceOf(StoreInputError);
        await expect(store.grants.add({ roleId: randomUUID(), subjectType: 'user', subjectId: 'x', scopeType: 'all' })).rejects.toThrow();
      });

      it('removing a custom role removes its grants', async () => {
        const r = await store.roles.create({ name: 'temp-role', permissions: ['image.read'] });
        await store.grants.add({ roleId: r.id, subjectType: 'user', subjectId: 'someone', scopeType: 'all' });
        expect(await store.roles.remove(r.id)).toBe(true);
        expect(await store.grants.listForSubject('user', 'someone')).toEqual([]);
        expect(await store.roles.remove(r.id)).toBe(false);
      });
    });

    describe('sessions', () => {
      it('creates, finds, touches and revokes a session by its id hash', async () => {
        const u = await store.users.create({ username: 'heidi', passwordHash: 'h' });
        const idHash = hash();
        const s = await store.sessions.create({ idHash, userId: u.id, csrfSecret: 'csrf', expiresAt: later(3_600_000), clientIp: '127.0.0.1', userAgent: 'ua' });
        expect(await store.sessions.findByIdHash(idHash)).toEqual(s);
        const at = later(60_000);
        expect(await store.sessions.touch(idHash, at)).toBe(true);
        expect((await store.sessions.findByIdHash(idHash))!.lastSeenAt).toBe(at);
        expect(await store.sessions.revoke(idHash)).toBe(true);
        expect((await store.sessions.findByIdHash(idHash))!.revokedAt).not.toBeNull();
        expect(await store.sessions.touch(idHash)).toBe(false);
        expect(await store.sessions.revoke(idHash)).toBe(false);
      });

      it('refuses a session for a user that does not exist (foreign keys on)', async () => {
        await expect(store.sessions.create({ idHash: hash(), userId: randomUUID(), csrfSecret: 'c', expiresAt: later(1000) })).rejects.toThrow();
      });

      it('lists live sessions only and revokes all but the current one', async () => {
        const u = await store.users.create({ username: 'ivan', passwordHash: 'h' });
        const [a, b, c] = [hash(), hash(), hash()];
        await store.sessions.create({ idHash: a, userId: u.id, csrfSecret: 'c', expiresAt: later(60_000) });
        await store.sessions.create({ idHash: b, userId: u.id, csrfSecret: 'c', expiresAt: later(60_000) });
        await store.sessions.create({ idHash: c, userId: u.id, csrfSecret: 'c', expiresAt: later(-1000) });
        expect((await store.sessions.listForUser(u.id)).map((s) => s.idHash).sort()).toEqual([a, b].sort());
        expect(await store.sessions.revokeAllForUser(u.id, { exceptIdHash: a })).toBe(2);
        expect((await store.sessions.listForUser(u.id)).map((s) => s.idHash)).toEqual([a]);
      });

      it('purges expired and revoked sessions', async () => {
        const u = await store.users.create({ username: 'judy', passwordHash: 'h' });
        const live = hash();
        await store.sessions.create({ idHash: live, userId: u.id, csrfSecret: 'c', expiresAt: later(60_000) });
        const dead = hash();
        await store.sessions.create({ idHash: dead, userId: u.id, csrfSecret: 'c', expiresAt: later(-1) });
        expect(await store.sessions.purgeExpired()).toBeGreaterThanOrEqual(1);
        expect(await store.sessions.findByIdHash(dead)).toBeUndefined();
        expect(await store.sessions.findByIdHash(live)).toBeDefined();
      });
    });

    describe('API tokens', () => {
      it('creates, finds by hash, lists, marks used and revokes', async () => {
        const u = await store.users.create({ username: 'ken', passwordHash: 'h' });
        const tokenHash = hash();
        const t = await store.tokens.create({ userId: u.id, name: 'deploy', tokenHash, prefix: 'AbCdEfGh', expiresAt: later(86_400_000) });
        expect(t).toMatchObject({ lastUsedAt: null, revokedAt: null, prefix: 'AbCdEfGh' });
        expect(await store.tokens.findByHash(tokenHash)).toEqual(t);
        expect(await store.tokens.findById(t.id)).toEqual(t);
        expect((await store.tokens.listForUser(u.id)).map((x) => x.id)).toEqual([t.id]);
        const at = later(0);
        expect(await store.tokens.markUsed(t.id, at)).toBe(true);
        expect((await store.tokens.findByHash(tokenHash))!.lastUsedAt).toBe(at);
        expect(await store.tokens.revoke(t.id)).toBe(true);
        expect(await store.tokens.revoke(t.id)).toBe(false);
        expect((await store.tokens.findByHash(tokenHash))!.revokedAt).not.toBeNull();
      });

      it('refuses a duplicate token hash', async () => {
        const u = await store.users.create({ username: 'leo', passwordHash: 'h' });
        const tokenHash = hash();
        await store.tokens.create({ userId: u.id, name: 'a', tokenHash, prefix: 'p' });
        await expect(store.tokens.create({ userId: u.id, name: 'b', tokenHash, prefix: 'p' })).rejects.toBeInstanceOf(StoreConflictError);
      });
    });

    describe('hosts', () => {
      it('creates, finds, lists, updates and removes hosts with their host-scoped grants', async () => {
        const h = await store.hosts.create({ name: 'edge-1', kind: 'agent', tags: ['prod', 'eu'], agentTokenHash: hash() });
        expect(h).toMatchObject({ tags: ['prod', 'eu'], kind: 'agent', lastSeenAt: null, revokedAt: null });
        expect(await store.hosts.findByName('edge-1')).toEqual(h);
        expect(await store.hosts.findById(h.id)).toEqual(h);
        const seen = later(0);
        const u = await store.hosts.update(h.id, { tags: ['staging'], lastSeenAt: seen, agentTokenHash: null });
        expect(u).toMatchObject({ tags: ['staging'], lastSeenAt: seen, agentTokenHash: null });
        expect(await store.hosts.update(h.id, {})).toEqual(u);
        expect((await store.hosts.list()).map((x) => x.name)).toContain('edge-1');
        const viewer = (await store.roles.findByName('viewer'))!;
        await store.grants.add({ roleId: viewer.id, subjectType: 'user', subjectId: 'hostgrant', scopeType: 'host', scopeValue: h.id });
        expect(await store.hosts.remove(h.id)).toBe(true);
        expect(await store.hosts.findById(h.id)).toBeUndefined();
        expect(await store.grants.listForSubject('user', 'hostgrant')).toEqual([]);
        expect(await store.hosts.update(h.id, { tags: [] })).toBeUndefined();
      });

      it('refuses duplicate host names and agent token hashes', async () => {
        const th = hash();
        await store.hosts.create({ name: 'local', kind: 'local', agentTokenHash: th });
        await expect(store.hosts.create({ name: 'local', kind: 'local' })).rejects.toBeInstanceOf(StoreConflictError);
        await expect(store.hosts.create({ name: 'other', kind: 'agent', agentTokenHash: th })).rejects.toBeInstanceOf(StoreConflictError);
        expect(await store.hosts.findByName('%')).toBeUndefined();
        expect(await store.hosts.findByName("' OR 1=1 --")).toBeUndefined();
      });
    });

    describe('auth failures', () => {
      it('counts failures in a window and locks at the threshold', async () => {
        const key = 'user:mallory';
        const t0 = Date.parse('2030-01-01T00:00:00.000Z');
        let last;
        for (let i = 1; i <= 5; i++) {
          last = await store.authFailures.record(key, policy, new Date(t0 + i * 1000).toISOString());
          expect(last.count).toBe(i);
          expect(last.lockedUntil === null).toBe(i < 5);
        }
        expect(last?.lockedUntil).toBe(new Date(t0 + 5000 + policy.lockMs).toISOString());
        expect(await store.authFailures.get(key)).toEqual(last);
        expect(await store.authFailures.reset(key)).toBe(true);
        expect(await store.authFailures.get(key)).toBeUndefined();
      });

      it('starts a new window after windowMs and keeps a lock that has not run out', async () => {
        const key = 'ip:203.0.113.9';
        const t0 = Date.parse('2030-02-01T00:00:00.000Z');
        const small = { windowMs: 1000, maxFailures: 2, lockMs: 60_000 };
        await store.authFailures.record(key, small, new Date(t0).toISOString());
        const locked = await store.authFailures.record(key, small, new Date(t0 + 500).toISOString());
        expect(locked.lockedUntil).not.toBeNull();
        const next = await store.authFailures.record(key, small, new Date(t0 + 5000).toISOString());
        expect(next).toMatchObject({ count: 1, windowStart: new Date(t0 + 5000).toISOString(), lockedUntil: locked.lockedUntil });
      });

      it('counts every one of 25 parallel failures', async () => {
        const key = 'user:parallel';
        await Promise.all(Array.from({ length: 25 }, () => store.authFailures.record(key, { ...policy, maxFailures: 1000 })));
        expect((await store.authFailures.get(key))!.count).toBe(25);
      });
    });

    describe('secrets', () => {
      it('stores, replaces and removes encrypted values', async () => {
        const key = randomBytes(32);
        await store.secrets.put('registry:ghcr.io', encryptSecret(key, 'pw-1', 'registry:ghcr.io'));
        const first = (await store.secrets.get('registry:ghcr.io'))!;
        expect(first.valueEnc).not.toContain('pw-1');
        expect(decryptSecret(key, first.valueEnc, 'registry:ghcr.io')).toBe('pw-1');
        await store.secrets.put('registry:ghcr.io', encryptSecret(key, 'pw-2', 'registry:ghcr.io'));
        expect(decryptSecret(key, (await store.secrets.get('registry:ghcr.io'))!.valueEnc, 'registry:ghcr.io')).toBe('pw-2');
        expect(await store.secrets.remove('registry:ghcr.io')).toBe(true);
        expect(await store.secrets.get('registry:ghcr.io')).toBeUndefined();
        expect(await store.secrets.remove('registry:ghcr.io')).toBe(false);
      });
    });
  });
});
