// Domain records and repository interfaces of the store: what src/auth and src/server code against.

/** An ISO-8601 UTC timestamp as produced by `Date.prototype.toISOString()`. */
export type IsoTime = string;

export interface User {
  id: string;
  /** Always lower-case. */
  username: string;
  passwordHash: string;
  mustChangePassword: boolean;
  disabled: boolean;
  createdAt: IsoTime;
  updatedAt: IsoTime;
  passwordChangedAt: IsoTime;
  totpSecretEnc: string | null;
  totpLastStep: number | null;
  oidcSubject: string | null;
}

export interface NewUser {
  username: string;
  passwordHash: string;
  mustChangePassword?: boolean;
  disabled?: boolean;
  oidcSubject?: string | null;
}

export interface UserPatch {
  username?: string;
  mustChangePassword?: boolean;
  disabled?: boolean;
  totpSecretEnc?: string | null;
  totpLastStep?: number | null;
  oidcSubject?: string | null;
}

export interface Role {
  id: string;
  name: string;
  builtin: boolean;
  permissions: string[];
  createdAt: IsoTime;
}

export type SubjectType = 'user' | 'token';
export type ScopeType = 'all' | 'host' | 'tag';

export interface Grant {
  id: string;
  roleId: string;
  subjectType: SubjectType;
  subjectId: string;
  scopeType: ScopeType;
  /** Host id for scope 'host', tag for scope 'tag', null for 'all'. */
  scopeValue: string | null;
  createdAt: IsoTime;
}

/** A grant joined with its role, as `authorize()` needs it. */
export interface GrantWithRole extends Grant {
  roleName: string;
  permissions: string[];
}

export interface NewGrant {
  roleId: string;
  subjectType: SubjectType;
  subjectId: string;
  scopeType: ScopeType;
  scopeValue?: string | null;
}

export interface Session {
  /** sha256 hex of the opaque session id; the id itself is never stored. */
  idHash: string;
  userId: string;
  csrfSecret: string;
  createdAt: IsoTime;
  lastSeenAt: IsoTime;
  expiresAt: IsoTime;
  clientIp: string | null;
  userAgent: string | null;
  revokedAt: IsoTime | null;
}

export interface NewSession {
  idHash: string;
  userId: string;
  csrfSecret: string;
  expiresAt: IsoTime;
  clientIp?: string | null;
  userAgent?: string | null;
  /** Defaults to now. */
  createdAt?: IsoTime;
}

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  /** First 8 characters after `pct_`, for display. */
  prefix: string;
  expiresAt: IsoTime | null;
  lastUsedAt: IsoTime | null;
  createdAt: IsoTime;
  revokedAt: IsoTime | null;
}

export interface NewApiToken {
  userId: string;
  name: string;
  tokenHash: string;
  prefix: string;
  expiresAt?: IsoTime | null;
}

export type HostKind = 'local' | 'agent';

export interface Host {
  id: string;
  name: string;
  tags: string[];
  kind: HostKind;
  agentTokenHash: string | null;
  createdAt: IsoTime;
  lastSeenAt: IsoTime | null;
  revokedAt: IsoTime | null;
  /** The enrolled agent key (SPKI DER, base64); null until the agent's first connection. */
  agentPublicKey: string | null;
  agentEnrolledAt: IsoTime | null;
  /** What the agent reported at its last handshake. */
  agentVersion: string | null;
  agentPolicy: string | null;
}

export interface NewHost {
  name: string;
  kind: HostKind;
  tags?: string[];
  agentTokenHash?: string | null;
}

export interface HostPatch {
  name?: string;
  tags?: string[];
  agentTokenHash?: string | null;
  lastSeenAt?: IsoTime | null;
  revokedAt?: IsoTime | null;
  agentPublicKey?: string | null;
  agentEnrolledAt?: IsoTime | null;
  agentVersion?: string | null;
  agentPolicy?: string | null;
}

/** A failure counter; key is `user:<name>` or `ip:<ip>`. */
export interface AuthFailure {
  key: string;
  count: number;
  windowStart: IsoTime;
  lockedUntil: IsoTime | null;
}

/** How `authFailures.record` counts: a window, a threshold and the lock it triggers. */
export interface FailurePolicy {
  windowMs: number;
  maxFailures: number;
  lockMs: number;
}

export interface StoredSecret {
  key: string;
  /** Ciphertext from `encryptSecret`. */
  valueEnc: string;
  updatedAt: IsoTime;
}

export type ActorType = 'user' | 'token' | 'agent' | 'system';
export type AuditResult = 'success' | 'denied' | 'error';

/** What a caller hands to `audit.append`. */
export interface AuditInput {
  actor: string;
  actorType: ActorType;
  action: string;
  result: AuditResult;
  target?: string | null;
  clientIp?: string | null;
  userAgent?: string | null;
  /** JSON object; keys that look like secrets are refused unless their value is '[redacted]'. */
  details?: Record<string, unknown>;
  /** Defaults to now. */
  time?: IsoTime;
}

export interface AuditRecord {
  seq: number;
  time: IsoTime;
  actor: string;
  actorType: ActorType;
  clientIp: string | null;
  userAgent: string | null;
  action: string;
  target: string | null;
  result: AuditResult;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditFilters {
  actor?: string;
  action?: string;
  result?: AuditResult;
  /** Inclusive lower bound on time (any string `Date` parses; refused otherwise). */
  since?: string;
  /** Exclusive upper bound on time. */
  until?: string;
  /** 1..1000, default 100. */
  limit?: number;
  /** Only records with seq greater than this. */
  afterSeq?: number;
  /** Only records with seq less than this (paging backwards with order 'desc'). */
  beforeSeq?: number;
  /** Default 'asc' (oldest first). */
  order?: 'asc' | 'desc';
}

export type AuditVerifyResult = { ok: true; count: number } | { ok: false; badSeq: number; reason: string };
