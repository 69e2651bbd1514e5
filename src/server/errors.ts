// The one catalogue of API error codes (PC_ERR_<AREA>_<PROBLEM>) with their HTTP status; a code is never reused.

/** Every error code the API answers with, its status and what it means (docs/errors.md follows this list). */
export const ERRORS = {
  PC_ERR_AUTH_REQUIRED: { status: 401, summary: 'No valid session cookie or API token was presented (or it expired).' },
  PC_ERR_AUTH_INVALID_CREDENTIALS: { status: 401, summary: 'Wrong username or password; the same answer for a user that does not exist.' },
  PC_ERR_AUTH_LOCKED: { status: 429, summary: 'Too many failed logins for this account or client address; retry after Retry-After seconds.' },
  PC_ERR_AUTH_BUSY: { status: 503, summary: 'Too many password checks are queued; retry after Retry-After seconds.' },
  PC_ERR_AUTH_CSRF: { status: 403, summary: 'A cookie-authenticated write lacks the X-CSRF-Token header or carries a wrong one.' },
  PC_ERR_AUTH_FORBIDDEN: { status: 403, summary: 'Authenticated, but no grant allows this action (the reason names the permission).' },
  PC_ERR_AUTH_PASSWORD_CHANGE_REQUIRED: { status: 403, summary: 'The password must be changed (POST /api/v1/auth/password) before anything else.' },
  PC_ERR_AUTH_SESSION_REQUIRED: { status: 403, summary: 'This action needs a browser session; API tokens cannot perform it.' },
  PC_ERR_AUTH_CURRENT_PASSWORD_WRONG: { status: 403, summary: 'The current password given for a password change is wrong.' },
  PC_ERR_AUTH_PASSWORD_POLICY: { status: 400, summary: 'The new password breaks the policy (length, username, common password, repetition).' },
  PC_ERR_AUTH_ESCALATION: { status: 403, summary: 'A grant, role or token would hand out a permission the caller does not hold on that scope.' },
  PC_ERR_RATE_LIMITED: { status: 429, summary: 'Too many requests of this class from this client address or user; retry after Retry-After seconds.' },
  PC_ERR_REQUEST_INVALID: { status: 400, summary: 'The request does not match the schema (the message names the field).' },
  PC_ERR_REQUEST_TOO_LARGE: { status: 413, summary: 'The request body is larger than PORTCULLIS_MAX_BODY_BYTES.' },
  PC_ERR_REQUEST_MEDIA_TYPE: { status: 415, summary: 'The request body is not application/json.' },
  PC_ERR_REQUEST_HOST: { status: 403, summary: 'The Host header names a host this server does not answer for (DNS rebinding); add it to PORTCULLIS_ALLOWED_HOSTS.' },
  PC_ERR_ROUTE_NOT_FOUND: { status: 404, summary: 'No such route (or method) under this base path.' },
  PC_ERR_USER_NOT_FOUND: { status: 404, summary: 'No user with this id.' },
  PC_ERR_USER_SELF: { status: 409, summary: 'An administrator cannot delete or disable their own account.' },
  PC_ERR_ROLE_NOT_FOUND: { status: 404, summary: 'No role with this name.' },
  PC_ERR_GRANT_NOT_FOUND: { status: 404, summary: 'No grant with this id on this user.' },
  PC_ERR_HOST_NOT_FOUND: { status: 404, summary: 'No host with this id or name.' },
  PC_ERR_HOST_UNREACHABLE: { status: 502, summary: 'The host is registered but its Docker Engine did not answer.' },
  PC_ERR_HOST_OFFLINE: { status: 503, summary: 'The host is registered but not connected (an agent whose tunnel is down); retry when it is back.' },
  PC_ERR_HOST_LOCAL: { status: 409, summary: "The server's own local host has no agent: it has no token to rotate and is not removed through the API." },
  PC_ERR_HOST_TIMEOUT: { status: 504, summary: 'The host did not answer in time.' },
  PC_ERR_HOST_POLICY_DENIED: { status: 403, summary: "The host's own policy refused the Docker call before it reached the engine (the message names the operation and rule)." },
  PC_ERR_DOCKER_NOT_FOUND: { status: 404, summary: 'No such container, image, network or volume on that host.' },
  PC_ERR_DOCKER_CONFLICT: { status: 409, summary: 'Docker refused because of the object\'s state (a running container removed without force, a name in use, an image in use).' },
  PC_ERR_DOCKER_INVALID: { status: 400, summary: 'Docker refused the request as invalid (an unknown signal, a malformed image reference).' },
  PC_ERR_DOCKER_ERROR: { status: 502, summary: 'The Docker Engine failed to carry out the request; its message is passed on.' },
  PC_ERR_WS_ORIGIN: { status: 403, summary: 'A WebSocket upgrade came from a page of another origin (cross-site WebSocket hijacking); the Origin must match the Host.' },
  PC_ERR_WS_UPGRADE_REQUIRED: { status: 426, summary: 'This endpoint is a WebSocket: connect with an Upgrade: websocket request.' },
  PC_ERR_WS_MESSAGE_INVALID: { status: 400, summary: 'A WebSocket message from the client does not match the protocol of the endpoint.' },
  PC_ERR_SESSION_NOT_FOUND: { status: 404, summary: 'No live session with this id that the caller may end.' },
  PC_ERR_TOKEN_NOT_FOUND: { status: 404, summary: 'No API token with this id that the caller may revoke.' },
  PC_ERR_STORE_CONFLICT: { status: 409, summary: 'A unique name (username, role name…) is already taken.' },
  PC_ERR_STORE_INPUT: { status: 400, summary: 'The database refused a value (e.g. an unparsable date in an audit filter).' },
  PC_ERR_SYSTEM_UNAVAILABLE: { status: 503, summary: 'A dependency (the database) is not answering.' },
  PC_ERR_AUTH_2FA_INVALID: { status: 401, summary: 'The second login step failed: the challenge is unknown, expired or used up, or the code is wrong or was already used (one answer for all; counts toward lockout).' },
  PC_ERR_AUTH_2FA_CODE_WRONG: { status: 403, summary: 'The authenticator or recovery code given to confirm, disable or regenerate is wrong or was already used.' },
  PC_ERR_AUTH_2FA_ALREADY_ENABLED: { status: 409, summary: 'Two-factor login is already on; turn it off (POST /api/v1/auth/2fa/disable) before enrolling again.' },
  PC_ERR_AUTH_2FA_NOT_ENABLED: { status: 409, summary: 'Two-factor login is off for this account, so there is nothing to disable or regenerate.' },
  PC_ERR_AUTH_2FA_NOT_ENROLLING: { status: 409, summary: 'No enrolment is waiting for confirmation; start one with POST /api/v1/auth/2fa/enrol.' },
  PC_ERR_AUTH_2FA_REQUIRED_BY_ROLE: { status: 409, summary: 'A role the account holds requires two-factor login, so it cannot be turned off.' },
  PC_ERR_AUTH_SSO_ONLY: { status: 403, summary: 'Password login is off (PORTCULLIS_SSO_ONLY) for every account but the break-glass user; sign in with single sign-on.' },
  PC_ERR_USER_SELF_2FA_RESET: { status: 409, summary: 'An administrator cannot reset their own two-factor login; use POST /api/v1/auth/2fa/disable with password and code.' },
  PC_ERR_OIDC_DISABLED: { status: 404, summary: 'Single sign-on is not configured (PORTCULLIS_OIDC_ISSUER is empty).' },
  PC_ERR_OIDC_UNAVAILABLE: { status: 503, summary: 'The identity provider cannot be reached or answers wrongly; local accounts (the break-glass user) still log in with a password.' },
  PC_ERR_OIDC_MISCONFIGURED: { status: 500, summary: 'Single sign-on is configured incompletely (e.g. no client secret); the message names the setting.' },
  PC_ERR_OIDC_STATE: { status: 400, summary: 'The sign-in answer does not belong to a sign-in started in this browser (no or expired flow cookie, state mismatch); start again.' },
  PC_ERR_OIDC_PROVIDER_ERROR: { status: 401, summary: 'The identity provider refused the sign-in (e.g. the user cancelled).' },
  PC_ERR_OIDC_TOKEN_INVALID: { status: 401, summary: "The provider's answer failed validation: code refused or replayed, or the ID token's nonce, audience, issuer, expiry or signature is wrong." },
  PC_ERR_OIDC_NO_ACCESS: { status: 403, summary: 'Signed in at the provider, but no Portcullis access: in no mapped group, no linked account with auto-provisioning off, or the account is disabled.' },
  PC_ERR_OIDC_LINK_CONFLICT: { status: 409, summary: 'This provider identity is already linked to another account.' },
  PC_ERR_SYSTEM_INTERNAL: { status: 500, summary: 'An unexpected error; details are in the server log, never in the answer.' },
} as const satisfies Record<string, { status: number; summary: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** An error that becomes `{ error: { code, message } }` with the code's status at the edge. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
    this.status = ERRORS[code].status;
  }
}

/** The JSON body of every error answer. */
export function errorBody(code: ErrorCode, message: string): { error: { code: ErrorCode; message: string } } {
  return { error: { code, message } };
}
