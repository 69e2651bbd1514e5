// Tests: the permissions table covers every policy operation; built-in roles.
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../policy/index.js';
import { NEVER_THROUGH_API, PERMISSION_OPERATIONS, PERMISSIONS, permissionForOperation } from './permissions.js';
import { BUILTIN_ROLES } from './roles.js';

describe('permissions table', () => {
  it('maps only operation names the policy engine knows', () => {
    const known = new Set(OPERATIONS);
    const used = [...Object.values(PERMISSION_OPERATIONS).flat(), ...Object.keys(NEVER_THROUGH_API)];
    expect(used.filter((op) => !known.has(op))).toEqual([]);
  });

  it('maps every policy operation to exactly one permission, or lists it as never through the API with a reason', () => {
    for (const op of OPERATIONS) {
      const owners = PERMISSIONS.filter((p) => PERMISSION_OPERATIONS[p].includes(op));
      const never = Object.hasOwn(NEVER_THROUGH_API, op);
      expect({ op, count: owners.length + (never ? 1 : 0) }).toEqual({ op, count: 1 });
      if (never) expect(NEVER_THROUGH_API[op]?.length).toBeGreaterThan(20);
    }
  });

  it('finds the permission of an operation and none for a never-through-API or unknown one', () => {
    expect(permissionForOperation('container.start')).toBe('container.operate');
    expect(permissionForOperation('container.exec.create')).toBe('container.exec');
    expect(permissionForOperation('swarm.unlockkey')).toBeUndefined();
    expect(permissionForOperation('container.teleport')).toBeUndefined();
  });

  it('keeps read permissions to operations that change nothing', () => {
    const writes = ['create', 'delete', 'update', 'start', 'stop', 'kill', 'prune', 'exec', 'attach', 'archive', 'export'];
    for (const p of PERMISSIONS.filter((x) => x.endsWith('.read'))) {
      for (const op of PERMISSION_OPERATIONS[p]) {
        expect({ p, op, write: writes.some((w) => op.split('.').includes(w)) }).toEqual({ p, op, write: false });
      }
    }
  });
});

describe('built-in roles', () => {
  it('gives viewer every read permission except audit.read', () => {
    expect([...BUILTIN_ROLES.viewer].sort()).toEqual(
      ['container.read', 'host.read', 'image.read', 'network.read', 'system.read', 'volume.read'],
    );
  });

  it('gives operator what viewer has plus container.operate and image.pull, and no exec', () => {
    expect([...BUILTIN_ROLES.operator].sort()).toEqual([...BUILTIN_ROLES.viewer, 'container.operate', 'image.pull'].sort());
    expect(BUILTIN_ROLES.operator).not.toContain('container.exec');
  });

  it('gives admin every permission', () => {
    expect([...BUILTIN_ROLES.admin].sort()).toEqual([...PERMISSIONS].sort());
  });
});
