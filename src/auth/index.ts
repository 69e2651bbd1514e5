// Public face of src/auth: passwords, tokens, CSRF, permissions and authorize(), lockout, sessions, key file.
export {
  ARGON2_PARAMS, HASH_CONCURRENCY, HASH_QUEUE_LIMIT, MAX_PASSWORD_BYTES,
  hashPassword, verifyPassword, needsRehash, verifyDummyPassword,
} from './passwords.js';
export { SemaphoreFullError } from './semaphore.js';
export {
  MIN_PASSWORD_LENGTH, checkPasswordPolicy, type PasswordViolation, type PolicyResult,
} from './password-policy.js';
export { COMMON_PASSWORDS } from './common-passwords.js';
export {
  TOKEN_PREFIX, generateSessionId, generateToken, hashToken, constantTimeEqual, isTokenFormat, isSessionIdFormat,
  tokenDisplayPrefix,
} from './tokens.js';
export { generateCsrfSecret, csrfTokenFor, verifyCsrf } from './csrf.js';
export {
  PERMISSIONS, GLOBAL_PERMISSIONS, PERMISSION_OPERATIONS, NEVER_THROUGH_API, isPermission, permissionForOperation,
  type Permission,
} from './permissions.js';
export { BUILTIN_ROLES, BUILTIN_ROLE_NAMES, type BuiltinRoleName } from './roles.js';
export { authorize, type Actor, type AuthzGrant, type HostRef, type ScopeType, type AuthzDecision } from './authorize.js';
export {
  DEFAULT_USER_POLICY, DEFAULT_IP_POLICY, applyFailure, lockRemainingMs, validateFailurePolicy,
  type FailurePolicy, type FailureState,
} from './lockout-policy.js';
export { equalizeTiming, timingStart } from './timing.js';
export { KEY_BYTES, loadOrCreateKey, type LoadedKey } from './key-file.js';
export { systemClock, type Clock } from './clock.js';
export { userKey, ipKey } from './client-key.js';
export {
  SessionService, DEFAULT_SESSION_IDLE_MS, DEFAULT_SESSION_ABSOLUTE_MS, SESSION_TOUCH_INTERVAL_MS,
  type SessionOptions, type SessionCheck, type SessionInfo, type SessionUser, type SessionInvalidReason, type CreatedSession,
} from './session-service.js';
export {
  TokenService, TOKEN_MARK_USED_INTERVAL_MS, MAX_TOKEN_NAME,
  type TokenOptions, type TokenCheck, type TokenInfo, type TokenInvalidReason,
} from './token-service.js';
export { LockoutService, type LockoutOptions, type LockStatus, type FailureOutcome } from './lockout-service.js';
export { loadActor, toAuthzGrants } from './actors.js';
export { PasswordLogin, DEFAULT_LOGIN_MIN_MS, MAX_LOGIN_USERNAME, type LoginResult } from './password-login.js';
export { canDelegate, type DelegationTarget } from './delegation.js';
export {
  TOTP_PERIOD, TOTP_DIGITS, TOTP_DRIFT_SECONDS, newTotpSecret, totpUri, totpQrDataUrl, totpCode, verifyTotp, isTotpFormat,
  type TotpResult, type TotpAlgorithm,
} from './totp.js';
export { RECOVERY_CODE_COUNT, newRecoveryCode, newRecoveryCodes, normaliseRecoveryCode, hashRecoveryCode } from './recovery-codes.js';
export {
  TwoFactorService, DEFAULT_CHALLENGE_TTL_MS, MAX_CHALLENGE_ATTEMPTS,
  type TwoFactorOptions, type TwoFactorStatus, type Enrolment, type SecondFactor, type SecondFactorResult,
} from './totp-service.js';
export { OidcClient, OidcError, OIDC_HTTP_TIMEOUT_MS, classifyCallbackError, type OidcFailureReason, type OidcIdentity } from './oidc-client.js';
export { OidcLogin, OIDC_FLOW_TTL_MS, OIDC_SECRET_KEY, type OidcSuccess } from './oidc-login.js';
export { groupsOf, mapGroups, toUsername, usernameCandidates } from './oidc-mapping.js';
