import { describe, expect, it } from 'vitest';
import { proxySettings, readSettings } from '../config/index.js';
import { matchRoute, parseTarget } from './parse.js';
import { envProfile, namedProfile } from './profiles.js';
import { tecnativaAllows } from './tecnativa.js';

function settings(env: Record<string, string> = {}) {
  return readSettings(proxySettings, env);
}

function check(env: Record<string, string>, method: string, target: string): string {
  const p = parseTarget(method, target);
  if (!p.ok) return 'refused';
  const m = matchRoute(method, p.request.path);
  if (!m) return 'no-route';
  const v = envProfile(settings(env)).checkRoute(method, m);
  return v.allow ? 'allow' : `deny:${v.rule}`;
}

describe('env profile (tecnativa-compatible)', () => {
  it('allows only EVENTS, PING and VERSION by default', () => {
    expect(check({}, 'GET', '/_ping')).toBe('allow');
    expect(check({}, 'HEAD', '/_ping')).toBe('allow');
    expect(check({}, 'GET', '/v1.41/version')).toBe('allow');
    expect(check({}, 'GET', '/events')).toBe('allow');
    expect(check({}, 'GET', '/containers/json')).toBe('deny:env:CONTAINERS');
    expect(check({}, 'GET', '/info')).toBe('deny:env:INFO');
  });

  it('lets POST=0 pass only GET and HEAD, whatever the section says', () => {
    expect(check({ CONTAINERS: '1' }, 'GET', '/containers/json')).toBe('allow');
    expect(check({ CONTAINERS: '1' }, 'POST', '/containers/x/start')).toBe('deny:env:POST');
    expect(check({ CONTAINERS: '1' }, 'DELETE', '/containers/x')).toBe('deny:env:POST');
  });

  it('gives every method to enabled sections with POST=1, and nothing new with POST=1 alone', () => {
    expect(check({ CONTAINERS: '1', POST: '1' }, 'DELETE', '/containers/x')).toBe('allow');
    expect(check({ NETWORKS: '1', POST: '1' }, 'POST', '/networks/create')).toBe('allow');
    expect(check({ POST: '1' }, 'POST', '/containers/create')).toBe('deny:env:CONTAINERS');
    expect(check({ POST: '1' }, 'POST', '/images/create')).toBe('deny:env:IMAGES');
  });

  it('keeps ALLOW_START/STOP/RESTARTS inert without POST=1 (tecnativa issue #101)', () => {
    expect(check({ ALLOW_START: '1' }, 'POST', '/containers/x/start')).toBe('deny:env:POST');
    expect(check({ ALLOW_START: '1', POST: '1' }, 'POST', '/containers/x/start')).toBe('allow');
    expect(check({ ALLOW_START: '1', POST: '1' }, 'POST', '/containers/x/stop')).toBe('deny:env:CONTAINERS');
    expect(check({ ALLOW_RESTARTS: '1', POST: '1' }, 'POST', '/containers/x/kill')).toBe('allow');
    expect(check({ ALLOW_RESTARTS: '1', POST: '1' }, 'POST', '/containers/x/stop')).toBe('allow');
    expect(check({ ALLOW_STOP: '1', POST: '1' }, 'POST', '/containers/x/restart')).toBe('deny:env:CONTAINERS');
  });

  it('does not let ALLOW_START reach exec-create hidden behind a start-like name (P7)', () => {
    expect(check({ ALLOW_START: '1', POST: '1' }, 'POST', '/v1.45/containers/web/start/exec')).toBe('deny:env:CONTAINERS');
    expect(tecnativaAllows('POST', '/v1.45/containers/web/start/exec', settings({ ALLOW_START: '1', POST: '1' }))).toBe(true);
  });

  it('reads booleans as HAProxy does: 1, 01, 2, 1x true; true, yes, empty false', () => {
    for (const v of ['1', '01', '2', '1x', '-1']) expect(check({ CONTAINERS: v }, 'GET', '/containers/json')).toBe('allow');
    for (const v of ['0', 'true', 'yes', 'on', '', ' 1']) expect(check({ CONTAINERS: v }, 'GET', '/containers/json')).toBe('deny:env:CONTAINERS');
  });

  it('needs its own switch for reads that leak secrets (R1, R2, R5, R6, R7)', () => {
    expect(check({ SWARM: '1' }, 'GET', '/swarm')).toBe('deny:switch:ALLOW_SWARM_SECRETS');
    expect(check({ SWARM: '1', ALLOW_SWARM_SECRETS: '1' }, 'GET', '/swarm')).toBe('allow');
    expect(check({ SWARM: '1' }, 'GET', '/swarm/unlockkey')).toBe('deny:switch:ALLOW_SWARM_SECRETS');
    expect(check({ IMAGES: '1' }, 'GET', '/images/get?names=x')).toBe('deny:switch:ALLOW_EXPORT');
    expect(check({ IMAGES: '1' }, 'GET', '/images/x/get')).toBe('deny:switch:ALLOW_EXPORT');
    expect(check({ CONTAINERS: '1' }, 'GET', '/containers/x/export')).toBe('deny:switch:ALLOW_EXPORT');
    expect(check({ CONTAINERS: '1' }, 'GET', '/containers/x/archive?path=/etc/shadow')).toBe('deny:switch:ALLOW_ARCHIVE_READ');
    expect(check({ CONTAINERS: '1' }, 'HEAD', '/containers/x/archive?path=/')).toBe('deny:switch:ALLOW_ARCHIVE_READ');
    expect(check({ CONTAINERS: '1', ALLOW_ARCHIVE_READ: '1' }, 'GET', '/containers/x/archive?path=/')).toBe('allow');
  });

  it('treats attach/ws as a write: it needs ALLOW_ATTACH_WS and POST=1 (U4)', () => {
    expect(check({ CONTAINERS: '1' }, 'GET', '/v1.41/containers/x/attach/ws?stream=1')).toBe('deny:switch:ALLOW_ATTACH_WS');
    expect(check({ CONTAINERS: '1', ALLOW_ATTACH_WS: '1' }, 'GET', '/containers/x/attach/ws')).toBe('deny:env:POST');
    expect(check({ CONTAINERS: '1', ALLOW_ATTACH_WS: '1', POST: '1' }, 'GET', '/containers/x/attach/ws')).toBe('allow');
  });

  it('keeps EXEC for /exec routes and CONTAINERS for exec-create, as tecnativa does', () => {
    expect(check({ CONTAINERS: '1', POST: '1' }, 'POST', '/containers/x/exec')).toBe('allow');
    expect(check({ CONTAINERS: '1', POST: '1' }, 'POST', '/exec/x/start')).toBe('deny:env:EXEC');
    expect(check({ EXEC: '1', POST: '1' }, 'POST', '/exec/x/start')).toBe('allow');
  });
});

