// Tests: sessions — rotation, idle and absolute timeouts, CSRF, revocation (manual clock).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/index.js';
import { SessionService } from './session-service.js';
import { memoryStore, manualClock } from './test-store.js';
import { hashToken } from './tokens.js';

const MIN = 60_000;
let store: Store;
let clock: ReturnType<typeof manualClock>;
let svc: SessionService;
let userId: string;

beforeEach(async () => {
  store = await memoryStore();
  clock = manualClock();
  svc = new SessionService(store, { clock: clock.now });
  userId = (await store.users.create({ username: 'alice', passwordHash: 'x' })).id;
});
afterEach(async () => {
  await store.close();
});

describe('SessionService', () => {
  it('creates a session whose id is never stored, only its sha256', async () => {
    const { sessionId, session } = await svc.create(userId, { clientIp: '127.0.0.1', userAgent: 'vitest' });
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.idHash).toBe(hashToken(sessionId));
    expect(await store.sessions.findByIdHash(sessionId)).toBeUndefined();
    expect(JSON.stringify(await store.sessions.findByIdHash(session.idHash))).not.toContain(sessionId);
  });

  it('validates a fresh session and returns its CSRF token', async () => {
    const { sessionId, csrfToken } = await svc.create(userId);
    const check = await svc.validate(sessionId);
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.user.username).toBe('alice');
      expect(check.user).not.toHaveProperty('passwordHash');
      expect(check.csrfToken).toBe(csrfToken);
      expect(svc.checkCsrf(check, csrfToken)).toBe(true);
      expect(svc.checkCsrf(check, undefined)).toBe(false);
    }
  });

  it("rejects another session's CSRF token", async () => {
    const a = await svc.create(userId);
    const b = await svc.create(userId);
    const check = await svc.validate(a.sessionId);
    expect(check.ok && svc.checkCsrf(check, b.csrfToken)).toBe(false);
  });

  it('rotates at login: a new id every time, and the id held before login is revoked (no fixation)', async () => {
    const planted = await svc.create(userId);
    const fresh = await svc.create(userId, { previousSessionId: planted.sessionId });
    expect(fresh.sessionId).not.toBe(planted.sessionId);
    expect(await svc.validate(planted.sessionId)).toEqual({ ok: false, reason: 'revoked' });
    expect((await svc.validate(fresh.sessionId)).ok).toBe(true);
  });

  it('ends a session idle for 30 minutes', async () => {
    const { sessionId } = await svc.create(userId);
    clock.advance(29 * MIN);
    expect((await svc.validate(sessionId)).ok).toBe(true);
    clock.advance(29 * MIN);
    expect((await svc.validate(sessionId)).ok).toBe(true);
    clock.advance(30 * MIN);
    expect(await svc.validate(sessionId)).toEqual({ ok: false, reason: 'idle' });
    expect(await svc.validate(sessionId)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('ends a session 12 hours after login however active it is', async () => {
    const { sessionId } = await svc.create(userId);
    for (let t = 0; t < 12 * 60 - 20; t += 20) {
      clock.advance(20 * MIN);
      expect((await svc.validate(sessionId)).ok).toBe(true);
    }
    clock.advance(20 * MIN);
    expect(await svc.validate(sessionId)).toEqual({ ok: false, reason: 'expired' });
  });

  it('honours configured timeouts', async () => {
    const short = new SessionService(store, { clock: clock.now, idleMs: 5 * MIN, absoluteMs: 60 * MIN });
    const { sessionId } = await short.create(userId);
    clock.advance(5 * MIN);
    expect(await short.validate(sessionId)).toEqual({ ok: false, reason: 'idle' });
  });

  it('keeps a busy session alive when the idle timeout is shorter than the touch interval', async () => {
    const brisk = new SessionService(store, { clock: clock.now, idleMs: 60_000 });
    const { sessionId } = await brisk.create(userId);
    for (let i = 0; i < 5; i++) {
      clock.advance(40_000);
      expect((await brisk.validate(sessionId)).ok).toBe(true);
    }
  });

  it('writes last_seen_at at most once a minute', async () => {
    const { sessionId, session } = await svc.create(userId);
    clock.advance(30_000);
    await svc.validate(sessionId);
    expect((await store.sessions.findByIdHash(session.idHash))?.lastSeenAt).toBe(session.lastSeenAt);
    clock.advance(31_000);
    const check = await svc.validate(sessionId);
    const stored = await store.sessions.findByIdHash(session.idHash);
    expect(stored?.lastSeenAt).toBe(new Date(clock.now()).toISOString());
    expect(check.ok && check.session.lastSeenAt).toBe(stored?.lastSeenAt);
  });

  it('ends the sessions of a disabled user', async () => {
    const { sessionId } = await svc.create(userId);
    await store.users.update(userId, { disabled: true });
    expect(await svc.validate(sessionId)).toEqual({ ok: false, reason: 'user_disabled' });
  });

  it('ends sessions that began before a password change', async () => {
    // Real clock here: the store stamps password_changed_at with the real time.
    const real = new SessionService(store);
    const before = await real.create(userId);
    await new Promise((r) => setTimeout(r, 5));
    await store.users.setPassword(userId, 'new-hash');
    await new Promise((r) => setTimeout(r, 5));
    const after = await real.create(userId);
    expect(await real.validate(before.sessionId)).toEqual({ ok: false, reason: 'password_changed' });
    expect((await real.validate(after.sessionId)).ok).toBe(true);
  });

  it('refuses malformed and unknown ids without touching the store', async () => {
    expect(await svc.validate(undefined)).toEqual({ ok: false, reason: 'malformed' });
    expect(await svc.validate("' OR 1=1 --")).toEqual({ ok: false, reason: 'malformed' });
    expect(await svc.validate('A'.repeat(43))).toEqual({ ok: false, reason: 'unknown' });
  });

  it('logs out, and lets a user revoke only their own sessions by handle', async () => {
    const mine = await svc.create(userId);
    const bobId = (await store.users.create({ username: 'bob', passwordHash: 'x' })).id;
    const bobs = await svc.create(bobId);
    expect(await svc.revokeByHandle(bobs.session.idHash, userId)).toBe(false);
    expect((await svc.validate(bobs.sessionId)).ok).toBe(true);
    expect(await svc.revokeByHandle(bobs.session.idHash, undefined)).toBe(true);
    expect(await svc.revoke(mine.sessionId)).toBe(true);
    expect(await svc.validate(mine.sessionId)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('lists live sessions without ids or CSRF secrets and revokes all but the current one', async () => {
    const a = await svc.create(userId);
    clock.advance(1000);
    const b = await svc.create(userId);
    const c = await svc.create(userId);
    await svc.revoke(c.sessionId);
    const listed = await svc.list(userId);
    expect(listed.map((s) => s.idHash)).toEqual(expect.arrayContaining([a.session.idHash, b.session.idHash]));
    expect(listed).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toMatch(/csrf/i);
    expect(await svc.revokeAllForUser(userId, b.sessionId)).toBe(1);
    expect((await svc.validate(a.sessionId)).ok).toBe(false);
    expect((await svc.validate(b.sessionId)).ok).toBe(true);
  });

  it('purges revoked and expired sessions', async () => {
    const a = await svc.create(userId);
    await svc.create(userId);
    await svc.revoke(a.sessionId);
    expect(await svc.purge()).toBe(1);
    clock.advance(13 * 60 * MIN);
    expect(await svc.purge()).toBe(1);
    expect(await store.sessions.findByIdHash(a.session.idHash)).toBeUndefined();
  });

  it('refuses timeouts that are not positive', () => {
    expect(() => new SessionService(store, { idleMs: 0 })).toThrow(/positive/);
  });
});
