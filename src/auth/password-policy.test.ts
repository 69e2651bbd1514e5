// Tests: password policy cases and the common-password list.
import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, commonCandidates, unleet } from './password-policy.js';
import { COMMON_PASSWORDS } from './common-passwords.js';

const violations = (pw: string, user = 'alice') => {
  const r = checkPasswordPolicy(pw, user);
  return r.ok ? [] : r.violations;
};

describe('checkPasswordPolicy', () => {
  it('rejects a password shorter than 12 characters', () => {
    expect(violations('Xk9#mQ2!vL')).toContain('too_short');
  });

  it('counts characters, not UTF-16 units, so 11 emoji are still too short', () => {
    expect(violations('🐙🦊🐢🦉🐝🦋🐳🦄🐧🦀🐌')).toContain('too_short');
  });

  it('rejects a password equal to the username, whatever the case', () => {
    expect(violations('MargaretHamilton', 'margarethamilton')).toContain('username');
  });

  it('rejects a password that contains the username', () => {
    expect(violations('x-Grace.Hopper-x-91', 'grace.hopper')).toContain('username');
  });

  it('rejects a password that contains the username reversed or in leetspeak', () => {
    expect(violations('l4wr3dn3tt0r-blue-kite', 'rottenderwal')).toContain('username');
    expect(violations('orchid-B0B8Y-tangent', 'bobby')).toContain('username');
  });

  it('does not ban every password containing a two-letter username', () => {
    expect(checkPasswordPolicy('velvet alarm quarry sunlit', 'al').ok).toBe(true);
  });

  it('rejects a common password of 12+ characters', () => {
    expect(violations('iloveyouforever')).toContain('common');
    expect(violations('QWERTYUIOP123')).toContain('common');
  });

  it('rejects a common word decorated with digits and symbols', () => {
    expect(violations('Dragon2024!!!!')).toContain('common');
    expect(violations('!!Sunshine123456')).toContain('common');
  });

  it('rejects a leetspeak variant of a common password', () => {
    expect(violations('P@55w0rd12345')).toContain('common');
    expect(violations('$up3rm@n-2019')).toContain('common');
  });

  it('rejects a repeated common word', () => {
    expect(violations('monkeymonkeymonkey')).toContain('common');
  });

  it('rejects passwords made of few distinct characters or a short repeated unit', () => {
    expect(violations('aaaaaaaaaaaaaaab')).toContain('repetitive');
    expect(violations('xkqzxkqzxkqzxkqz')).toContain('repetitive');
  });

  it('rejects a password longer than the hashing limit', () => {
    expect(violations('correct staple '.repeat(100))).toContain('too_long');
  });

  it('accepts a good passphrase', () => {
    expect(checkPasswordPolicy('tangerine orbit Lantern 47 quietly', 'alice')).toEqual({ ok: true });
    expect(checkPasswordPolicy('Vx7#pL2m!Qz9rT', 'alice')).toEqual({ ok: true });
  });

  it('explains every violation in one message', () => {
    const r = checkPasswordPolicy('alice', 'alice');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.violations).toEqual(expect.arrayContaining(['too_short', 'username']));
      expect(r.message).toMatch(/at least 12 characters/);
      expect(r.message).not.toContain('alice');
    }
  });
});

describe('common password list', () => {
  it('holds at least 1,000 lower-case entries', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThanOrEqual(1000);
    for (const w of COMMON_PASSWORDS) expect(w).toBe(w.toLowerCase());
  });

  it('undoes leetspeak and strips decoration when building candidates', () => {
    expect(unleet('p@55w0rd')).toBe('password');
    expect(commonCandidates('P@ssw0rd2024!')).toContain('password');
  });
});
