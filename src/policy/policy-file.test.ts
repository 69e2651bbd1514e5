import { describe, expect, it } from 'vitest';
import { proxySettings, readSettings } from '../config/index.js';
import { matchRoute } from './parse.js';
import { loadPolicyFile, PolicyFileError } from './policy-file.js';
import { constraintsFromSettings } from './profiles.js';

const base = constraintsFromSettings(readSettings(proxySettings, {}));

function allows(yaml: string, method: string, path: string): boolean {
  const { profile } = loadPolicyFile(yaml, base);
  const m = matchRoute(method, path);
  if (!m) throw new Error('no route');
  return profile.checkRoute(method, m).allow;
}

describe('policy file', () => {
  it('allows the operations it lists and denies everything else', () => {
    const y = 'version: 1\nrules:\n  - allow: [container.list, system.ping]\n';
    expect(allows(y, 'GET', '/containers/json')).toBe(true);
    expect(allows(y, 'GET', '/_ping')).toBe(true);
    expect(allows(y, 'GET', '/containers/x/json')).toBe(false);
  });

  it('applies the first matching rule, so a deny before a glob wins', () => {
    const y = 'version: 1\nrules:\n  - deny: [container.exec.create]\n  - allow: ["container.*"]\n';
    expect(allows(y, 'POST', '/containers/x/exec')).toBe(false);
    expect(allows(y, 'POST', '/containers/x/start')).toBe(true);
  });

  it('never lets a glob grant secret-leaking reads: they must be named', () => {
    expect(allows('version: 1\nrules:\n  - allow: ["*"]\n', 'GET', '/containers/x/export')).toBe(false);
    expect(allows('version: 1\nrules:\n  - allow: [container.export]\n', 'GET', '/containers/x/export')).toBe(true);
  });

  it('carries per-rule body constraints over the defaults', () => {
    const y = 'version: 1\ndefaults:\n  allowPrivileged: false\nrules:\n  - allow: [container.create]\n    constraints:\n      allowBindMounts: [/srv/data]\n  - allow: [container.update]\n';
    const { profile } = loadPolicyFile(y, base);
    expect(profile.constraintsFor('container.create').allowBindMounts).toEqual(['/srv/data']);
    expect(profile.constraintsFor('container.update').allowBindMounts).toEqual([]);
  });

  it('reads mode from the file', () => {
    expect(loadPolicyFile('version: 1\nmode: observe\nrules:\n  - allow: [system.ping]\n', base).mode).toBe('observe');
  });

  it('rejects unknown operations, bad globs, unknown keys, duplicate keys and bad YAML with a clear message', () => {
    const bad: [string, RegExp][] = [
      ['version: 1\nrules:\n  - allow: [container.lisst]\n', /unknown operation "container.lisst"/],
      ['version: 1\nrules:\n  - allow: ["contain*"]\n', /\* may only follow a dot/],
      ['version: 1\nrules:\n  - allow: ["nothing.*"]\n', /matches no operation/],
      ['version: 1\nrulez: []\n', /rules|Unrecognized/],
      ['version: 2\nrules:\n  - allow: [system.ping]\n', /version/],
      ['version: 1\nrules:\n  - allow: [system.ping]\n    deny: [system.info]\n', /exactly one of allow or deny/],
      ['version: 1\nversion: 1\nrules:\n  - allow: [system.ping]\n', /not valid YAML/],
      ['version: 1\nrules: [\n', /not valid YAML/],
      ['version: 1\ndefaults:\n  allowBindMounts: [relative/path]\nrules:\n  - allow: [system.ping]\n', /absolute/],
    ];
    for (const [y, re] of bad) {
      expect(() => loadPolicyFile(y, base)).toThrow(PolicyFileError);
      expect(() => loadPolicyFile(y, base)).toThrow(re);
    }
  });
});
