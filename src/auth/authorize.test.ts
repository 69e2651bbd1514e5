// Tests: authorize() scopes (host, tag, all), global permissions, fail-closed cases.
import { describe, expect, it } from 'vitest';
import { authorize, type Actor, type AuthzGrant, type HostRef } from './authorize.js';
import { BUILTIN_ROLES } from './roles.js';

const hostA: HostRef = { id: 'host-a', name: 'alpha', tags: ['prod'] };
const hostB: HostRef = { id: 'host-b', name: 'bravo', tags: ['dev'] };

const grant = (role: keyof typeof BUILTIN_ROLES, scopeType: AuthzGrant['scopeType'], scopeValue: string | null = null): AuthzGrant => ({
  permissions: BUILTIN_ROLES[role], scopeType, scopeValue,
});
const user = (grants: AuthzGrant[], active = true): Actor => ({ type: 'user', id: 'u1', active, grants });

describe('authorize', () => {
  it('lets a viewer on host A read containers on A but not operate them', () => {
    const viewer = user([grant('viewer', 'host', 'host-a')]);
    expect(authorize(viewer, 'container.read', hostA).allow).toBe(true);
    const d = authorize(viewer, 'container.operate', hostA);
    expect(d.allow).toBe(false);
    expect(d.reason).toMatch(/no grant of container.operate covers host alpha/);
  });

  it('lets an operator granted on tag prod operate a prod host but not a dev host', () => {
    const op = user([grant('operator', 'tag', 'prod')]);
    expect(authorize(op, 'container.operate', hostA)).toEqual({ allow: true, reason: 'container.operate granted on tag prod' });
    expect(authorize(op, 'container.operate', hostB).allow).toBe(false);
  });

  it('does not let a grant on host A reach host B', () => {
    const admin = user([grant('admin', 'host', 'host-a')]);
    expect(authorize(admin, 'container.exec', hostA).allow).toBe(true);
    expect(authorize(admin, 'container.exec', hostB).allow).toBe(false);
    expect(authorize(admin, 'container.read', { ...hostB, name: 'host-a' }).allow).toBe(false);
  });

  it('requires a grant on all hosts for global permissions like user.manage and audit.read', () => {
    const hostAdmin = user([grant('admin', 'host', 'host-a'), grant('admin', 'tag', 'prod')]);
    expect(authorize(hostAdmin, 'user.manage').allow).toBe(false);
    expect(authorize(hostAdmin, 'audit.read', hostA).allow).toBe(false);
    const admin = user([grant('admin', 'all')]);
    expect(authorize(admin, 'user.manage').allow).toBe(true);
    expect(authorize(admin, 'audit.read', hostA).allow).toBe(true);
  });

  it('treats a call without a host as global: only grants on all hosts count', () => {
    const op = user([grant('operator', 'tag', 'prod')]);
    expect(authorize(op, 'container.read').allow).toBe(false);
    expect(authorize(user([grant('viewer', 'all')]), 'container.read').allow).toBe(true);
  });

  it('denies an unknown permission even to an admin (fail closed)', () => {
    const admin = user([{ permissions: [...BUILTIN_ROLES.admin, 'container.launch-missiles'], scopeType: 'all', scopeValue: null }]);
    const d = authorize(admin, 'container.launch-missiles', hostA);
    expect(d).toEqual({ allow: false, reason: 'unknown permission "container.launch-missiles"' });
  });

  it('denies a disabled user whatever their grants', () => {
    const d = authorize(user([grant('admin', 'all')], false), 'container.read', hostA);
    expect(d).toEqual({ allow: false, reason: 'user is disabled' });
  });

  it('denies a revoked or expired token', () => {
    const owner = user([grant('admin', 'all')]);
    const token: Actor = { type: 'token', id: 't1', active: false, grants: [grant('admin', 'all')], owner };
    expect(authorize(token, 'container.read', hostA)).toEqual({ allow: false, reason: 'token is revoked or expired' });
  });

  it('never lets a token exceed its owner, nor work once its owner is disabled', () => {
    const owner = user([grant('viewer', 'all')]);
    const token: Actor = { type: 'token', id: 't1', active: true, grants: [grant('admin', 'all')], owner };
    expect(authorize(token, 'container.read', hostA).allow).toBe(true);
    expect(authorize(token, 'container.operate', hostA).allow).toBe(false);
    const disabledOwner = { ...token, owner: user([grant('admin', 'all')], false) };
    expect(authorize(disabledOwner, 'container.read', hostA).reason).toBe('token owner: user is disabled');
  });

  it('denies a token without its owner', () => {
    const token: Actor = { type: 'token', id: 't1', active: true, grants: [grant('admin', 'all')] };
    expect(authorize(token, 'container.read', hostA).allow).toBe(false);
  });

  it('grants nothing through a host or tag grant with no scope value, or an unknown scope type', () => {
    const broken = user([
      { permissions: BUILTIN_ROLES.admin, scopeType: 'host', scopeValue: null },
      { permissions: BUILTIN_ROLES.admin, scopeType: 'tag', scopeValue: null },
      { permissions: BUILTIN_ROLES.admin, scopeType: 'everything' as AuthzGrant['scopeType'], scopeValue: null },
    ]);
    expect(authorize(broken, 'container.read', hostA).allow).toBe(false);
  });

  it('denies an actor of an unknown type', () => {
    const agent = { type: 'agent', id: 'a1', active: true, grants: [grant('admin', 'all')] } as unknown as Actor;
    expect(authorize(agent, 'container.read', hostA)).toEqual({ allow: false, reason: 'unknown actor type' });
  });
});
