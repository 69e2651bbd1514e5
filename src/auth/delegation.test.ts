// Tests: the privilege-escalation guard on grants.
import { describe, expect, it } from 'vitest';
import type { Actor, AuthzGrant } from './authorize.js';
import { canDelegate } from './delegation.js';
import { BUILTIN_ROLES } from './roles.js';

const g = (role: keyof typeof BUILTIN_ROLES, scopeType: AuthzGrant['scopeType'], scopeValue: string | null = null): AuthzGrant => ({
  permissions: BUILTIN_ROLES[role], scopeType, scopeValue,
});
const actor = (...grants: AuthzGrant[]): Actor => ({ type: 'user', id: 'u', active: true, grants });
const prodHost = { id: 'h1', name: 'web-1', tags: ['prod'] };

describe('canDelegate', () => {
  it('lets an admin on all hosts grant any role anywhere', () => {
    const a = actor(g('admin', 'all'));
    expect(canDelegate(a, BUILTIN_ROLES.admin, { scopeType: 'all', scopeValue: null }).allow).toBe(true);
    expect(canDelegate(a, BUILTIN_ROLES.operator, { scopeType: 'tag', scopeValue: 'prod' }).allow).toBe(true);
  });

  it('refuses a permission the granter lacks (an operator cannot hand out exec)', () => {
    const a = actor(g('operator', 'all'));
    const d = canDelegate(a, BUILTIN_ROLES.admin, { scopeType: 'host', scopeValue: 'h1', host: prodHost });
    expect(d.allow).toBe(false);
    expect(d.reason).toMatch(/^cannot grant container\.exec/);
  });

  it('refuses widening a scope: a grant on one host or tag cannot be handed out on all hosts', () => {
    const a = actor(g('admin', 'tag', 'prod'));
    expect(canDelegate(a, BUILTIN_ROLES.viewer, { scopeType: 'all', scopeValue: null }).allow).toBe(false);
    expect(canDelegate(a, BUILTIN_ROLES.viewer, { scopeType: 'tag', scopeValue: 'prod' }).allow).toBe(true);
    expect(canDelegate(a, BUILTIN_ROLES.viewer, { scopeType: 'tag', scopeValue: 'dev' }).allow).toBe(false);
    expect(canDelegate(a, BUILTIN_ROLES.viewer, { scopeType: 'host', scopeValue: 'h1', host: prodHost }).allow).toBe(true);
    const onHost = actor(g('admin', 'host', 'h1'));
    expect(canDelegate(onHost, BUILTIN_ROLES.viewer, { scopeType: 'tag', scopeValue: 'prod' }).allow).toBe(false);
  });

  it('refuses a host target without the host record, and unknown permissions', () => {
    const a = actor(g('admin', 'all'));
    expect(canDelegate(a, ['container.read'], { scopeType: 'host', scopeValue: 'h1' }).allow).toBe(false);
    expect(canDelegate(a, ['container.read'], { scopeType: 'host', scopeValue: 'h2', host: prodHost }).allow).toBe(false);
    expect(canDelegate(a, ['docker.root'], { scopeType: 'all', scopeValue: null })).toEqual({ allow: false, reason: 'unknown permission "docker.root"' });
  });

  it('refuses everything for a disabled granter', () => {
    const a: Actor = { ...actor(g('admin', 'all')), active: false };
    expect(canDelegate(a, ['container.read'], { scopeType: 'all', scopeValue: null }).allow).toBe(false);
  });
});
