// CSRF tokens: an HMAC of a per-session secret, so a token is valid for its own session only.
import { createHmac, randomBytes } from 'node:crypto';
import { constantTimeEqual } from './tokens.js';

const CSRF_CONTEXT = 'portcullis/csrf/v1';

/** A new per-session CSRF secret (32 random bytes, base64url), stored with the session. */
export function generateCsrfSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The CSRF token the client must echo in `X-CSRF-Token` for cookie-authenticated writes.
 * Deterministic for a secret, so the server never stores the token itself.
 */
export function csrfTokenFor(secret: string): string {
  if (secret.length === 0) throw new Error('CSRF secret must not be empty');
  return createHmac('sha256', secret).update(CSRF_CONTEXT).digest('base64url');
}

/** True only when `token` is the CSRF token of this session's `secret` (constant-time; empty or missing → false). */
export function verifyCsrf(secret: string, token: string | undefined | null): boolean {
  if (!secret || typeof token !== 'string' || token.length === 0) return false;
  return constantTimeEqual(csrfTokenFor(secret), token);
}
