// Test helper: a real OpenID provider (the oidc-provider package) on 127.0.0.1 with scripted logins, and a way to make it sign bad ID tokens.
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One user of the test provider. */
export interface TestAccount {
  sub: string;
  preferred_username?: string;
  email?: string;
  groups: string[];
}

/** How the provider's token endpoint alters the ID token it returns (re-signed with its own key, so only that check fails). */
export type IdTokenTamper = 'none' | 'expired' | 'wrong_audience';

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by sub; tests change groups between logins. */
  accounts: Map<string, TestAccount>;
  /** The account the next interactive login signs in as. */
  loginAs: string;
  tamper: IdTokenTamper;
  /** Follows the provider's redirects from an authorization URL (logging in as `loginAs`, granting consent) to the client's redirect URI. */
  authorize(url: string): Promise<URL>;
  /** Stops listening and drops open connections (the provider is "down"). */
  stop(): Promise<void>;
}

/** The parts of oidc-provider this helper uses (the package ships no types). */
interface ProviderLike {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  use(mw: (ctx: { path: string; body: unknown }, next: () => Promise<void>) => Promise<void>): void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ prompt: { name: string }; params: Record<string, unknown>; session?: { accountId?: string }; grantId?: string }>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, opts: { mergeWithLastSubmission: boolean }): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): GrantLike; find(id: string): Promise<GrantLike | undefined> };
}
interface GrantLike {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}

const b64u = (v: Buffer | string): string => Buffer.from(v).toString('base64url');

function resign(jwt: string, key: KeyObject, tamper: IdTokenTamper): string {
  const [h = '', p = ''] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  if (tamper === 'expired') Object.assign(payload, { iat: now - 900, exp: now - 600 });
  if (tamper === 'wrong_audience') payload.aud = 'some-other-client';
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
  return `${input}.${b64u(sign('sha256', Buffer.from(input), key))}`;
}

/** Starts the provider on a free port of 127.0.0.1 with one confidential client allowed to use `redirectUris`. */
export async function startTestIdp(opts: { redirectUris: string[]; accounts: TestAccount[] }): Promise<TestIdp> {
  const spec = 'oidc-provider';
  // No type declarations ship with the package: import by a non-literal specifier and use the interface above.
  const mod = (await import(spec)) as { default: new (issuer: string, config: Record<string, unknown>) => ProviderLike };
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  const signingKey = createPrivateKey({ key: jwk, format: 'jwk' });
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const idp: TestIdp = {
    issuer, clientId: 'portcullis-test', clientSecret: 'test-client-secret-7f3a9c', accounts: new Map(opts.accounts.map((a) => [a.sub, a])),
    loginAs: opts.accounts[0]?.sub ?? '', tamper: 'none', authorize, stop,
  };
  const provider = new mod.default(issuer, {
    clients: [{
      client_id: idp.clientId, client_secret: idp.clientSecret, redirect_uris: opts.redirectUris, response_types: ['code'],
      grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [jwk] },
    findAccount: (_ctx: unknown, id: string) => {
      const a = idp.accounts.get(id);
      return a && { accountId: id, claims: () => ({ ...a }) };
    },
    claims: { openid: ['sub'], profile: ['preferred_username'], email: ['email'], groups: ['groups'] },
    scopes: ['openid', 'profile', 'email', 'groups'],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    cookies: { keys: ['portcullis-test-cookie-key'] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
  });
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === '/token' && idp.tamper !== 'none' && typeof body?.id_token === 'string') ctx.body = { ...body, id_token: resign(body.id_token, signingKey, idp.tamper) };
  });
  const callback = provider.callback();
  handler = (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return callback(req, res);
    void (async () => {
      // Scripted login + consent: sign in as `loginAs` and grant every requested scope.
      const details = await provider.interactionDetails(req, res);
      const accountId = details.session?.accountId ?? idp.loginAs;
      const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      const result = details.prompt.name === 'login' ? { login: { accountId }, consent: { grantId } } : { consent: { grantId } };
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  };

  async function authorize(url: string): Promise<URL> {
    const jar = new Map<string, string>();
    let next = new URL(url);
    for (let hop = 0; hop < 10; hop++) {
      if (opts.redirectUris.some((r) => next.href.startsWith(`${r}?`))) return next;
      const res = await fetch(next, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const c of res.headers.getSetCookie()) {
        const [pair = ''] = c.split(';');
        const i = pair.indexOf('=');
        jar.set(pair.slice(0, i), pair.slice(i + 1));
      }
      const location = res.headers.get('location');
      if (!location) throw new Error(`the test provider answered ${res.status} without a redirect: ${(await res.text()).slice(0, 300)}`);
      next = new URL(location, next);
    }
    throw new Error('too many redirects at the test provider');
  }

  async function stop(): Promise<void> {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  return idp;
}
