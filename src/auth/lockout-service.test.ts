// Tests: account and client-IP lockout over a real (in-memory SQLite) store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/index.js';
import { LockoutService } from './lockout-service.js';
import { memoryStore, manualClock } from './test-store.js';

const MIN = 60_000;
let store: Store;
let clock: ReturnType<typeof manualClock>;
let svc: LockoutService;

beforeEach(async () => {
  store = await memoryStore();
  clock = manualClock();
  svc = new LockoutService(store, { clock: clock.now });
});
afterEach(async () => {
  await store.close();
});

async function fail(n: number, user: string, ip: string, stepMs = MIN) {
  let last;
  for (let i = 0; i < n; i++) {
    last = await svc.recordFailure(user, ip);
    clock.advance(stepMs);
  }
  return last;
}

describe('LockoutService', () => {
  it('locks an account after 5 failures within 15 minutes', async () => {
    await fail(4, 'alice', '10.0.0.1');
    expect((await svc.check('alice', '10.0.0.1')).locked).toBe(false);
    const fifth = await svc.recordFailure('Alice', '10.0.0.2');
    expect(fifth.lockedNow).toEqual(['user']);
    const s = await svc.check('ALICE', '10.0.0.3');
    expect(s).toEqual({ locked: true, retryAfterMs: 15 * MIN, by: ['user'] });
  });

  it('does not lock when the 5 failures spread over more than 15 minutes', async () => {
    await fail(5, 'alice', '10.0.0.1', 4 * MIN);
    expect((await svc.check('alice', '10.0.0.1')).locked).toBe(false);
  });

  it('unlocks by itself after 15 minutes', async () => {
    await fail(5, 'alice', '10.0.0.1', 0);
    clock.advance(15 * MIN - 1);
    expect(await svc.check('alice', '10.0.0.1')).toEqual({ locked: true, retryAfterMs: 1, by: ['user'] });
    clock.advance(1);
    expect((await svc.check('alice', '10.0.0.1')).locked).toBe(false);
  });

  it('does not extend a lock with failures made while locked', async () => {
    await fail(5, 'alice', '10.0.0.1', 0);
    clock.advance(10 * MIN);
    await fail(10, 'alice', '10.0.0.1', 0);
    expect((await svc.check('alice', '10.0.0.1')).retryAfterMs).toBe(5 * MIN);
  });

  it('counts from 1 again after a lock ends', async () => {
    await fail(5, 'alice', '10.0.0.1', 0);
    clock.advance(16 * MIN);
    const r = await svc.recordFailure('alice', '10.0.0.1');
    expect(r.userFailures).toBe(1);
    expect((await svc.check('alice', '10.0.0.1')).locked).toBe(false);
  });

  it('lets an admin unlock an account at once', async () => {
    await fail(5, 'alice', '10.0.0.1', 0);
    expect(await svc.unlock('alice')).toBe(true);
    expect((await svc.check('alice', '10.0.0.1')).locked).toBe(false);
  });

  it('locks a name that does not exist exactly like one that does (no existence oracle)', async () => {
    await store.users.create({ username: 'alice', passwordHash: 'x' });
    await fail(5, 'alice', '10.0.0.1', 0);
    await fail(5, 'nobody-here', '10.0.0.9', 0);
    const [a, b] = [await svc.check('alice', '10.0.0.5'), await svc.check('nobody-here', '10.0.0.5')];
    expect(a).toEqual(b);
  });

  it('keeps the per-IP counter independent of the account counter', async () => {
    // One address trying many accounts (password spraying): no account locks, the address does.
    for (let i = 0; i < 19; i++) await svc.recordFailure(`user${i}`, '203.0.113.7');
    expect((await svc.check('someone', '203.0.113.7')).locked).toBe(false);
    const r = await svc.recordFailure('user19', '203.0.113.7');
    expect(r.lockedNow).toEqual(['ip']);
    expect(await svc.check('someone', '203.0.113.7')).toMatchObject({ locked: true, by: ['ip'] });
    expect((await svc.check('someone', '203.0.113.8')).locked).toBe(false);
    expect((await svc.check('user1', '198.51.100.1')).locked).toBe(false);
    // A locked account does not lock its address for other accounts.
    await fail(5, 'carol', '198.51.100.2', 0);
    expect((await svc.check('dave', '198.51.100.2')).locked).toBe(false);
    expect(await svc.unlockIp('203.0.113.7')).toBe(true);
    expect((await svc.check('someone', '203.0.113.7')).locked).toBe(false);
  });

  it('clears the account counter on success but keeps the address counter', async () => {
    await fail(4, 'alice', '10.0.0.1', 0);
    await svc.reset('alice');
    const r = await svc.recordFailure('alice', '10.0.0.1');
    expect(r).toEqual({ lockedNow: [], userFailures: 1, ipFailures: 5 });
  });

  it('refuses a policy that cannot work', () => {
    expect(() => new LockoutService(store, { user: { windowMs: 0, maxFailures: 5, lockMs: MIN } })).toThrow(/account lockout: windowMs/);
  });
});
