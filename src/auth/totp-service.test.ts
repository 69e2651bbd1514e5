import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/index.js';
import { memoryStore, manualClock } from './test-store.js';
import { MAX_CHALLENGE_ATTEMPTS, TwoFactorService } from './totp-service.js';
import { totpCode } from './totp.js';

describe('TwoFactorService', () => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  let svc: TwoFactorService;
  let user: { id: string; username: string };
  const epoch = (): number => Math.floor(clock.now() / 1000);

  beforeEach(async () => {
    store = await memoryStore();
    clock = manualClock();
    svc = new TwoFactorService(store, { key: randomBytes(32), issuer: 'Portcullis', clock: clock.now, challengeTtlMs: 60_000 });
    user = await store.users.create({ username: 'alice', passwordHash: 'x' });
  });
  afterEach(async () => store.close());

  async function enable(): Promise<{ secret: string; recoveryCodes: string[] }> {
    const e = (await svc.beginEnrolment(user))!;
    const r = await svc.confirmEnrolment(user.id, await totpCode({ secret: e.secret, epoch: epoch() }));
    if (!r.ok) throw new Error(r.reason);
    clock.advance(30_000);
    return { secret: e.secret, recoveryCodes: r.recoveryCodes };
  }

  it('keeps an enrolment pending until a code confirms it, stores the secret encrypted, and answers ten recovery codes once', async () => {
    const e = (await svc.beginEnrolment(user))!;
    expect(await svc.isEnabled(user.id)).toBe(false);
    expect((await svc.status(user.id)).enrolling).toBe(true);
    const stored = await store.twoFactor.getTotp(user.id);
    expect(stored?.pendingEnc).toMatch(/^v1:/);
    expect(stored?.pendingEnc).not.toContain(e.secret);
    expect(await svc.confirmEnrolment(user.id, '000000')).toMatchObject({ ok: false });
    const r = await svc.confirmEnrolment(user.id, await totpCode({ secret: e.secret, epoch: epoch() }));
    expect(r.ok && r.recoveryCodes.length).toBe(10);
    expect(await svc.status(user.id)).toMatchObject({ enabled: true, enrolling: false, recoveryCodesLeft: 10 });
    expect(await svc.beginEnrolment(user)).toBeUndefined();
  });

  it('refuses a TOTP code a second time in the same time step (replay), and the code that confirmed the enrolment', async () => {
    const e = (await svc.beginEnrolment(user))!;
    const confirmCode = await totpCode({ secret: e.secret, epoch: epoch() });
    expect((await svc.confirmEnrolment(user.id, confirmCode)).ok).toBe(true);
    expect(await svc.verify(user.id, { code: confirmCode })).toEqual({ ok: false, reason: 'replayed' });
    clock.advance(30_000);
    const code = await totpCode({ secret: e.secret, epoch: epoch() });
    expect(await svc.verify(user.id, { code })).toEqual({ ok: true, method: 'totp' });
    expect(await svc.verify(user.id, { code })).toEqual({ ok: false, reason: 'replayed' });
  });

  it('lets only one of two concurrent logins with the same code through', async () => {
    const { secret } = await enable();
    const code = await totpCode({ secret, epoch: epoch() });
    const results = await Promise.all([svc.verify(user.id, { code }), svc.verify(user.id, { code })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('accepts each recovery code once, in any typing, and only for its own user', async () => {
    const { recoveryCodes } = await enable();
    const bob = await store.users.create({ username: 'bob', passwordHash: 'x' });
    expect(await svc.verify(bob.id, { recoveryCode: recoveryCodes[0]! })).toEqual({ ok: false, reason: 'not_enabled' });
    expect(await svc.verify(user.id, { recoveryCode: recoveryCodes[0]!.toLowerCase().replace(/-/g, ' ') })).toEqual({ ok: true, method: 'recovery' });
    expect(await svc.verify(user.id, { recoveryCode: recoveryCodes[0]! })).toEqual({ ok: false, reason: 'recovery_unknown' });
    expect((await svc.status(user.id)).recoveryCodesLeft).toBe(9);
    const fresh = (await svc.regenerateRecoveryCodes(user.id))!;
    expect(await svc.verify(user.id, { recoveryCode: recoveryCodes[1]! })).toEqual({ ok: false, reason: 'recovery_unknown' });
    expect(await svc.verify(user.id, { recoveryCode: fresh[1]! })).toEqual({ ok: true, method: 'recovery' });
  });

  it('fails closed when the stored secret was encrypted with another key', async () => {
    const { secret } = await enable();
    const other = new TwoFactorService(store, { key: randomBytes(32), issuer: 'Portcullis', clock: clock.now });
    expect(await other.verify(user.id, { code: await totpCode({ secret, epoch: epoch() }) })).toEqual({ ok: false, reason: 'wrong' });
  });

  it('ends a challenge after its lifetime or after the maximum of wrong attempts', async () => {
    const a = await svc.createChallenge(user.id, 'verify');
    const c = (await svc.findChallenge(a.challenge))!;
    expect(c.userId).toBe(user.id);
    for (let i = 0; i < MAX_CHALLENGE_ATTEMPTS; i++) await svc.failChallenge(c);
    expect(await svc.findChallenge(a.challenge)).toBeUndefined();
    const b = await svc.createChallenge(user.id, 'enrol');
    clock.advance(60_001);
    expect(await svc.findChallenge(b.challenge)).toBeUndefined();
    expect(await svc.findChallenge('not-a-challenge')).toBeUndefined();
  });

  it('requires 2FA exactly for holders of a flagged role, and disable removes secret and codes', async () => {
    const operator = (await store.roles.findByName('operator'))!;
    await store.grants.add({ roleId: operator.id, subjectType: 'user', subjectId: user.id, scopeType: 'tag', scopeValue: 'prod' });
    expect(await svc.isRequired(user.id)).toBe(false);
    expect(await svc.setRequiredRoles(['operator', 'nope'])).toEqual({ unknown: ['nope'] });
    expect(await svc.requiredRoles()).toEqual([]);
    await svc.setRequiredRoles(['operator']);
    expect(await svc.requiredRoles()).toEqual(['operator']);
    expect(await svc.isRequired(user.id)).toBe(true);
    await svc.setRequiredRoles(['admin']);
    expect(await svc.isRequired(user.id)).toBe(false);
    await enable();
    expect(await svc.disable(user.id)).toBe(true);
    expect(await svc.status(user.id)).toMatchObject({ enabled: false, enrolling: false, recoveryCodesLeft: 0 });
    expect(await store.twoFactor.unusedRecoveryCodes(user.id)).toBe(0);
  });
});
