// Tests: actors built from stored grants feed authorize() correctly.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/index.js';
import { loadActor } from './actors.js';
import { authorize } from './authorize.js';
import { memoryStore } from './test-store.js';

let store: Store;
beforeEach(async () => {
  store = await memoryStore();
});
afterEach(async () => {
  await store.close();
});

describe('loadActor', () => {
  it('builds a user actor from its stored grants', async () => {
    const viewer = (await store.roles.findByName('viewer'))!;
    const user = await store.users.create({ username: 'vera', passwordHash: 'x' });
    await store.grants.add({ roleId: viewer.id, subjectType: 'user', subjectId: user.id, scopeType: 'tag', scopeValue: 'prod' });
    const actor = await loadActor(store, { type: 'user', user });
    expect(actor).toEqual({ type: 'user', id: user.id, active: true, grants: [{ permissions: viewer.permissions, scopeType: 'tag', scopeValue: 'prod' }] });
  });

  it('builds a token actor that carries its owner, so the owner caps the token', async () => {
    const admin = (await store.roles.findByName('admin'))!;
    const viewer = (await store.roles.findByName('viewer'))!;
    const user = await store.users.create({ username: 'tom', passwordHash: 'x' });
    await store.grants.add({ roleId: viewer.id, subjectType: 'user', subjectId: user.id, scopeType: 'all' });
    await store.grants.add({ roleId: admin.id, subjectType: 'token', subjectId: 'tok-1', scopeType: 'all' });
    const actor = await loadActor(store, { type: 'token', tokenId: 'tok-1', user });
    expect(actor.owner?.id).toBe(user.id);
    const host = { id: 'h', name: 'h', tags: [] };
    expect(authorize(actor, 'container.read', host).allow).toBe(true);
    expect(authorize(actor, 'container.operate', host).allow).toBe(false);
  });

  it('marks the actor of a disabled user inactive', async () => {
    const user = await store.users.create({ username: 'dora', passwordHash: 'x', disabled: true });
    expect((await loadActor(store, { type: 'user', user })).active).toBe(false);
  });
});
