// Roles and grants: who holds which role, on all hosts, one host, or the hosts carrying a tag.
import { randomUUID } from 'node:crypto';
import { StoreInputError, mapConflict } from './errors.js';
import type { Dialect, GrantsRepo, RolesRepo } from './repositories.js';
import type { GrantsTable, RolesTable } from './schema.js';
import { writeTransaction, type Db } from './tx.js';
import type { Grant, Role, ScopeType, SubjectType } from './types.js';
import { fromBool, nowIso, parseStringArray, toBool } from './util.js';

function toRole(r: RolesTable): Role {
  return { id: r.id, name: r.name, builtin: toBool(r.builtin), permissions: parseStringArray(r.permissions), createdAt: r.created_at };
}

function toGrant(r: GrantsTable): Grant {
  return {
    id: r.id,
    roleId: r.role_id,
    subjectType: r.subject_type as SubjectType,
    subjectId: r.subject_id,
    scopeType: r.scope_type as ScopeType,
    scopeValue: r.scope_value,
    createdAt: r.created_at,
  };
}

/** Builds the roles repository over `db`. */
export function rolesRepo(db: Db, dialect: Dialect): RolesRepo {
  return {
    async list() {
      const rows = await db.selectFrom('roles').selectAll().orderBy('name').execute();
      return rows.map(toRole);
    },
    async findByName(name) {
      const r = await db.selectFrom('roles').selectAll().where('name', '=', name).executeTakeFirst();
      return r && toRole(r);
    },
    async findById(id) {
      const r = await db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toRole(r);
    },
    async create(input) {
      const row: RolesTable = { id: randomUUID(), name: input.name, builtin: fromBool(false), permissions: JSON.stringify(input.permissions), created_at: nowIso() };
      await mapConflict('a role with this name already exists', () => db.insertInto('roles').values(row).execute());
      return toRole(row);
    },
    async setPermissions(id, permissions) {
      const res = await db.updateTable('roles').set({ permissions: JSON.stringify(permissions) }).where('id', '=', id).executeTakeFirst();
      return res.numUpdatedRows > 0n;
    },
    async remove(id) {
      return writeTransaction(db, dialect, undefined, async (trx) => {
        const role = await trx.selectFrom('roles').select('builtin').where('id', '=', id).executeTakeFirst();
        if (!role) return false;
        if (toBool(role.builtin)) throw new StoreInputError('built-in roles cannot be removed');
        await trx.deleteFrom('grants').where('role_id', '=', id).execute();
        await trx.deleteFrom('roles').where('id', '=', id).execute();
        return true;
      });
    },
  };
}

/** Builds the grants repository over `db`. */
export function grantsRepo(db: Db): GrantsRepo {
  return {
    async listForSubject(subjectType, subjectId) {
      const rows = await db
        .selectFrom('grants')
        .innerJoin('roles', 'roles.id', 'grants.role_id')
        .selectAll('grants')
        .select(['roles.name as role_name', 'roles.permissions as role_permissions'])
        .where('grants.subject_type', '=', subjectType)
        .where('grants.subject_id', '=', subjectId)
        .orderBy('grants.created_at')
        .orderBy('grants.id')
        .execute();
      return rows.map((r) => ({ ...toGrant(r), roleName: r.role_name, permissions: parseStringArray(r.role_permissions) }));
    },
    async add(input) {
      if (input.scopeType === 'all' ? input.scopeValue != null : !input.scopeValue) {
        throw new StoreInputError(input.scopeType === 'all' ? "a grant with scope 'all' takes no scope value" : `a grant with scope '${input.scopeType}' needs a scope value`);
      }
      const row: GrantsTable = {
        id: randomUUID(),
        role_id: input.roleId,
        subject_type: input.subjectType,
        subject_id: input.subjectId,
        scope_type: input.scopeType,
        scope_value: input.scopeValue ?? null,
        created_at: nowIso(),
      };
      await db.insertInto('grants').values(row).execute();
      return toGrant(row);
    },
    async remove(id) {
      const res = await db.deleteFrom('grants').where('id', '=', id).executeTakeFirst();
      return res.numDeletedRows > 0n;
    },
  };
}
