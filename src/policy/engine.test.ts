import { describe, expect, it } from 'vitest';
import { proxySettings, readSettings } from '../config/index.js';
import { checkTransport, PolicyEngine } from './engine.js';
import { envProfile } from './profiles.js';

function engine(env: Record<string, string> = {}, mode: 'enforce' | 'observe' = 'enforce', allowedHosts: string[] = []) {
  return new PolicyEngine({ profile: envProfile(readSettings(proxySettings, env)), mode, allowedHosts });
}

const H = { host: '127.0.0.1:2375' };

describe('checkTransport', () => {
  it('refuses browser requests: Origin or any Sec-Fetch-* header (T1)', () => {
    expect(checkTransport({ ...H, origin: 'https://evil.example' }, [])?.rule).toBe('transport:origin');
    expect(checkTransport({ ...H, 'sec-fetch-mode': 'no-cors' }, [])?.rule).toBe('transport:sec-fetch');
  });

  it('accepts loopback names, IP literals, single-label service names and api.moby.localhost', () => {
    for (const host of ['localhost:2375', '127.0.0.1:2375', '[::1]:2375', 'api.moby.localhost', 'socket-proxy:2375', '10.0.0.5:2375', 'docker', 'x.localhost']) {
      expect(checkTransport({ host }, [])).toBeUndefined();
    }
  });

  it('refuses dotted names that are not allowed (DNS rebinding) unless in ALLOWED_HOSTS', () => {
    expect(checkTransport({ host: 'rebind.evil.example:2375' }, [])?.rule).toBe('transport:host');
    expect(checkTransport({ host: 'proxy.internal:2375' }, ['proxy.internal'])).toBeUndefined();
  });
});

describe('PolicyEngine', () => {
  it('denies unknown routes with a reason naming the path', () => {
    const ev = engine({ CONTAINERS: '1' }).evaluate('GET', '/containersXYZ', H);
    expect(ev.decision).toMatchObject({ allow: false, rule: 'route:unknown', status: 403 });
    expect(ev.decision.reason).toContain('/containersXYZ');
  });

  it('asks for the body of container.create and inspects it', () => {
    const e = engine({ CONTAINERS: '1', POST: '1' });
    const ev = e.evaluate('POST', '/v1.41/containers/create', { ...H, 'content-type': 'application/json' });
    expect(ev.decision.allow).toBe(true);
    expect(ev.needsBody).toBe(true);
    const bad = e.inspectBody(ev, 'application/json', Buffer.from('{"Image":"x","HostConfig":{"Privileged":true}}'));
    expect(bad.allow).toBe(false);
    const good = e.inspectBody(ev, 'application/json', Buffer.from('{"Image":"x"}'));
    expect(good.allow).toBe(true);
  });

  it('refuses bodies past the size limit with 413', () => {
    const e = engine({ CONTAINERS: '1', POST: '1', MAX_BODY_BYTES: '16' });
    const ev = e.evaluate('POST', '/containers/create', H);
    const v = e.inspectBody(ev, 'application/json', Buffer.from('{"Image":"busybox:latest"}'));
    expect(v).toMatchObject({ allow: false, status: 413 });
  });

  it('refuses multipart bodies on writes too (Go form parsing could merge their fields into the query)', () => {
    const ev = engine({ IMAGES: '1', POST: '1' }).evaluate('POST', '/images/create?fromImage=ok', { ...H, 'content-type': 'multipart/form-data; boundary=x' });
    expect(ev.decision).toMatchObject({ allow: false, rule: 'body:form-encoded', status: 400 });
  });

  it('refuses form-encoded bodies on writes (Q1)', () => {
    const ev = engine({ IMAGES: '1', POST: '1' }).evaluate('POST', '/images/create?fromImage=ok', { ...H, 'content-type': 'application/x-www-form-urlencoded' });
    expect(ev.decision).toMatchObject({ allow: false, rule: 'body:form-encoded', status: 400 });
  });

  it('inspects the query of stream-bodied operations without reading the body (Q3, Q4)', () => {
    const e = engine({ IMAGES: '1', BUILD: '1', POST: '1' });
    expect(e.evaluate('POST', '/images/create?fromSrc=http://169.254.169.254/&repo=x', H).decision.allow).toBe(false);
    expect(e.evaluate('POST', '/build?networkmode=host', H).decision.allow).toBe(false);
    const ok = e.evaluate('POST', '/build?t=x', H);
    expect(ok.decision.allow).toBe(true);
    expect(ok.needsBody).toBe(false);
  });

  it('does not need the body of operations that cannot grant root', () => {
    const ev = engine({ CONTAINERS: '1', POST: '1' }).evaluate('POST', '/containers/x/start', H);
    expect(ev).toMatchObject({ needsBody: false, decision: { allow: true, operation: 'container.start', rule: 'env:CONTAINERS' } });
  });

  it('keeps the mode it was given', () => {
    expect(engine({}, 'observe').mode).toBe('observe');
  });
});
