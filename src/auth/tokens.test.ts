// Tests: token and session id formats, hashing, constant-time comparison, CSRF tokens.
import { describe, expect, it } from 'vitest';
import {
  constantTimeEqual, generateSessionId, generateToken, hashToken, isSessionIdFormat, isTokenFormat, tokenDisplayPrefix,
} from './tokens.js';
import { csrfTokenFor, generateCsrfSecret, verifyCsrf } from './csrf.js';

describe('tokens', () => {
  it('generates API tokens as pct_ followed by 43 base64url characters', () => {
    const t = generateToken();
    expect(t).toMatch(/^pct_[A-Za-z0-9_-]{43}$/);
    expect(isTokenFormat(t)).toBe(true);
  });

  it('never generates the same token or session id twice in 1,000 draws', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      seen.add(generateToken());
      seen.add(generateSessionId());
    }
    expect(seen.size).toBe(2000);
  });

  it('hashes a token as sha256 hex that does not contain the token', () => {
    const t = generateToken();
    const h = hashToken(t);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toContain(t.slice(4));
    expect(hashToken(t)).toBe(h);
    // sha256("abc") is a published test vector.
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('shows 8 characters after pct_ as the display prefix', () => {
    const t = generateToken();
    expect(tokenDisplayPrefix(t)).toBe(t.slice(4, 12));
    expect(() => tokenDisplayPrefix('pct_short')).toThrow(/not a Portcullis API token/);
  });

  it('recognises session ids and rejects malformed ones', () => {
    expect(isSessionIdFormat(generateSessionId())).toBe(true);
    expect(isSessionIdFormat('x'.repeat(42))).toBe(false);
    expect(isSessionIdFormat(`${'a'.repeat(42)}=`)).toBe(false);
    expect(isTokenFormat(`pct_${'a'.repeat(44)}`)).toBe(false);
  });

  it('compares secrets for equality, including different lengths', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});

describe('CSRF tokens', () => {
  it('accepts the CSRF token of its own session secret', () => {
    const secret = generateCsrfSecret();
    expect(verifyCsrf(secret, csrfTokenFor(secret))).toBe(true);
  });

  it("rejects another session's CSRF token", () => {
    const mine = generateCsrfSecret();
    const theirs = generateCsrfSecret();
    expect(verifyCsrf(mine, csrfTokenFor(theirs))).toBe(false);
  });

  it('rejects a missing, empty or altered token', () => {
    const secret = generateCsrfSecret();
    const good = csrfTokenFor(secret);
    expect(verifyCsrf(secret, undefined)).toBe(false);
    expect(verifyCsrf(secret, null)).toBe(false);
    expect(verifyCsrf(secret, '')).toBe(false);
    expect(verifyCsrf(secret, good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A'))).toBe(false);
    expect(verifyCsrf('', good)).toBe(false);
  });

  it('is not the secret itself', () => {
    const secret = generateCsrfSecret();
    expect(csrfTokenFor(secret)).not.toBe(secret);
  });
});
