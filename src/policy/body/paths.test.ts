import { describe, expect, it } from 'vitest';
import { exposesDockerSocket, isUnder, normaliseHostPath } from './paths.js';
import { isConfinedSecurityOpt, normaliseCapability } from './security.js';

describe('host paths', () => {
  it('resolves dot segments and repeated slashes lexically', () => {
    expect(normaliseHostPath('/srv/data/../../etc//')).toBe('/etc');
    expect(normaliseHostPath('/../..')).toBe('/');
    expect(normaliseHostPath('/a/./b/')).toBe('/a/b');
    expect(normaliseHostPath('a/b')).toBeUndefined();
    expect(normaliseHostPath('')).toBeUndefined();
  });

  it('matches on path boundaries only', () => {
    expect(isUnder('/srv/data', '/srv/data')).toBe(true);
    expect(isUnder('/srv/data/x', '/srv/data')).toBe(true);
    expect(isUnder('/srv/database', '/srv/data')).toBe(false);
    expect(isUnder('/anything', '/')).toBe(true);
  });

  it('sees the Docker socket in the socket itself, its parents and any docker.sock', () => {
    for (const p of ['/var/run/docker.sock', '/run/docker.sock', '/var/run', '/var', '/run', '/', '/tmp/docker.sock', '/run/containerd']) {
      expect(exposesDockerSocket(p)).toBe(true);
    }
    for (const p of ['/srv', '/var/lib/app', '/run/user/1000', '/tmp/docker.socket']) {
      expect(exposesDockerSocket(p)).toBe(false);
    }
  });
});

describe('security options and capabilities', () => {
  it('normalises capability names', () => {
    expect(normaliseCapability(' cap_sys_admin ')).toBe('SYS_ADMIN');
    expect(normaliseCapability('Net_Admin')).toBe('NET_ADMIN');
  });

  it('accepts the legacy ":" separator like dockerd', () => {
    expect(isConfinedSecurityOpt('apparmor:docker-default')).toBe(true);
    expect(isConfinedSecurityOpt('apparmor:unconfined')).toBe(false);
    expect(isConfinedSecurityOpt('no-new-privileges:1')).toBe(true);
    expect(isConfinedSecurityOpt('label:level:s0')).toBe(true);
    expect(isConfinedSecurityOpt('label=user:')).toBe(false);
    expect(isConfinedSecurityOpt('apparmor=')).toBe(false);
    expect(isConfinedSecurityOpt('seccomp=builtin')).toBe(false);
  });
});
