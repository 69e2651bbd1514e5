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
  PC_ERR_SESSION_NOT_FOUND: { status: 404, summary: 'No live session with this id that the caller may end.' },
  PC_ERR_TOKEN_NOT_FOUND: { status: 404, summary: 'No API token with this id that the caller may revoke.' },
  PC_ERR_STORE_CONFLICT: { status: 409, summary: 'A unique name (username, role name…) is already taken.' },
  PC_ERR_STORE_INPUT: { status: 400, summary: 'The database refused a value (e.g. an unparsable date in an audit filter).' },
  PC_ERR_SYSTEM_UNAVAILABLE: { status: 503, summary: 'A dependency (the database) is not answering.' },
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
