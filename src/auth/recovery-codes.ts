// Recovery codes: ten random 80-bit codes shown once, stored only as sha256(user id, code), each usable once.
import { createHash, randomBytes } from 'node:crypto';

/** How many codes a user gets (at confirmation, and again when regenerated). */
export const RECOVERY_CODE_COUNT = 10;
/** Random bits per code: 16 Crockford Base32 characters. */
export const RECOVERY_CODE_BITS = 80;
/** Crockford Base32: no I, L, O or U, so a code read aloud or from paper is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * One new code, as the user sees it: `XXXX-XXXX-XXXX-XXXX`.
 *
 * Why sha256 and not argon2: each code carries 80 random bits, so even a fast hash leaves an offline
 * search of 2^80 per code (argon2 protects low-entropy passwords, not random keys), and a plain hash
 * lets the login look a code up by its hash in one indexed query instead of running up to ten argon2
 * verifies per attempt — work an attacker could make the server do.
 */
export function newRecoveryCode(): string {
  const bytes = randomBytes(RECOVERY_CODE_BITS / 8);
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(acc >> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  return out.match(/.{4}/g)!.join('-');
}

/** `RECOVERY_CODE_COUNT` new codes. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
}

/**
 * The code as typed, canonical: upper case, without spaces or dashes, with the letters Crockford reads as
 * digits (O→0, I/L→1). Undefined when it cannot be a recovery code.
 */
export function normaliseRecoveryCode(typed: string): string | undefined {
  const c = typed.toUpperCase().replace(/[\s-]+/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return c.length === RECOVERY_CODE_BITS / 5 && [...c].every((ch) => ALPHABET.includes(ch)) ? c : undefined;
}

/** The stored form: sha256 hex over the user id and the canonical code (a code never works for another user). */
export function hashRecoveryCode(userId: string, typed: string): string | undefined {
  const c = normaliseRecoveryCode(typed);
  return c === undefined ? undefined : createHash('sha256').update(`portcullis-recovery\n${userId}\n${c}`).digest('hex');
}
