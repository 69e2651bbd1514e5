// The single sign-on (OIDC) and two-factor settings of `portcullis server`, declared once, and their cross-checks.
import { csv, SettingError, strictBool, type SettingSpec } from './settings.js';

/** One grant the group mapping hands out: a role on all hosts, one host (by name) or a tag. */
export interface RoleMapGrant {
  role: string;
  scopeType: 'all' | 'host' | 'tag';
  scopeValue: string | null;
}

/** Group name (as the provider sends it) → grants. */
export type RoleMap = Record<string, RoleMapGrant[]>;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for http://127.0.0.1, http://localhost and http://[::1] (any port): the only plain-HTTP issuers accepted. */
export function isLoopbackHttp(u: URL): boolean {
  return u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname);
}

/** An issuer URL: https, or http on a loopback address (a provider on the same machine, tests). */
export function issuerUrl(raw: string | undefined, env: string): string {
  // Kept exactly as given: the discovery document's issuer must match it, trailing slash included (Authentik has one).
  const v = (raw ?? '').trim();
  if (v === '') return '';
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new SettingError(env, `${env} must be the provider's issuer URL, e.g. https://sso.example.com/realms/main`);
  }
  if (u.username || u.password || u.search || u.hash) throw new SettingError(env, `${env} must not carry credentials, a query or a fragment`);
  if (u.protocol !== 'https:' && !isLoopbackHttp(u)) {
    throw new SettingError(env, `${env} must use https (plain http is accepted only for 127.0.0.1, localhost or [::1])`);
  }
  return v;
}

function grantOf(v: unknown, where: string, env: string): RoleMapGrant {
  if (typeof v === 'string' && v !== '') return { role: v, scopeType: 'all', scopeValue: null };
  const o = v as { role?: unknown; scopeType?: unknown; scopeValue?: unknown } | null;
  const scopeType = o?.scopeType ?? 'all';
  const scopeValue = o?.scopeValue ?? null;
  const keys = o && typeof o === 'object' ? Object.keys(o) : [];
  const ok =
    typeof o?.role === 'string' && o.role !== '' && keys.every((k) => ['role', 'scopeType', 'scopeValue'].includes(k)) &&
    (scopeType === 'all' ? scopeValue === null : (scopeType === 'host' || scopeType === 'tag') && typeof scopeValue === 'string' && scopeValue !== '');
  if (!ok) {
    throw new SettingError(env, `${env}: ${where} must be a role name or {"role": "...", "scopeType": "all"|"host"|"tag", "scopeValue": "<host name or tag>"}`);
  }
  return { role: o.role as string, scopeType: scopeType as RoleMapGrant['scopeType'], scopeValue: scopeValue as string | null };
}

/**
 * Parses the group mapping: a JSON object from group name to a role name, a grant object, or a list of them.
 * @example roleMap('{"ops":[{"role":"operator","scopeType":"tag","scopeValue":"prod"}],"admins":"admin"}', 'X')
 */
