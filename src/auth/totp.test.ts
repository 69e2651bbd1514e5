import { describe, expect, it } from 'vitest';
import { isTotpFormat, totpCode, totpQrDataUrl, totpUri, verifyTotp, type TotpAlgorithm } from './totp.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
/** RFC 6238 Appendix B seeds: the ASCII digits repeated to the hash's block size. */
const SEEDS: Record<TotpAlgorithm, Uint8Array> = {
  sha1: bytes('12345678901234567890'),
  sha256: bytes('12345678901234567890123456789012'),
  sha512: bytes('1234567890123456789012345678901234567890123456789012345678901234'),
};
/** RFC 6238 Appendix B: time (s), then the 8-digit TOTP for SHA-1, SHA-256, SHA-512. */
const VECTORS: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];
/** Base32 of the SHA-1 seed, as an authenticator app would hold it. */
const SHA1_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('matches the RFC 6238 test vectors at T=%i', async (t, sha1, sha256, sha512) => {
    expect(await totpCode({ secret: SEEDS.sha1, epoch: t, digits: 8, algorithm: 'sha1' })).toBe(sha1);
    expect(await totpCode({ secret: SEEDS.sha256, epoch: t, digits: 8, algorithm: 'sha256' })).toBe(sha256);
    expect(await totpCode({ secret: SEEDS.sha512, epoch: t, digits: 8, algorithm: 'sha512' })).toBe(sha512);
  });

  it('accepts the 6-digit code of the RFC seed at T=59 (the last six digits of 94287082) and reports its time step', async () => {
    expect(await totpCode({ secret: SHA1_BASE32, epoch: 59 })).toBe('287082');
    expect(await verifyTotp({ secret: SHA1_BASE32, code: '287 082', epoch: 59 })).toEqual({ ok: true, step: 1 });
  });

  it('refuses a code already used in its time step (replay), even though it is correct', async () => {
    const first = await verifyTotp({ secret: SHA1_BASE32, code: '287082', epoch: 59 });
    expect(first).toEqual({ ok: true, step: 1 });
    expect(await verifyTotp({ secret: SHA1_BASE32, code: '287082', epoch: 59, afterStep: 1 })).toEqual({ ok: false, reason: 'replayed' });
    // A code of an earlier step is a replay too, once a later one was used.
    expect(await verifyTotp({ secret: SHA1_BASE32, code: '287082', epoch: 75, afterStep: 2 })).toEqual({ ok: false, reason: 'replayed' });
    const next = await totpCode({ secret: SHA1_BASE32, epoch: 60 });
    expect(await verifyTotp({ secret: SHA1_BASE32, code: next, epoch: 61, afterStep: 1 })).toEqual({ ok: true, step: 2 });
  });

  it('allows one step of clock drift either way and no more', async () => {
    const at = 1_700_000_000;
    const code = await totpCode({ secret: SHA1_BASE32, epoch: at });
    expect((await verifyTotp({ secret: SHA1_BASE32, code, epoch: at + 30 })).ok).toBe(true);
    expect((await verifyTotp({ secret: SHA1_BASE32, code, epoch: at - 30 })).ok).toBe(true);
    expect(await verifyTotp({ secret: SHA1_BASE32, code, epoch: at + 90 })).toEqual({ ok: false, reason: 'wrong' });
  });

  it('refuses wrong and malformed codes', async () => {
    expect(await verifyTotp({ secret: SHA1_BASE32, code: '287083', epoch: 59 })).toEqual({ ok: false, reason: 'wrong' });
    for (const bad of ['', '12345', '1234567', 'abcdef', '28708２']) {
      expect(await verifyTotp({ secret: SHA1_BASE32, code: bad, epoch: 59 })).toEqual({ ok: false, reason: 'malformed' });
      expect(isTotpFormat(bad)).toBe(false);
    }
  });

  it('builds an otpauth URI with issuer, account and the secret, and a QR code as an SVG data URL', async () => {
    const uri = totpUri(SHA1_BASE32, 'Portcullis', 'alice');
    const u = new URL(uri);
    expect(u.protocol).toBe('otpauth:');
    expect(decodeURIComponent(u.pathname)).toContain('Portcullis:alice');
    expect(u.searchParams.get('secret')).toBe(SHA1_BASE32);
    expect(u.searchParams.get('issuer')).toBe('Portcullis');
    const qr = await totpQrDataUrl(uri);
    expect(qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(qr.split(',')[1]!, 'base64').toString()).toMatch(/^<svg/);
  });
});
