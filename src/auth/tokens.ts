// Opaque secrets: session ids, API tokens, their SHA-256 hashes, and constant-time comparison.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of every Portcullis API token (`pct_` + 43 base64url characters). */
export const TOKEN_PREFIX = 'pct_';
/** Random bytes behind a session id or an API token (256 bits → 43 base64url characters). */
export const SECRET_BYTES = 32;
/** Length of the display prefix stored with a token (characters after `pct_`). */
export const TOKEN_DISPLAY_CHARS = 8;

const TOKEN_RE = /^pct_[A-Za-z0-9_-]{43}$/;
const SESSION_ID_RE = /^[A-Za-z0-9_-]{43}$/;

/** A new opaque session id: 32 random bytes, base64url (43 chars). Only its hash is stored. */
export function generateSessionId(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** A new API token: `pct_` + 32 random bytes base64url. Shown to the user once; only its hash is stored. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(SECRET_BYTES).toString('base64url');
}

/** True when `t` has the exact shape of an API token (cheap check before any database lookup). */
export function isTokenFormat(t: string): boolean {
  return TOKEN_RE.test(t);
}

/** True when `id` has the exact shape of a session id. */
export function isSessionIdFormat(id: string): boolean {
  return SESSION_ID_RE.test(id);
}

/** The display prefix of a token (first 8 characters after `pct_`), safe to store and show. */
export function tokenDisplayPrefix(token: string): string {
  if (!isTokenFormat(token)) throw new Error('not a Portcullis API token');
  return token.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + TOKEN_DISPLAY_CHARS);
}

/**
 * SHA-256 hex of a token or session id — what the database stores and looks up.
 * A plain hash is enough here: the input carries 256 random bits, so no salt or stretching is needed.
 */
export function hashToken(t: string): string {
  return createHash('sha256').update(t, 'utf8').digest('hex');
}

/**
 * Compares two strings in time that depends only on their lengths' hashes, not their contents.
 * Both sides are hashed first, so inputs of different lengths are compared without an early exit.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