describe('named profiles', () => {
  const s = settings();
  function named(name: 'read-only' | 'operator' | 'full', method: string, path: string): boolean {
    const m = matchRoute(method, path);
    if (!m) throw new Error(`no route ${method} ${path}`);
    return namedProfile(name, s).checkRoute(method, m).allow;
  }

  it('read-only allows reads and nothing that writes or executes', () => {
    expect(named('read-only', 'GET', '/containers/json')).toBe(true);
    expect(named('read-only', 'GET', '/containers/x/logs')).toBe(true);
    expect(named('read-only', 'POST', '/containers/x/start')).toBe(false);
    expect(named('read-only', 'POST', '/containers/x/exec')).toBe(false);
    expect(named('read-only', 'GET', '/swarm')).toBe(false);
  });

  it('operator adds lifecycle actions but not create, exec or delete', () => {
    expect(named('operator', 'POST', '/containers/x/restart')).toBe(true);
    expect(named('operator', 'POST', '/containers/create')).toBe(false);
    expect(named('operator', 'POST', '/containers/x/exec')).toBe(false);
    expect(named('operator', 'DELETE', '/containers/x')).toBe(false);
  });

  it('full allows every route but still needs the secret switches', () => {
    expect(named('full', 'POST', '/containers/create')).toBe(true);
    expect(named('full', 'POST', '/plugins/pull')).toBe(true);
    expect(named('full', 'GET', '/swarm/unlockkey')).toBe(false);
  });
});

describe('tecnativaAllows', () => {
  it('reproduces the prefix, case-insensitive and url_dec quirks', () => {
    const s = settings({ CONTAINERS: '1' });
    expect(tecnativaAllows('GET', '/containersXYZ', s)).toBe(true);
    expect(tecnativaAllows('GET', '/CONTAINERS/json', s)).toBe(true);
    expect(tecnativaAllows('GET', '/v%31.41/containers/json', s)).toBe(true);
    expect(tecnativaAllows('GET', '//containers/json', s)).toBe(false);
    expect(tecnativaAllows('POST', '/containers/create', s)).toBe(false);
    expect(tecnativaAllows('GET', '/version_x', settings())).toBe(true);
  });
});

describe('every section variable', () => {
  const sample: Record<string, [string, string]> = {
    AUTH: ['POST', '/auth'], BUILD: ['POST', '/build/prune'], COMMIT: ['POST', '/commit'], CONFIGS: ['GET', '/configs'],
    CONTAINERS: ['GET', '/containers/json'], DISTRIBUTION: ['GET', '/distribution/busybox/json'], EVENTS: ['GET', '/events'],
    EXEC: ['GET', '/exec/x/json'], GRPC: ['POST', '/grpc'], IMAGES: ['GET', '/images/json'], INFO: ['GET', '/info'],
    NETWORKS: ['GET', '/networks'], NODES: ['GET', '/nodes'], PING: ['GET', '/_ping'], PLUGINS: ['GET', '/plugins'],
    SECRETS: ['GET', '/secrets'], SERVICES: ['GET', '/services'], SESSION: ['POST', '/session'], SWARM: ['POST', '/swarm/leave'],
    SYSTEM: ['GET', '/system/df'], TASKS: ['GET', '/tasks'], VERSION: ['GET', '/version'], VOLUMES: ['GET', '/volumes'],
  };
  for (const [v, [method, path]] of Object.entries(sample)) {
    it(`${v} alone opens ${method} ${path}, and 0 closes it`, () => {
      const post = method === 'GET' ? {} : { POST: '1' };
      const off = { EVENTS: '0', PING: '0', VERSION: '0', ...post };
      expect(check({ ...off, [v]: '1' }, method, path)).toBe('allow');
      expect(check({ ...off, [v]: '0' }, method, path)).toBe(`deny:env:${v}`);
    });
  }
});
