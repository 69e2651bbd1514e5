// The built-in roles (viewer, operator, admin) as permission sets.
import { PERMISSIONS, type Permission } from './permissions.js';

const VIEWER: readonly Permission[] = PERMISSIONS.filter((p) => p.endsWith('.read') && p !== 'audit.read');

/** Built-in roles: viewer reads everything but the audit log, operator also starts/stops and pulls, admin holds every permission. */
export const BUILTIN_ROLES: Readonly<Record<'viewer' | 'operator' | 'admin', readonly Permission[]>> = {
  viewer: VIEWER,
  operator: [...VIEWER, 'container.operate', 'image.pull'],
  admin: [...PERMISSIONS],
};

export type BuiltinRoleName = keyof typeof BUILTIN_ROLES;

/** The names of the built-in roles (which cannot be removed or edited). */
export const BUILTIN_ROLE_NAMES: readonly BuiltinRoleName[] = ['admin', 'operator', 'viewer'];
