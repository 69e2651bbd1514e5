import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, newRecoveryCode, newRecoveryCodes, normaliseRecoveryCode, RECOVERY_CODE_COUNT } from './recovery-codes.js';

describe('recovery codes', () => {
  it('makes ten distinct codes of 16 Crockford Base32 characters in groups of four', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  });

  it('reads a code typed in lower case, without dashes, or with O/I/L for 0/1', () => {
    const c = newRecoveryCode();
    const canon = c.replace(/-/g, '');
    expect(normaliseRecoveryCode(c.toLowerCase())).toBe(canon);
    expect(normaliseRecoveryCode(` ${canon.slice(0, 8)} ${canon.slice(8)} `)).toBe(canon);
    expect(normaliseRecoveryCode('0000-1111-0000-1111')).toBe('0000111100001111');
    expect(normaliseRecoveryCode('OOOO-IIII-oooo-llll')).toBe('0000111100001111');
    expect(normaliseRecoveryCode('UUUU-0000-0000-0000')).toBeUndefined();
    expect(normaliseRecoveryCode('0000-0000-0000')).toBeUndefined();
  });

  it('hashes per user: the same code gives another hash for another user, and never the code itself', () => {
    const c = newRecoveryCode();
    const a = hashRecoveryCode('user-a', c)!;
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode('user-a', c.toLowerCase())).toBe(a);
    expect(hashRecoveryCode('user-b', c)).not.toBe(a);
    expect(a).not.toContain(c.replace(/-/g, '').toLowerCase());
    expect(hashRecoveryCode('user-a', 'nonsense')).toBeUndefined();
  });
});
