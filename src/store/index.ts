// Public face of src/store: openDatabase, the repository types, secret encryption and the audit-chain helpers.
export { openDatabase, parseDatabaseUrl, DEFAULT_BUSY_TIMEOUT_MS, DEFAULT_PG_POOL_MAX, DB_FILE_MODE } from './open.js';
export type { OpenOptions, DatabaseTarget } from './open.js';
export type * from './repositories.js';
export type * from './types.js';
export { StoreConflictError, StoreInputError } from './errors.js';
export { encryptSecret, decryptSecret } from './crypto.js';
export { canonicalJson } from './canonical-json.js';
export { auditHash, GENESIS_HASH, SECRET_KEY_PATTERN, REDACTED, MAX_AUDIT_TEXT, MAX_AUDIT_DETAILS } from './audit-chain.js';
export { MAX_AUDIT_PAGE } from './audit-repo.js';
export { normaliseUsername } from './users-repo.js';
export type { TwoFactorRepo, TotpState, LoginChallenge, ChallengePurpose } from './twofactor-repo.js';
export type { OidcRepo, OidcFlow, MappedGrant } from './oidc-repo.js';
