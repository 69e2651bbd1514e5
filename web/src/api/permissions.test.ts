// Unit tests of the UI's permission mirror: the same scope rules as the server's authorize().
import { describe, expect, it } from 'vitest';
import { can, canSomewhere } from './permissions';
import type { Grant } from './types';

const host = { id: 'h1', name: 'web-1', tags: ['prod'] };
const grant = (permissions: string[], scopeType: Grant['scopeType'], scopeValue: string | null = null): Grant => ({
  id: 'g', role: 'r', permissions, scopeType, scopeValue,
});

describe('can', () => {
  it('allows a permission granted on all hosts, on any host and globally', () => {
    const gs = [grant(['container.operate', 'audit.read'], 'all')];
    expect(can(gs, 'container.operate', host)).toBe(true);
    expect(can(gs, 'audit.read')).toBe(true);
  });

  it('allows a host grant only on that host id, and a tag grant only on hosts with the tag', () => {
    expect(can([grant(['container.operate'], 'host', 'h1')], 'container.operate', host)).toBe(true);
    expect(can([grant(['container.operate'], 'host', 'h2')], 'container.operate', host)).toBe(false);
    expect(can([grant(['container.operate'], 'tag', 'prod')], 'container.operate', host)).toBe(true);
    expect(can([grant(['container.operate'], 'tag', 'dev')], 'container.operate', host)).toBe(false);
  });

  it('refuses global permissions from a scoped grant and refuses permissions nobody granted', () => {
    expect(can([grant(['audit.read'], 'tag', 'prod')], 'audit.read')).toBe(false);
    expect(can([grant(['container.read'], 'all')], 'container.exec', host)).toBe(false);
    expect(can([], 'container.read', host)).toBe(false);
  });

  it('reports a permission held on some host', () => {
    expect(canSomewhere([grant(['image.read'], 'host', 'h1')], 'image.read')).toBe(true);
    expect(canSomewhere([grant(['image.read'], 'host', 'h1')], 'image.pull')).toBe(false);
  });
});
