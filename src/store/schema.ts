// Kysely table types: the columns exactly as stored (text times, 0/1 booleans, JSON as text).

export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  must_change_password: number;
  disabled: number;
  created_at: string;
  updated_at: string;
  password_changed_at: string;
  totp_secret_enc: string | null;
  totp_last_step: number | null;
  oidc_subject: string | null;
  /** 0003: an enrolment not yet confirmed with a code (encrypted like totp_secret_enc). */
  totp_pending_enc?: string | null | undefined;
  /** 0003: when the active TOTP secret was confirmed. */
  totp_enabled_at?: string | null | undefined;
}

export interface RolesTable {
  id: string;
  name: string;
  builtin: number;
  permissions: string;
  created_at: string;
  /** 0003: 1 when holders of this role must use a second factor at password login. */
  require_2fa?: number | undefined;
}

export interface GrantsTable {
  id: string;
  role_id: string;
  subject_type: string;
  subject_id: string;
  scope_type: string;
  scope_value: string | null;
  created_at: string;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_secret: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  client_ip: string | null;
  user_agent: string | null;
  revoked_at: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface HostsTable {
  id: string;
  name: string;
  tags: string;
  kind: string;
  agent_token_hash: string | null;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
  agent_public_key: string | null;
  agent_enrolled_at: string | null;
  agent_version: string | null;
  agent_policy: string | null;
}

export interface AuthFailuresTable {
  key: string;
  count: number;
  window_start: string;
  locked_until: string | null;
}

export interface SecretsTable {
  key: string;
  value_enc: string;
  updated_at: string;
}

export interface AuditLogTable {
  /** bigint on PostgreSQL: pg returns it as a string, so always read it through Number(). */
  seq: number | string;
  time: string;
  actor: string;
  actor_type: string;
  client_ip: string | null;
  user_agent: string | null;
  action: string;
  target: string | null;
  result: string;
  details: string;
  prev_hash: string;
  hash: string;
}

/** One row (id = 1) holding the chain head, so that cutting records off the end is detected. */
export interface AuditHeadTable {
  id: number;
  seq: number | string;
  hash: string;
}

/** 0003: single-use recovery codes (sha256 of user id and code; the code itself is shown once). */
export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

/** 0003: the second step of a password login, keyed by the hash of the challenge handed to the client. */
export interface LoginChallengesTable {
  id_hash: string;
  user_id: string;
  purpose: string;
  attempts: number;
  created_at: string;
  expires_at: string;
}

/** 0003: an OIDC sign-in in progress, keyed by the hash of its cookie. */
export interface OidcFlowsTable {
  id_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  redirect_uri: string;
  created_at: string;
  expires_at: string;
}

export interface DatabaseSchema {
  users: UsersTable;
  roles: RolesTable;
  grants: GrantsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  hosts: HostsTable;
  auth_failures: AuthFailuresTable;
  secrets: SecretsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  recovery_codes: RecoveryCodesTable;
  login_challenges: LoginChallengesTable;
  oidc_flows: OidcFlowsTable;
}
