// Agent tokens: `pca_` + 32 random bytes (base64url). Shown once; only the SHA-256 hash is stored.
import { randomBytes } from 'node:crypto';

export const AGENT_TOKEN_PREFIX = 'pca_';

/** A new agent token. */
export function generateAgentToken(): string {
  return AGENT_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** Whether `t` looks like an agent token (checked before any database lookup). */
export function isAgentTokenFormat(t: string): boolean {
  return /^pca_[A-Za-z0-9_-]{43}$/.test(t);
}
