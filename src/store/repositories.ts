// Repository interfaces and the Store handle returned by openDatabase.
import type {
  ApiToken, AuditFilters, AuditInput, AuditRecord, AuditVerifyResult, AuthFailure, FailurePolicy, Grant,
  GrantWithRole, Host, HostPatch, IsoTime, NewApiToken, NewGrant, NewHost, NewSession, NewUser, Role, Session,
  StoredSecret, SubjectType, User, UserPatch,
} from './types.js';
import type { TwoFactorRepo } from './twofactor-repo.js';
import type { OidcRepo } from './oidc-repo.js';

/** Users; usernames are stored lower-case and looked up case-insensitively. */
export interface UsersRepo {
  /** Throws StoreConflictError when the username is taken. */
  create(input: NewUser): Promise<User>;
  findById(id: string): Promise<User | undefined>;
  findByUsername(username: string): Promise<User | undefined>;
  list(): Promise<User[]>;
  /** Returns the updated user, or undefined when it does not exist. */
  update(id: string, patch: UserPatch): Promise<User | undefined>;
  /** Sets the hash and password_changed_at; `mustChange` defaults to false. */
  setPassword(id: string, passwordHash: string, opts?: { mustChange?: boolean }): Promise<boolean>;
  /** Deletes the user with its sessions, tokens and every grant held by it or its tokens. */
  remove(id: string): Promise<boolean>;
}

export interface RolesRepo {
  list(): Promise<Role[]>;
  findByName(name: string): Promise<Role | undefined>;
  findById(id: string): Promise<Role | undefined>;
  /** Creates a custom role; throws StoreConflictError when the name is taken. */
  create(input: { name: string; permissions: string[] }): Promise<Role>;
  /** Replaces a role's permission list (built-in roles included, for upgrades). */
  setPermissions(id: string, permissions: string[]): Promise<boolean>;
  /** Removes a custom role and its grants; built-in roles are refused (StoreInputError). */
  remove(id: string): Promise<boolean>;
}

export interface GrantsRepo {
  listForSubject(subjectType: SubjectType, subjectId: string): Promise<GrantWithRole[]>;
  add(input: NewGrant): Promise<Grant>;
  remove(id: string): Promise<boolean>;
}

export interface SessionsRepo {
  create(input: NewSession): Promise<Session>;
  findByIdHash(idHash: string): Promise<Session | undefined>;
  /** Sets last_seen_at (default now). */
  touch(idHash: string, at?: IsoTime): Promise<boolean>;
  revoke(idHash: string, at?: IsoTime): Promise<boolean>;
  /** Revokes every live session of the user except `exceptIdHash`; returns how many. */
  revokeAllForUser(userId: string, opts?: { exceptIdHash?: string; at?: IsoTime }): Promise<number>;
  /** Sessions of the user that are neither revoked nor past expires_at, newest first. */
  listForUser(userId: string, now?: IsoTime): Promise<Session[]>;
  /** Deletes sessions past expires_at or revoked; returns how many. */
  purgeExpired(now?: IsoTime): Promise<number>;
}

export interface TokensRepo {
  /** Throws StoreConflictError when the hash exists. */
  create(input: NewApiToken): Promise<ApiToken>;
  findByHash(tokenHash: string): Promise<ApiToken | undefined>;
  findById(id: string): Promise<ApiToken | undefined>;
  listForUser(userId: string): Promise<ApiToken[]>;
  markUsed(id: string, at?: IsoTime): Promise<boolean>;
  revoke(id: string, at?: IsoTime): Promise<boolean>;
}

export interface HostsRepo {
  create(input: NewHost): Promise<Host>;
  findById(id: string): Promise<Host | undefined>;
  findByName(name: string): Promise<Host | undefined>;
  /** The host whose agent token hashes to `hash`. */
  findByTokenHash(hash: string): Promise<Host | undefined>;
  /**
   * Stores `publicKey` as the host's agent key only if none is enrolled yet (atomic: of two agents
   * racing with the same token, one wins). Returns the key now enrolled.
   */
  enrollKey(id: string, publicKey: string): Promise<string | undefined>;
  list(): Promise<Host[]>;
  update(id: string, patch: HostPatch): Promise<Host | undefined>;
  /** Removes the host and every grant scoped to it. */
  remove(id: string): Promise<boolean>;
}

export interface AuthFailuresRepo {
  get(key: string): Promise<AuthFailure | undefined>;
  /**
   * Counts one failure atomically: a window older than `policy.windowMs` starts again at 1; reaching
   * `policy.maxFailures` sets locked_until = now + lockMs. Returns the counter after the update.
   */
  record(key: string, policy: FailurePolicy, now?: IsoTime): Promise<AuthFailure>;
  reset(key: string): Promise<boolean>;
}

/** Raw storage of encrypted values; encrypt with `encryptSecret` before `put`. */
export interface SecretsRepo {
  get(key: string): Promise<StoredSecret | undefined>;
  put(key: string, valueEnc: string): Promise<void>;
  remove(key: string): Promise<boolean>;
}

export interface AuditRepo {
  /** Appends one record to the hash chain in one transaction; refuses secret-looking details. */
  append(input: AuditInput): Promise<AuditRecord>;
  list(filters?: AuditFilters): Promise<AuditRecord[]>;
  /** Every record, oldest first, as one JSON object per line (each string ends with "\n"). */
  exportLines(): AsyncIterable<string>;
  /** Walks the whole chain; names the first record that was changed, removed or reordered. */
  verify(): Promise<AuditVerifyResult>;
}

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  readonly dialect: Dialect;
  readonly users: UsersRepo;
  readonly roles: RolesRepo;
  readonly grants: GrantsRepo;
  readonly sessions: SessionsRepo;
  readonly tokens: TokensRepo;
  readonly hosts: HostsRepo;
  readonly authFailures: AuthFailuresRepo;
  readonly secrets: SecretsRepo;
  readonly audit: AuditRepo;
  /** TOTP state, recovery codes, login challenges and the per-role 2FA policy (0003). */
  readonly twoFactor: TwoFactorRepo;
  /** OIDC sign-in flows, subject lookup and mapped grants (0003). */
  readonly oidc: OidcRepo;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  /** Round-trips `select 1` (for health checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
