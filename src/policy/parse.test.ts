import { describe, expect, it } from 'vitest';
import { cleanPath, decodeOnce, matchRoute, parseTarget } from './parse.js';

function op(method: string, target: string): string | undefined {
  const p = parseTarget(method, target);
  if (!p.ok) return `refused:${p.status}:${p.rule}`;
  return matchRoute(method, p.request.path)?.spec.operation;
}

describe('parseTarget', () => {
  it('strips a dockerd version prefix and keeps the query', () => {
    const p = parseTarget('GET', '/v1.41/containers/json?all=1&filters=%7B%7D');
    expect(p.ok && p.request).toMatchObject({ path: '/containers/json', version: '1.41', rawQuery: 'all=1&filters=%7B%7D' });
    expect(p.ok && p.request.query.get('filters')).toBe('{}');
  });

  it('accepts lenient versions dockerd accepts (1.45., 01.41, 1)', () => {
    for (const v of ['1.45.', '01.41', '1', '1.41.0']) {
      const p = parseTarget('POST', `/v${v}/containers/create`);
      expect(p.ok && p.request.path).toBe('/containers/create');
    }
  });

  it('classifies /v1.45./containers/create as container.create (P1)', () => {
    expect(op('POST', '/v1.45./containers/create')).toBe('container.create');
  });

  it('decodes the path exactly once (P3)', () => {
    expect(op('GET', '/v1.41/containers%2Fjson')).toBe('container.list');
    expect(op('GET', '/v%31.41/containers/json')).toBe('container.list');
    // %252F decodes once to the literal "%2F": a container name, not a separator.
    expect(op('GET', '/containers/a%252Fb/json')).toBe('container.inspect');
  });

  it('refuses invalid escapes, control bytes and NUL (P3)', () => {
    expect(op('GET', '/containers/%zz/json')).toBe('refused:400:parse:escape');
    expect(op('GET', '/containers/a%00b/json')).toBe('refused:400:parse:control');
    expect(op('GET', '/containers/a%0d%0ab/json')).toBe('refused:400:parse:control');
    expect(op('GET', '/containers/%ff/json')).toBe('refused:400:parse:escape');
  });

  it('refuses non-canonical paths dockerd would redirect (P2)', () => {
    for (const t of ['//containers/json', '/./containers/json', '/containers/x/../json', '/v1.45/containers/x/json/../../../secrets', '/containers/%2e%2e/json']) {
      expect(op('GET', t)).toBe('refused:403:parse:non-canonical');
    }
  });

  it('refuses absolute-form targets (P4)', () => {
    expect(op('GET', 'http://evil/containers/json')).toBe('refused:400:parse:target-form');
  });

  it('refuses semicolons and bad escapes in the query', () => {
    expect(op('GET', '/containers/json?all=1;x=2')).toBe('refused:400:parse:query');
    expect(op('GET', '/containers/json?all=%zz')).toBe('refused:400:parse:query');
  });

  it('refuses overlong targets', () => {
    expect(op('GET', `/containers/${'a'.repeat(9000)}/json`)).toBe('refused:414:parse:target-too-long');
  });
});

describe('matchRoute', () => {
  it('prefers /containers/json over /containers/{name}/json as dockerd does', () => {
    expect(op('GET', '/containers/json')).toBe('container.list');
    expect(op('GET', '/containers/abc/json')).toBe('container.inspect');
  });

  it('classifies by suffix so names with slashes resolve like gorilla/mux (P6, P7)', () => {
    expect(op('GET', '/v1.45/containers/web/db/archive')).toBe('container.archive.get');
    expect(op('POST', '/v1.45/containers/web/start/exec')).toBe('container.exec.create');
  });

  it('is case-sensitive and prefix-exact (P5)', () => {
    expect(op('GET', '/CONTAINERS/json')).toBeUndefined();
    expect(op('GET', '/containersXYZ')).toBeUndefined();
    expect(op('GET', '/version_x')).toBeUndefined();
    expect(op('get', '/_ping')).toBeUndefined();
    expect(op('FOO', '/containers/json')).toBeUndefined();
  });

  it('knows HEAD only on /_ping and archive (P9)', () => {
    expect(op('HEAD', '/_ping')).toBe('system.ping');
    expect(op('HEAD', '/containers/x/archive')).toBe('container.archive.stat');
    expect(op('HEAD', '/containers/json')).toBeUndefined();
    expect(op('OPTIONS', '/containers/create')).toBeUndefined();
  });

  it('never routes /debug or libpod paths', () => {
    expect(op('GET', '/debug/pprof/heap')).toBeUndefined();
    expect(op('GET', '/debug/vars')).toBeUndefined();
    expect(op('GET', '/libpod/containers/json')).toBeUndefined();
  });

  it('matches single-segment ids only where dockerd uses {id}', () => {
    expect(op('GET', '/services/abc')).toBe('service.inspect');
    expect(op('GET', '/services/a/b')).toBeUndefined();
    expect(op('DELETE', '/containers/a/b')).toBe('container.delete');
  });

  it('routes exec, images, networks, swarm and plugins', () => {
    expect(op('POST', '/exec/abc/start')).toBe('exec.start');
    expect(op('GET', '/images/get')).toBe('image.export');
    expect(op('GET', '/images/library/busybox/json')).toBe('image.inspect');
    expect(op('GET', '/networks/')).toBe('network.list');
    expect(op('GET', '/swarm')).toBe('swarm.inspect');
    expect(op('GET', '/swarm/unlockkey')).toBe('swarm.unlockkey');
    expect(op('POST', '/plugins/pull')).toBe('plugin.pull');
    expect(op('GET', '/attach/ws')).toBeUndefined();
  });
});

describe('helpers', () => {
  it('cleanPath follows Go path.Clean and keeps a trailing slash', () => {
    expect(cleanPath('/a//b/./c/../d/')).toBe('/a/b/d/');
    expect(cleanPath('/../x')).toBe('/x');
    expect(cleanPath('')).toBe('/');
  });

  it('decodeOnce treats + literally, as Go does in paths', () => {
    expect(decodeOnce('/a+b%20c')).toBe('/a+b c');
  });
});
