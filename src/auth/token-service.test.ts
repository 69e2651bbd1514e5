// Tests: API tokens — shown once, hashed at rest, expiry, revocation, last use.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/index.js';
import { TokenService } from './token-service.js';
import { memoryStore, manualClock } from './test-store.js';
import { hashToken } from './tokens.js';

const MIN = 60_000;
let store: Store;
let clock: ReturnType<typeof manualClock>;
let svc: TokenService;
let userId: string;

beforeEach(async () => {
  store = await memoryStore();
  clock = manualClock();
  svc = new TokenService(store, { clock: clock.now });
  userId = (await store.users.create({ username: 'alice', passwordHash: 'x' })).id;
});
afterEach(async () => {
  await store.close();
});

describe('TokenService', () => {
  it('returns the token once and stores only its sha256 hash and display prefix', async () => {
    const { token, info } = await svc.create(userId, { name: 'ci' });
    expect(token).toMatch(/^pct_[A-Za-z0-9_-]{43}$/);
    expect(info).not.toHaveProperty('tokenHash');
    expect(info.prefix).toBe(token.slice(4, 12));
    const stored = await store.tokens.findById(info.id);
    expect(stored?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token.slice(4));
    expect(await store.tokens.findByHash(token)).toBeUndefined();
  });

  it('authenticates a valid token and reports its owner', async () => {
    const { token } = await svc.create(userId, { name: 'ci' });
    const r = await svc.authenticate(token);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.user.id).toBe(userId);
      expect(r.user).not.toHaveProperty('passwordHash');
    }
  });

  it('denies a revoked token', async () => {
    const { token, info } = await svc.create(userId, { name: 'ci' });
    expect(await svc.revoke(info.id, userId)).toBe(true);
    expect(await svc.authenticate(token)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('denies a token past its expiry', async () => {
    const { token } = await svc.create(userId, { name: 'ci', expiresAt: new Date(clock.now() + 10 * MIN) });
    clock.advance(10 * MIN - 1);
    expect((await svc.authenticate(token)).ok).toBe(true);
    clock.advance(1);
    expect(await svc.authenticate(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses an expiry in the past and a blank or control-character name', async () => {
    await expect(svc.create(userId, { name: 'ci', expiresAt: new Date(clock.now() - 1) })).rejects.toThrow(/future/);
    await expect(svc.create(userId, { name: '   ' })).rejects.toThrow(/token name/);
    await expect(svc.create(userId, { name: 'a\nb' })).rejects.toThrow(/token name/);
  });

  it('denies the token of a disabled user', async () => {
    const { token } = await svc.create(userId, { name: 'ci' });
    await store.users.update(userId, { disabled: true });
    expect(await svc.authenticate(token)).toEqual({ ok: false, reason: 'user_disabled' });
  });

  it('denies malformed and unknown tokens', async () => {
    expect(await svc.authenticate(undefined)).toEqual({ ok: false, reason: 'malformed' });
    expect(await svc.authenticate('Bearer pct_x')).toEqual({ ok: false, reason: 'malformed' });
    expect(await svc.authenticate(`pct_${'A'.repeat(43)}`)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('records last use at most once a minute', async () => {
    const { token, info } = await svc.create(userId, { name: 'ci' });
    await svc.authenticate(token);
    const first = (await store.tokens.findById(info.id))?.lastUsedAt;
    expect(first).toBe(new Date(clock.now()).toISOString());
    clock.advance(30_000);
    await svc.authenticate(token);
    expect((await store.tokens.findById(info.id))?.lastUsedAt).toBe(first);
    clock.advance(30_000);
    await svc.authenticate(token);
    expect((await store.tokens.findById(info.id))?.lastUsedAt).toBe(new Date(clock.now()).toISOString());
  });

  it("does not let a user revoke another user's token, but lets an admin", async () => {
    const bobId = (await store.users.create({ username: 'bob', passwordHash: 'x' })).id;
    const { token, info } = await svc.create(bobId, { name: 'bob-ci' });
    expect(await svc.revoke(info.id, userId)).toBe(false);
    expect((await svc.authenticate(token)).ok).toBe(true);
    expect(await svc.revoke(info.id, undefined)).toBe(true);
    expect((await svc.list(bobId))[0]?.revokedAt).not.toBeNull();
  });
});