export function roleMap(raw: string | undefined, env: string): RoleMap {
  const v = (raw ?? '').trim();
  if (v === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    throw new SettingError(env, `${env} must be a JSON object such as {"portcullis-admins": "admin"}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SettingError(env, `${env} must be a JSON object from group name to grants`);
  const out: RoleMap = {};
  for (const [group, grants] of Object.entries(parsed)) {
    const list: unknown[] = Array.isArray(grants) ? grants : [grants];
    out[group] = list.map((g, i) => grantOf(g, `group ${JSON.stringify(group.slice(0, 64))} entry ${i}`, env));
  }
  return out;
}

const str = (raw: string | undefined): string => (raw ?? '').trim();
const G_SSO = 'Single sign-on and two-factor login';

export const ssoSettings = {
  OIDC_ISSUER: {
    env: 'PORTCULLIS_OIDC_ISSUER', default: '', group: G_SSO,
    help: 'OpenID Connect issuer URL (discovery at <issuer>/.well-known/openid-configuration). Empty: SSO off. https only, except http on 127.0.0.1/localhost/[::1].',
    parse: issuerUrl,
  },
  OIDC_CLIENT_ID: { env: 'PORTCULLIS_OIDC_CLIENT_ID', default: '', group: G_SSO, help: 'Client id registered at the provider (confidential client, authorization code flow).', parse: str },
  OIDC_CLIENT_SECRET: {
    env: 'PORTCULLIS_OIDC_CLIENT_SECRET', default: '', group: G_SSO, secret: true,
    help: 'Client secret. Stored encrypted (data dir key) in the database at start, so the variable can be removed afterwards; a new value replaces the stored one.',
    parse: str,
  },
  OIDC_CLIENT_SECRET_FILE: {
    env: 'PORTCULLIS_OIDC_CLIENT_SECRET_FILE', default: '', group: G_SSO,
    help: 'File holding the client secret (e.g. a Docker secret); used instead of PORTCULLIS_OIDC_CLIENT_SECRET, stored the same way.', parse: str,
  },
  OIDC_SCOPES: {
    env: 'PORTCULLIS_OIDC_SCOPES', default: 'openid profile email', group: G_SSO,
    help: 'Scopes requested (space or comma separated; must include openid). Add the scope that releases the groups claim if the provider needs one.',
    parse: (raw: string | undefined, env: string): string[] => {
      const scopes = csv((raw ?? '').replace(/\s+/g, ','));
      if (!scopes.includes('openid')) throw new SettingError(env, `${env} must include openid`);
      return scopes;
    },
  },
  OIDC_GROUPS_CLAIM: { env: 'PORTCULLIS_OIDC_GROUPS_CLAIM', default: 'groups', group: G_SSO, help: 'Claim (ID token or userinfo) that lists the user\'s groups.', parse: str },
  OIDC_USERNAME_CLAIM: {
    env: 'PORTCULLIS_OIDC_USERNAME_CLAIM', default: 'preferred_username', group: G_SSO,
    help: 'Claim that names a new user (auto-provisioning); falls back to the e-mail\'s local part, then sso-<hash of the subject>.', parse: str,
  },
  OIDC_ROLE_MAP: {
    env: 'PORTCULLIS_OIDC_ROLE_MAP', default: '', group: G_SSO,
    help: 'JSON object from group to grants, e.g. {"pc-admins":"admin","ops":[{"role":"operator","scopeType":"tag","scopeValue":"prod"}]}. Applied at every SSO login; no mapped group = no access.',
    parse: roleMap,
  },
  OIDC_AUTO_PROVISION: {
    env: 'PORTCULLIS_OIDC_AUTO_PROVISION', default: '1', group: G_SSO,
    help: 'Create an account at the first SSO login of someone in a mapped group. Off: only accounts an admin linked (POST /api/v1/users/{id}/oidc) may sign in.',
    parse: strictBool,
  },
  OIDC_DISPLAY_NAME: { env: 'PORTCULLIS_OIDC_DISPLAY_NAME', default: 'single sign-on', group: G_SSO, help: 'Name of the provider on the login page ("Sign in with …").', parse: str },
  SSO_ONLY: {
    env: 'PORTCULLIS_SSO_ONLY', default: '0', group: G_SSO,
    help: 'Password login off for everyone but the break-glass user (needs PORTCULLIS_OIDC_ISSUER).', parse: strictBool,
  },
  SSO_BREAK_GLASS_USER: {
    env: 'PORTCULLIS_SSO_BREAK_GLASS_USER', default: 'admin', group: G_SSO,
    help: 'The one local account that may still log in with a password in SSO-only mode (give it 2FA).', parse: (raw: string | undefined) => str(raw).toLowerCase(),
  },
  TOTP_ISSUER: { env: 'PORTCULLIS_TOTP_ISSUER', default: 'Portcullis', group: G_SSO, help: 'Issuer label of the entry authenticator apps show.', parse: str },
} satisfies Record<string, SettingSpec<unknown>>;

export type SsoSettingValues = { [K in keyof typeof ssoSettings]: ReturnType<(typeof ssoSettings)[K]['parse']> };

/** The OIDC client, when SSO is configured. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** From PORTCULLIS_OIDC_CLIENT_SECRET; '' when unset (then the file, then the stored copy). */
  clientSecret: string;
  clientSecretFile: string;
  scopes: string[];
  groupsClaim: string;
  usernameClaim: string;
  roleMap: RoleMap;
  autoProvision: boolean;
  displayName: string;
  /** The issuer is plain http on a loopback address: openid-client must be told to allow it. */
  allowInsecureHttp: boolean;
}

/** SSO and 2FA as resolved from the settings. */
export interface SsoConfig {
  oidc?: OidcConfig;
  ssoOnly: boolean;
  breakGlassUser: string;
  totpIssuer: string;
}

/** Checks the SSO settings against each other: a client id goes with an issuer; SSO-only needs an issuer. */
export function resolveSso(s: SsoSettingValues): SsoConfig {
  const base = { ssoOnly: s.SSO_ONLY, breakGlassUser: s.SSO_BREAK_GLASS_USER, totpIssuer: s.TOTP_ISSUER || 'Portcullis' };
  if (s.SSO_ONLY && s.OIDC_ISSUER === '') throw new SettingError('PORTCULLIS_SSO_ONLY', 'PORTCULLIS_SSO_ONLY needs PORTCULLIS_OIDC_ISSUER (otherwise nobody but the break-glass user could log in)');
  if (s.SSO_ONLY && s.SSO_BREAK_GLASS_USER === '') throw new SettingError('PORTCULLIS_SSO_BREAK_GLASS_USER', 'PORTCULLIS_SSO_ONLY needs a break-glass user');
  if (s.OIDC_ISSUER === '') return base;
  if (s.OIDC_CLIENT_ID === '') throw new SettingError('PORTCULLIS_OIDC_CLIENT_ID', 'PORTCULLIS_OIDC_ISSUER is set: set PORTCULLIS_OIDC_CLIENT_ID too');
  if (s.OIDC_GROUPS_CLAIM === '') throw new SettingError('PORTCULLIS_OIDC_GROUPS_CLAIM', 'PORTCULLIS_OIDC_GROUPS_CLAIM must name a claim');
  return {
    ...base,
    oidc: {
      issuer: s.OIDC_ISSUER, clientId: s.OIDC_CLIENT_ID, clientSecret: s.OIDC_CLIENT_SECRET, clientSecretFile: s.OIDC_CLIENT_SECRET_FILE,
      scopes: s.OIDC_SCOPES, groupsClaim: s.OIDC_GROUPS_CLAIM, usernameClaim: s.OIDC_USERNAME_CLAIM || 'preferred_username', roleMap: s.OIDC_ROLE_MAP,
      autoProvision: s.OIDC_AUTO_PROVISION, displayName: s.OIDC_DISPLAY_NAME || 'single sign-on', allowInsecureHttp: isLoopbackHttp(new URL(s.OIDC_ISSUER)),
    },
  };
}
