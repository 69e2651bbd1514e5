// Auth services on the real store, SQLite and PostgreSQL: sessions survive a restart, tokens are stored only as
// hashes, lockout counts parallel failures, and authorize() decides from grants loaded out of the database.
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUILTIN_ROLES, LockoutService, SessionService, TokenService, authorize, loadActor, type HostRef,
} from '../../src/auth/index.js';
import { openDatabase, type Store } from '../../src/store/index.js';
import { storeFactories } from '../helpers/postgres.js';

const factories = storeFactories();
afterAll(async () => {
  await Promise.all(factories.map((f) => f.cleanup()));
});

async function withStore<T>(url: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await openDatabase(url);
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe.each(factories)('auth services on $name', (f) => {
  describe.skipIf(f.skip)(f.name, () => {
    it('keeps a session valid across a server restart (sessions live in the database)', async () => {
      const url = await f.newUrl();
      const { sessionId, userId } = await withStore(url, async (store) => {
        const user = await store.users.create({ username: 'alice', passwordHash: 'x' });
        const created = await new SessionService(store).create(user.id, { clientIp: '127.0.0.1' });
        return { sessionId: created.sessionId, userId: user.id };
      });
      await withStore(url, async (store) => {
        const check = await new SessionService(store).validate(sessionId);
        expect(check.ok && check.user.id).toBe(userId);
      });
    });

    it('stores API tokens and session ids only as hashes', async () => {
      const url = await f.newUrl();
      const { token, sessionId } = await withStore(url, async (store) => {
        const user = await store.users.create({ username: 'alice', passwordHash: 'x' });
        const t = await new TokenService(store).create(user.id, { name: 'ci' });
        const s = await new SessionService(store).create(user.id);
        expect((await new TokenService(store).authenticate(t.token)).ok).toBe(true);
        return { token: t.token, sessionId: s.sessionId };
      });
      if (f.name === 'sqlite') {
        // Every byte SQLite wrote (database, WAL, shared memory) is free of both secrets.
        const file = url.slice('sqlite:'.length);
        const names = (await readdir(dirname(file))).filter((n) => n.startsWith(file.split('/').pop() ?? ''));
        expect(names.length).toBeGreaterThan(0);
        for (const n of names) {
          const bytes = await readFile(join(dirname(file), n));
          expect(bytes.includes(token.slice(4))).toBe(false);
          expect(bytes.includes(sessionId)).toBe(false);
        }
      } else {
        await withStore(url, async (store) => {
          const user = await store.users.findByUsername('alice');
          const rows = JSON.stringify([await store.tokens.listForUser(user!.id), await store.sessions.listForUser(user!.id)]);
          expect(rows).not.toContain(token.slice(4));
          expect(rows).not.toContain(sessionId);
        });
      }
    });

    it('counts parallel failed logins exactly and locks the account', async () => {
      await withStore(await f.newUrl(), async (store) => {
        const lockout = new LockoutService(store);
        const outcomes = await Promise.all(Array.from({ length: 5 }, (_, i) => lockout.recordFailure('alice', `192.0.2.${i}`)));
        expect(outcomes.map((o) => o.userFailures).sort()).toEqual([1, 2, 3, 4, 5]);
        expect(outcomes.filter((o) => o.lockedNow.includes('user'))).toHaveLength(1);
        expect((await lockout.check('alice', '198.51.100.1')).locked).toBe(true);
        expect(await lockout.unlock('alice')).toBe(true);
        expect((await lockout.check('alice', '198.51.100.1')).locked).toBe(false);
      });
    });

    it('seeds built-in roles with exactly the permissions src/auth defines', async () => {
      await withStore(await f.newUrl(), async (store) => {
        for (const name of ['viewer', 'operator', 'admin'] as const) {
          const role = await store.roles.findByName(name);
          expect([...(role?.permissions ?? [])].sort()).toEqual([...BUILTIN_ROLES[name]].sort());
        }
      });
    });

    it('authorizes from grants in the database: operator on tag prod, viewer on one host, token capped by its owner', async () => {
      await withStore(await f.newUrl(), async (store) => {
        const operator = (await store.roles.findByName('operator'))!;
        const viewer = (await store.roles.findByName('viewer'))!;
        const admin = (await store.roles.findByName('admin'))!;
        const prod = await store.hosts.create({ name: 'prod-1', kind: 'agent', tags: ['prod'] });
        const dev = await store.hosts.create({ name: 'dev-1', kind: 'agent', tags: ['dev'] });
        const ref = (h: typeof prod): HostRef => ({ id: h.id, name: h.name, tags: h.tags });
        const user = await store.users.create({ username: 'olga', passwordHash: 'x' });
        await store.grants.add({ roleId: operator.id, subjectType: 'user', subjectId: user.id, scopeType: 'tag', scopeValue: 'prod' });
        await store.grants.add({ roleId: viewer.id, subjectType: 'user', subjectId: user.id, scopeType: 'host', scopeValue: dev.id });

        const actor = await loadActor(store, { type: 'user', user });
        expect(authorize(actor, 'container.operate', ref(prod)).allow).toBe(true);
        expect(authorize(actor, 'container.operate', ref(dev)).allow).toBe(false);
        expect(authorize(actor, 'container.read', ref(dev)).allow).toBe(true);
        expect(authorize(actor, 'user.manage').allow).toBe(false);

        const tokens = new TokenService(store);
        const { token } = await tokens.create(user.id, { name: 'deploy' });
        const checked = await tokens.authenticate(token);
        expect(checked.ok).toBe(true);
        if (!checked.ok) return;
        await store.grants.add({ roleId: admin.id, subjectType: 'token', subjectId: checked.token.id, scopeType: 'all' });
        const tokenActor = await loadActor(store, { type: 'token', tokenId: checked.token.id, user: checked.user });
        expect(authorize(tokenActor, 'container.operate', ref(prod)).allow).toBe(true);
        expect(authorize(tokenActor, 'container.exec', ref(prod)).allow).toBe(false);

        await store.users.update(user.id, { disabled: true });
        const disabled = await loadActor(store, { type: 'user', user: (await store.users.findById(user.id))! });
        expect(authorize(disabled, 'container.read', ref(prod))).toEqual({ allow: false, reason: 'user is disabled' });
      });
    });

    it('denies a permission that a custom role stores but src/auth does not know', async () => {
      await withStore(await f.newUrl(), async (store) => {
        const role = await store.roles.create({ name: 'odd', permissions: ['container.read', 'docker.root'] });
        const user = await store.users.create({ username: 'odd', passwordHash: 'x' });
        await store.grants.add({ roleId: role.id, subjectType: 'user', subjectId: user.id, scopeType: 'all' });
        const actor = await loadActor(store, { type: 'user', user });
        expect(authorize(actor, 'docker.root').allow).toBe(false);
        expect(authorize(actor, 'container.read').allow).toBe(true);
      });
    });
  });
});
