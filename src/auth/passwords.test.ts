// Tests: argon2id parameters, verification and rehash detection.
import { describe, expect, it } from 'vitest';
import { hash } from '@node-rs/argon2';
import { ARGON2_PARAMS, hashPassword, needsRehash, verifyDummyPassword, verifyPassword } from './passwords.js';

function phcParams(phc: string): Record<string, string> {
  // $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>
  const parts = phc.split('$');
  const params = Object.fromEntries((parts[3] ?? '').split(',').map((kv) => kv.split('=') as [string, string]));
  return { alg: parts[1] ?? '', version: parts[2] ?? '', ...params, salt: parts[4] ?? '', hash: parts[5] ?? '' };
}

describe('password hashing', () => {
  it('hashes with argon2id v=19, m=65536, t=3, p=4 and a 16-byte salt', async () => {
    const p = phcParams(await hashPassword('tangerine orbit lantern'));
    expect(p.alg).toBe('argon2id');
    expect(p.version).toBe('v=19');
    expect([p.m, p.t, p.p]).toEqual(['65536', '3', '4']);
    expect(Buffer.from(p.salt ?? '', 'base64').length).toBe(16);
    expect(Buffer.from(p.hash ?? '', 'base64').length).toBe(ARGON2_PARAMS.outputLen);
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const h = await hashPassword('tangerine orbit lantern');
    expect(await verifyPassword(h, 'tangerine orbit lantern')).toBe(true);
    expect(await verifyPassword(h, 'tangerine orbit lanterN')).toBe(false);
  });

  it('accepts the same password typed in composed or decomposed Unicode form', async () => {
    const composed = 'caf\u00e9 orbit lantern';
    const decomposed = 'cafe\u0301 orbit lantern';
    expect(composed).not.toBe(decomposed);
    expect(await verifyPassword(await hashPassword(composed), decomposed)).toBe(true);
  });

  it('salts every hash, so one password gives two different hashes', async () => {
    const [a, b] = await Promise.all([hashPassword('same password here'), hashPassword('same password here')]);
    expect(a).not.toBe(b);
  });

  it('answers false, not an exception, for a malformed stored hash or an over-long password', async () => {
    expect(await verifyPassword('not-a-phc-string', 'whatever')).toBe(false);
    const h = await hashPassword('tangerine orbit lantern');
    expect(await verifyPassword(h, 'x'.repeat(2000))).toBe(false);
    await expect(hashPassword('x'.repeat(2000))).rejects.toThrow(/longer than 1024 bytes/);
  });

  it('flags hashes made with weaker parameters for rehash, and not its own', async () => {
    expect(needsRehash(await hashPassword('tangerine orbit lantern'))).toBe(false);
    const weak = await hash('tangerine orbit lantern', { memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash('$2b$10$abcdefghijklmnopqrstuu')).toBe(true);
  });

  it('spends a verification on an unknown user and still answers false', async () => {
    expect(await verifyDummyPassword('tangerine orbit lantern')).toBe(false);
  });
});
