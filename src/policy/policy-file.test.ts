import { describe, expect, it } from 'vitest';
import { proxySettings, readSettings } from '../config/index.js';
import { matchRoute } from './parse.js';
import { loadPolicyFile, PolicyFileError } from './policy-file.js';
import { constraintsFromSettings } from './profiles.js';

const base = constraintsFromSettings(readSettings(proxySettings, {}));

async function allows(yaml: string, method: string, path: string): Promise<boolean> {
  const { profile } = await loadPolicyFile(yaml, base);
  const m = matchRoute(method, path);
  if (!m) throw new Error('no route');
  return profile.checkRoute(method, m).allow;
}

describe('policy file', () => {
  it('allows the operations it lists and denies everything else', async () => {
    const y = 'version: 1\nrules:\n  - allow: [container.list, system.ping]\n';
    expect(await allows(y, 'GET', '/containers/json')).toBe(true);
    expect(await allows(y, 'GET', '/_ping')).toBe(true);
    expect(await allows(y, 'GET', '/containers/x/json')).toBe(false);
  });

  it('applies the first matching rule, so a deny before a glob wins', async () => {
    const y = 'version: 1\nrules:\n  - deny: [container.exec.create]\n  - allow: ["container.*"]\n';
    expect(await allows(y, 'POST', '/containers/x/exec')).toBe(false);
    expect(await allows(y, 'POST', '/containers/x/start')).toBe(true);
  });

  it('never lets a glob grant secret-leaking reads: they must be named', async () => {
    expect(await allows('version: 1\nrules:\n  - allow: ["*"]\n', 'GET', '/containers/x/export')).toBe(false);
    expect(await allows('version: 1\nrules:\n  - allow: [container.export]\n', 'GET', '/containers/x/export')).toBe(true);
  });

  it('carries per-rule body constraints over the defaults', async () => {
    const y = 'version: 1\ndefaults:\n  allowPrivileged: false\nrules:\n  - allow: [container.create]\n    constraints:\n      allowBindMounts: [/srv/data]\n  - allow: [container.update]\n';
    const { profile } = await loadPolicyFile(y, base);
    expect(profile.constraintsFor('container.create').allowBindMounts).toEqual(['/srv/data']);
    expect(profile.constraintsFor('container.update').allowBindMounts).toEqual([]);
  });

  it('reads mode from the file', async () => {
    expect((await loadPolicyFile('version: 1\nmode: observe\nrules:\n  - allow: [system.ping]\n', base)).mode).toBe('observe');
  });

  it('rejects unknown operations, bad globs, unknown keys, duplicate keys and bad YAML with a clear message', async () => {
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
      await expect(loadPolicyFile(y, base)).rejects.toThrow(PolicyFileError);
      await expect(loadPolicyFile(y, base)).rejects.toThrow(re);
    }
  });
});
