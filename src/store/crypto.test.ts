// Unit tests for secret encryption: AES-256-GCM, random nonce, versioned format, tamper detection.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from './crypto.js';

const key = randomBytes(32);

describe('encryptSecret / decryptSecret', () => {
  it('round-trips text, including non-ASCII and empty strings', () => {
    for (const plain of ['hunter2', '', 'пароль 🔑', 'x'.repeat(10_000)]) {
      expect(decryptSecret(key, encryptSecret(key, plain))).toBe(plain);
    }
  });

  it('writes v1:<12-byte nonce>:<ciphertext+16-byte tag> and never the plain text', () => {
    const enc = encryptSecret(key, 'registry-password');
    const [v, nonce, body] = enc.split(':');
    expect(v).toBe('v1');
    expect(Buffer.from(nonce!, 'base64')).toHaveLength(12);
    expect(Buffer.from(body!, 'base64')).toHaveLength('registry-password'.length + 16);
    expect(enc).not.toContain('registry-password');
  });

  it('uses a fresh nonce each time, so equal secrets encrypt differently', () => {
    const a = encryptSecret(key, 'same');
    const b = encryptSecret(key, 'same');
    expect(a).not.toBe(b);
    expect(a.split(':')[1]).not.toBe(b.split(':')[1]);
  });

  it('refuses the wrong key', () => {
    expect(() => decryptSecret(randomBytes(32), encryptSecret(key, 's'))).toThrow(/failed authentication/);
  });

  it('refuses a ciphertext moved to another context', () => {
    const enc = encryptSecret(key, 's', 'registry:a');
    expect(decryptSecret(key, enc, 'registry:a')).toBe('s');
    expect(() => decryptSecret(key, enc, 'registry:b')).toThrow(/failed authentication/);
  });

  it('refuses any flipped bit in nonce, ciphertext or tag', () => {
    const enc = encryptSecret(key, 'secret value');
    const [v, nonceB64, bodyB64] = enc.split(':') as [string, string, string];
    const nonce = Buffer.from(nonceB64, 'base64');
    const body = Buffer.from(bodyB64, 'base64');
    for (let i = 0; i < body.length; i++) {
      const b = Buffer.from(body);
      b[i]! ^= 1;
      expect(() => decryptSecret(key, `${v}:${nonceB64}:${b.toString('base64')}`)).toThrow();
    }
    nonce[0]! ^= 1;
    expect(() => decryptSecret(key, `${v}:${nonce.toString('base64')}:${bodyB64}`)).toThrow();
  });

  it('refuses unknown versions and truncated input without echoing it', () => {
    expect(() => decryptSecret(key, 'v2:AAAA:BBBB')).toThrow(/unknown format/);
    expect(() => decryptSecret(key, 'plain-secret')).toThrow(/unknown format/);
    expect(() => decryptSecret(key, 'v1:AAAA:BBBB')).toThrow(/truncated/);
    try {
      decryptSecret(key, 'my-plain-secret');
    } catch (err) {
      expect((err as Error).message).not.toContain('my-plain-secret');
    }
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => encryptSecret(randomBytes(16), 's')).toThrow(/32 bytes/);
    expect(() => decryptSecret(randomBytes(31), 'v1:a:b')).toThrow(/32 bytes/);
  });
});
