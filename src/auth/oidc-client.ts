// The OIDC relying party over openid-client: discovery, the authorization URL (PKCE S256, state, nonce), the callback checks, userinfo.
import * as oidc from 'openid-client';
import type { OidcConfig } from '../config/index.js';
import { constantTimeEqual } from './tokens.js';

/** Every request to the provider (discovery, token, JWKS, userinfo) must answer within this. */
export const OIDC_HTTP_TIMEOUT_MS = 10_000;

/** Why a sign-in failed; each one is audited by name. */
export type OidcFailureReason =
  | 'disabled' | 'provider_unavailable' | 'misconfigured' | 'flow_missing' | 'state_mismatch' | 'provider_error'
  | 'token_exchange_failed' | 'nonce_mismatch' | 'id_token_expired' | 'audience_mismatch' | 'issuer_mismatch' | 'id_token_invalid'
  | 'userinfo_failed' | 'no_mapped_group' | 'not_linked' | 'user_disabled' | 'username_unavailable';

/** A failed sign-in: `reason` for the audit record and the error code, `message` safe to show (no token, no claim values). */
export class OidcError extends Error {
  /** `<issuer>#<sub>` once the provider's answer was validated (for the audit record; an admin links accounts by it). */
  subject?: string;
  constructor(
    readonly reason: OidcFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OidcError';
  }
}

/** What the callback proved about the user. */
export interface OidcIdentity {
  /** `<issuer>#<sub>`: the stable link to a Portcullis account. */
  subject: string;
  /** ID token claims overlaid with userinfo claims (userinfo's sub is checked to be the same). */
  claims: Record<string, unknown>;
}

/** The values a sign-in keeps server-side between the redirect and the callback. */
export interface FlowSecrets {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
}

const timeoutFetch: oidc.CustomFetch = (url, options) => fetch(url, { ...options, signal: AbortSignal.timeout(OIDC_HTTP_TIMEOUT_MS) } as RequestInit);

/** Walks an error and its causes for oauth4webapi's code and the claim that failed. */
function details(err: unknown): { codes: string[]; claim?: string; network: boolean } {
  const codes: string[] = [];
  let claim: string | undefined;
  let network = false;
  for (let e: unknown = err, i = 0; e !== undefined && e !== null && i < 6; i++) {
    const x = e as { code?: unknown; claim?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    if (typeof x.code === 'string') codes.push(x.code);
    if (typeof x.claim === 'string') claim ??= x.claim;
    if (x.name === 'TimeoutError' || x.name === 'AbortError' || (e instanceof TypeError && x.message === 'fetch failed')) network = true;
    if (typeof x.code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT'].includes(x.code)) network = true;
    e = x.cause;
  }
  return claim === undefined ? { codes, network } : { codes, claim, network };
}

/** Maps an openid-client failure of the callback to a reason (exported for tests). */
export function classifyCallbackError(err: unknown): OidcError {
  if (err instanceof OidcError) return err;
  const d = details(err);
  const has = (c: string): boolean => d.codes.includes(c);
  const fail = (reason: OidcFailureReason, msg: string): OidcError => new OidcError(reason, msg, { cause: err });
  if (d.network) return fail('provider_unavailable', 'the identity provider did not answer');
  if (has('OAUTH_AUTHORIZATION_RESPONSE_ERROR')) return fail('provider_error', 'the identity provider refused the sign-in');
  if (has('OAUTH_RESPONSE_BODY_ERROR')) return fail('token_exchange_failed', 'the identity provider refused the authorization code (used already, expired or not ours)');
  if (has('OAUTH_JWT_TIMESTAMP_CHECK_FAILED')) {
    return d.claim === 'exp' ? fail('id_token_expired', 'the ID token has expired') : fail('id_token_invalid', `the ID token's ${d.claim ?? 'time'} claim is not acceptable`);
  }
  if (has('OAUTH_JWT_CLAIM_COMPARISON_FAILED')) {
    if (d.claim === 'nonce') return fail('nonce_mismatch', 'the ID token does not carry the nonce of this sign-in');
    if (d.claim === 'aud' || d.claim === 'azp') return fail('audience_mismatch', 'the ID token was issued for another client');
    if (d.claim === 'iss') return fail('issuer_mismatch', 'the ID token comes from another issuer');
  }
  return fail('id_token_invalid', 'the identity provider\'s answer failed validation');
}

/**
 * One configured provider. Discovery runs at every sign-in start (so an unreachable provider is reported
 * there, clearly) and its result serves the callbacks until the next start.
 */
export class OidcClient {
  private config: oidc.Configuration | undefined;

  constructor(
    private readonly cfg: OidcConfig,
    private readonly clientSecret: () => Promise<string>,
  ) {}

  /** Fetches the provider's metadata; throws OidcError('provider_unavailable') when it cannot. */
  async discover(): Promise<oidc.Configuration> {
    const secret = await this.clientSecret();
    try {
      this.config = await oidc.discovery(new URL(this.cfg.issuer), this.cfg.clientId, undefined, oidc.ClientSecretBasic(secret), {
        // Plain http only for an issuer on a loopback address (checked when the setting was read).
        ...(this.cfg.allowInsecureHttp ? { execute: [oidc.allowInsecureRequests] } : {}),
        [oidc.customFetch]: timeoutFetch,
      });
      this.config[oidc.customFetch] = timeoutFetch;
      return this.config;
    } catch (err) {
      throw new OidcError('provider_unavailable', `the identity provider at ${this.cfg.issuer} cannot be reached or its discovery document is invalid`, { cause: err });
    }
  }

  /** A new sign-in: the provider URL to send the browser to, and the secrets to keep until the callback. */
  async start(redirectUri: string): Promise<{ url: string; flow: FlowSecrets }> {
    const config = await this.discover();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const flow: FlowSecrets = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier, redirectUri };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope: this.cfg.scopes.join(' '), response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256', state: flow.state, nonce: flow.nonce,
    });
    return { url: url.href, flow };
  }

  /**
   * Completes a sign-in from the callback's query: state (checked here, constant time), provider error,
   * code exchange with the PKCE verifier, ID token (signature, issuer, audience, expiry, nonce), userinfo.
   */
  async finish(flow: FlowSecrets, query: URLSearchParams): Promise<OidcIdentity> {
    const state = query.get('state') ?? '';
    if (!constantTimeEqual(state, flow.state)) throw new OidcError('state_mismatch', 'the sign-in answer does not belong to this browser\'s sign-in (state mismatch)');
    if (query.has('error')) throw new OidcError('provider_error', 'the identity provider refused the sign-in');
    const config = this.config ?? (await this.discover());
    const current = new URL(flow.redirectUri);
    for (const [k, v] of query) current.searchParams.append(k, v);
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true,
      });
    } catch (err) {
      throw classifyCallbackError(err);
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw new OidcError('id_token_invalid', 'the identity provider sent no ID token');
    let info: Record<string, unknown> = {};
    try {
      info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    } catch (err) {
      const c = classifyCallbackError(err);
      throw c.reason === 'provider_unavailable' ? c : new OidcError('userinfo_failed', 'the userinfo answer failed validation', { cause: err });
    }
    return { subject: `${idClaims.iss}#${idClaims.sub}`, claims: { ...idClaims, ...info } };
  }
}
