import { describe, expect, it } from 'vitest';
import { readSettings } from './settings.js';
import { resolveServerSettings, serverSettings } from './server.js';
import { issuerUrl, resolveSso, roleMap, ssoSettings } from './sso.js';

const sso = (env: Record<string, string>) => resolveSso(readSettings(ssoSettings, env));

describe('SSO settings', () => {
  it('accepts an https issuer and plain http only on a loopback address', () => {
    expect(issuerUrl('https://sso.example.com/realms/main', 'E')).toBe('https://sso.example.com/realms/main');
    expect(issuerUrl(' https://auth.example.com/application/o/portcullis/ ', 'E')).toBe('https://auth.example.com/application/o/portcullis/');
    expect(issuerUrl('http://127.0.0.1:8080/realms/x', 'E')).toBe('http://127.0.0.1:8080/realms/x');
    expect(issuerUrl('http://localhost:9000', 'E')).toBe('http://localhost:9000');
    expect(() => issuerUrl('http://sso.example.com', 'E')).toThrow(/https/);
    expect(() => issuerUrl('http://127.0.0.1.evil.example', 'E')).toThrow(/https/);
    expect(() => issuerUrl('https://user:pw@sso.example.com', 'E')).toThrow(/credentials/);
  });

  it('reads the role map as group → grants, with a role name as shorthand for the role on all hosts', () => {
    expect(roleMap('{"admins":"admin","ops":[{"role":"operator","scopeType":"tag","scopeValue":"prod"},"viewer"]}', 'M')).toEqual({
      admins: [{ role: 'admin', scopeType: 'all', scopeValue: null }],
      ops: [{ role: 'operator', scopeType: 'tag', scopeValue: 'prod' }, { role: 'viewer', scopeType: 'all', scopeValue: null }],
    });
    expect(roleMap('', 'M')).toEqual({});
  });

  it('refuses a malformed role map with a message naming the variable', () => {
    for (const bad of ['[1]', '{"g":1}', '{"g":{"role":"x","scopeType":"host"}}', '{"g":{"role":"x","scopeType":"all","scopeValue":"y"}}', '{"g":{"role":"x","extra":1}}', 'not json']) {
      expect(() => roleMap(bad, 'PORTCULLIS_OIDC_ROLE_MAP'), bad).toThrow(/PORTCULLIS_OIDC_ROLE_MAP/);
    }
  });

  it('needs a client id with an issuer, openid among the scopes, and an issuer for SSO-only mode', () => {
    expect(sso({})).toEqual({ ssoOnly: false, breakGlassUser: 'admin', totpIssuer: 'Portcullis' });
    expect(() => sso({ PORTCULLIS_OIDC_ISSUER: 'https://sso.example.com' })).toThrow(/PORTCULLIS_OIDC_CLIENT_ID/);
    expect(() => sso({ PORTCULLIS_SSO_ONLY: '1' })).toThrow(/PORTCULLIS_OIDC_ISSUER/);
    expect(() => sso({ PORTCULLIS_OIDC_SCOPES: 'profile email' })).toThrow(/openid/);
    const ok = sso({ PORTCULLIS_OIDC_ISSUER: 'http://127.0.0.1:9000', PORTCULLIS_OIDC_CLIENT_ID: 'pc', PORTCULLIS_OIDC_SCOPES: 'openid,groups', PORTCULLIS_SSO_BREAK_GLASS_USER: 'Root' });
    expect(ok.oidc).toMatchObject({ clientId: 'pc', scopes: ['openid', 'groups'], allowInsecureHttp: true, autoProvision: true });
    expect(ok.breakGlassUser).toBe('root');
  });

  it('is part of the server settings and of their resolution', () => {
    const r = resolveServerSettings(readSettings(serverSettings, { PORTCULLIS_OIDC_ISSUER: 'https://sso.example.com', PORTCULLIS_OIDC_CLIENT_ID: 'pc' }));
    expect(r.sso.oidc?.issuer).toBe('https://sso.example.com');
    expect(r.sso.oidc?.allowInsecureHttp).toBe(false);
  });
});
