// OIDC sign-in as a whole: the client secret (encrypted at rest), flows bound to a cookie, account linking/provisioning, group → grant mapping.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { OidcConfig } from '../config/index.js';
import { decryptSecret, encryptSecret, StoreConflictError, type MappedGrant, type Store, type User } from '../store/index.js';
import { iso, systemClock, type Clock } from './clock.js';
import { OidcClient, OidcError } from './oidc-client.js';
import { groupsOf, mapGroups, usernameCandidates } from './oidc-mapping.js';
import { hashPassword } from './passwords.js';
import type { SessionUser } from './session-service.js';
import { generateSessionId, hashToken, isSessionIdFormat } from './tokens.js';

/** A sign-in must come back from the provider within this (the flow cookie lives as long). */
export const OIDC_FLOW_TTL_MS = 10 * 60_000;
/** Name of the client secret in the secrets table (also the encryption context). */
export const OIDC_SECRET_KEY = 'oidc.client_secret';

export interface OidcSuccess {
  user: SessionUser;
  created: boolean;
  groups: string[];
  /** Mapped groups the user is in, and grants given (role@scope) — for the audit record. */
  mappedGroups: string[];
  grants: string[];
  /** Mapping entries that named an unknown role or host (skipped). */
  skipped: string[];
}

/** Account side of SSO over the store: links `<issuer>#<sub>` to a user and re-applies the mapping at every sign-in. */
export class OidcLogin {
  readonly client: OidcClient;
  private secret: Promise<string> | undefined;
  private readonly clock: Clock;

  constructor(
    private readonly store: Store,
    readonly cfg: OidcConfig,
    private readonly key: Buffer,
    opts: { clock?: Clock } = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.client = new OidcClient(cfg, () => this.clientSecret());
  }

  /**
   * The client secret: the setting (or its file) wins and is stored encrypted in the secrets table, so the
   * variable can be dropped after a start; without one, the stored copy is used. Call at start-up.
   */
  async clientSecret(): Promise<string> {
    this.secret ??= this.loadSecret().catch((err: unknown) => {
      this.secret = undefined;
      throw err;
    });
    return this.secret;
  }

  private async loadSecret(): Promise<string> {
    let given = this.cfg.clientSecret;
    if (given === '' && this.cfg.clientSecretFile !== '') given = (await readFile(this.cfg.clientSecretFile, 'utf8')).trim();
    const stored = await this.store.secrets.get(OIDC_SECRET_KEY);
    if (given !== '') {
      const current = stored ? this.tryDecrypt(stored.valueEnc) : undefined;
      if (current !== given) await this.store.secrets.put(OIDC_SECRET_KEY, encryptSecret(this.key, given, OIDC_SECRET_KEY));
      return given;
    }
    const current = stored ? this.tryDecrypt(stored.valueEnc) : undefined;
    if (current === undefined) {
      throw new OidcError('misconfigured', 'no OIDC client secret: set PORTCULLIS_OIDC_CLIENT_SECRET or PORTCULLIS_OIDC_CLIENT_SECRET_FILE (stored encrypted afterwards)');
    }
    return current;
  }

  private tryDecrypt(enc: string): string | undefined {
    try {
      return decryptSecret(this.key, enc, OIDC_SECRET_KEY);
    } catch {
      return undefined;
    }
  }

  /** Starts a sign-in: stores the flow under the hash of a new cookie value; returns the cookie value and the provider URL. */
  async begin(redirectUri: string): Promise<{ cookie: string; url: string; expiresAt: string }> {
    const now = this.clock();
    await this.store.oidc.purgeFlows(iso(now));
    const { url, flow } = await this.client.start(redirectUri);
    const cookie = generateSessionId();
    const expiresAt = iso(now + OIDC_FLOW_TTL_MS);
    await this.store.oidc.createFlow({ idHash: hashToken(cookie), ...flow, expiresAt });
    return { cookie, url, expiresAt };
  }

  /**
   * Completes a sign-in. The flow is consumed first (single use, whatever the outcome), then the provider's
   * answer is checked, the account found or created, and its grants replaced from the mapping. Someone in no
   * mapped group loses every grant and every session and is refused.
   */
  async complete(cookie: string | undefined, query: URLSearchParams): Promise<OidcSuccess> {
    const flow = cookie !== undefined && isSessionIdFormat(cookie) ? await this.store.oidc.takeFlow(hashToken(cookie)) : undefined;
    if (!flow || !(this.clock() < Date.parse(flow.expiresAt))) {
      throw new OidcError('flow_missing', 'no sign-in in progress in this browser (or it took longer than 10 minutes); start again');
    }
    const identity = await this.client.finish(flow, query);
    try {
      return await this.account(identity.subject, identity.claims);
    } catch (err) {
      if (err instanceof OidcError) err.subject = identity.subject;
      throw err;
    }
  }

  private async account(subject: string, claims: Record<string, unknown>): Promise<OidcSuccess> {
    const identity = { subject, claims };
    const groups = groupsOf(identity.claims, this.cfg.groupsClaim);
    const mapping = await mapGroups(this.store, this.cfg.roleMap, groups);
    const existingId = await this.store.oidc.userIdBySubject(identity.subject);
    let user = existingId !== undefined ? await this.store.users.findById(existingId) : undefined;
    if (mapping.grants.length === 0) {
      if (user) {
        await this.store.oidc.replaceUserGrants(user.id, []);
        await this.store.sessions.revokeAllForUser(user.id, { at: iso(this.clock()) });
      }
      throw new OidcError('no_mapped_group', 'your account is in no group that grants access to Portcullis');
    }
    let created = false;
    if (!user) {
      if (!this.cfg.autoProvision) throw new OidcError('not_linked', 'no Portcullis account is linked to this identity and auto-provisioning is off; ask an administrator');
      user = await this.provision(identity.subject, identity.claims);
      created = true;
    }
    if (user.disabled) throw new OidcError('user_disabled', 'this Portcullis account is disabled');
    await this.store.oidc.replaceUserGrants(user.id, mapping.grants.map((g): MappedGrant => g.grant));
    const { passwordHash: _p, totpSecretEnc: _t, ...safe } = user;
    return { user: safe, created, groups, mappedGroups: mapping.groups, grants: mapping.grants.map((g) => g.label), skipped: mapping.skipped };
  }

  private async provision(subject: string, claims: Record<string, unknown>): Promise<User> {
    // A random password nobody knows: SSO accounts cannot use the password login (argon2 like any other hash).
    const passwordHash = await hashPassword(generateSessionId());
    const suffix = createHash('sha256').update(subject).digest('hex').slice(0, 6);
    for (const username of usernameCandidates(claims, this.cfg.usernameClaim, suffix)) {
      // Never link to an existing local account by name: a provider user called "admin" must not become the admin.
      if (await this.store.users.findByUsername(username)) continue;
      try {
        return await this.store.users.create({ username, passwordHash, mustChangePassword: false, oidcSubject: subject });
      } catch (err) {
        if (!(err instanceof StoreConflictError)) throw err;
        const raced = await this.store.oidc.userIdBySubject(subject);
        const u = raced !== undefined ? await this.store.users.findById(raced) : undefined;
        if (u) return u;
      }
    }
    throw new OidcError('username_unavailable', 'no free username for this identity; an administrator can create and link the account');
  }
}
