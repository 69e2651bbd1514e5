// Tests: password login hides user existence, locks out, pads timing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import type { Store } from '../store/index.js';
import { LockoutService } from './lockout-service.js';
import { PasswordLogin } from './password-login.js';
import { hashPassword } from './passwords.js';
import { memoryStore } from './test-store.js';

const MIN_MS = 300;
let store: Store;
let login: PasswordLogin;

beforeAll(async () => {
  store = await memoryStore();
  login = new PasswordLogin(store, new LockoutService(store), { minMs: MIN_MS });
  await store.users.create({ username: 'alice', passwordHash: await hashPassword('tangerine orbit lantern'), mustChangePassword: true });
  await store.users.create({ username: 'mallory', passwordHash: await hashPassword('quartz meadow violin'), disabled: true });
});
afterAll(async () => {
  await store.close();
});

async function timed<T>(p: () => Promise<T>): Promise<{ ms: number; r: T }> {
  const t = performance.now();
  const r = await p();
  return { ms: performance.now() - t, r };
}

describe('PasswordLogin', () => {
  it('logs in with the right password and reports must-change and rehash needs', async () => {
    const r = await login.attempt('Alice', 'tangerine orbit lantern', '10.0.0.1');
    expect(r).toMatchObject({ ok: true, mustChangePassword: true, needsRehash: false });
    expect(r.ok && r.user).not.toHaveProperty('passwordHash');
  });

  it('answers an unknown user and a wrong password the same way, both after at least minMs', async () => {
    const unknown = await timed(() => login.attempt('nobody', 'tangerine orbit lantern', '10.0.0.2'));
    const wrong = await timed(() => login.attempt('alice', 'wrong password here', '10.0.0.3'));
    expect(unknown.r).toEqual(wrong.r);
    expect(unknown.r).toEqual({ ok: false, reason: 'invalid', retryAfterMs: 0, lockedNow: [] });
    expect(unknown.ms).toBeGreaterThanOrEqual(MIN_MS);
    expect(wrong.ms).toBeGreaterThanOrEqual(MIN_MS);
  });

  it('locks after 5 failures, refuses even the right password while locked, and pads that answer too', async () => {
    const lockout = new LockoutService(store);
    const l = new PasswordLogin(store, lockout, { minMs: MIN_MS });
    await lockout.unlock('alice'); // earlier tests in this file left failures on the counter
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await l.attempt('alice', `wrong guess ${i}`, `10.1.0.${i}`));
    expect(results[4]).toMatchObject({ ok: false, reason: 'invalid', lockedNow: ['user'] });
    const locked = await timed(() => l.attempt('alice', 'tangerine orbit lantern', '10.1.0.9'));
    expect(locked.r).toMatchObject({ ok: false, reason: 'locked' });
    expect(!locked.r.ok && locked.r.retryAfterMs).toBeGreaterThan(14 * 60_000);
    expect(locked.ms).toBeGreaterThanOrEqual(MIN_MS);
    await lockout.unlock('alice');
    expect((await l.attempt('alice', 'tangerine orbit lantern', '10.1.0.9')).ok).toBe(true);
  });

  it('says disabled only to someone who knows the password', async () => {
    expect(await login.attempt('mallory', 'quartz meadow violin', '10.0.0.4')).toMatchObject({ ok: false, reason: 'disabled' });
    expect(await login.attempt('mallory', 'not the password', '10.0.0.4')).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('does not look up absurdly long usernames but still counts and pads the attempt', async () => {
    const r = await timed(() => login.attempt('x'.repeat(5000), 'whatever', '10.0.0.5'));
    expect(r.r).toMatchObject({ ok: false, reason: 'invalid' });
    expect(r.ms).toBeGreaterThanOrEqual(MIN_MS);
  });
});
