// Docker hosts known to the control plane: the local socket and enrolled agents.
import { randomUUID } from 'node:crypto';
import { mapConflict } from './errors.js';
import type { Dialect, HostsRepo } from './repositories.js';
import type { HostsTable } from './schema.js';
import { writeTransaction, type Db } from './tx.js';
import type { Host, HostKind, HostPatch } from './types.js';
import { nowIso, parseStringArray } from './util.js';

function toHost(r: HostsTable): Host {
  return {
    id: r.id,
    name: r.name,
    tags: parseStringArray(r.tags),
    kind: r.kind as HostKind,
    agentTokenHash: r.agent_token_hash,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    revokedAt: r.revoked_at,
    agentPublicKey: r.agent_public_key,
    agentEnrolledAt: r.agent_enrolled_at,
    agentVersion: r.agent_version,
    agentPolicy: r.agent_policy,
  };
}

const CONFLICT = 'a host with this name (or agent token) already exists';

/** Builds the hosts repository over `db`. */
export function hostsRepo(db: Db, dialect: Dialect): HostsRepo {
  const findById = async (id: string): Promise<Host | undefined> => {
    const r = await db.selectFrom('hosts').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toHost(r);
  };
  return {
    async create(input) {
      const row: HostsTable = {
        id: randomUUID(),
        name: input.name,
        tags: JSON.stringify(input.tags ?? []),
        kind: input.kind,
        agent_token_hash: input.agentTokenHash ?? null,
        created_at: nowIso(),
        last_seen_at: null,
        revoked_at: null,
        agent_public_key: null,
        agent_enrolled_at: null,
        agent_version: null,
        agent_policy: null,
      };
      await mapConflict(CONFLICT, () => db.insertInto('hosts').values(row).execute());
      return toHost(row);
    },
    findById,
    async findByName(name) {
      const r = await db.selectFrom('hosts').selectAll().where('name', '=', name).executeTakeFirst();
      return r && toHost(r);
    },
    async findByTokenHash(hash) {
      const r = await db.selectFrom('hosts').selectAll().where('agent_token_hash', '=', hash).executeTakeFirst();
      return r && toHost(r);
    },
    async enrollKey(id, publicKey) {
      await db.updateTable('hosts').set({ agent_public_key: publicKey, agent_enrolled_at: nowIso() }).where('id', '=', id).where('agent_public_key', 'is', null).execute();
      return (await findById(id))?.agentPublicKey ?? undefined;
    },
    async list() {
      const rows = await db.selectFrom('hosts').selectAll().orderBy('name').execute();
      return rows.map(toHost);
    },
    async update(id, patch: HostPatch) {
      const set: Partial<HostsTable> = {};
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.tags !== undefined) set.tags = JSON.stringify(patch.tags);
      if (patch.agentTokenHash !== undefined) set.agent_token_hash = patch.agentTokenHash;
      if (patch.lastSeenAt !== undefined) set.last_seen_at = patch.lastSeenAt;
      if (patch.revokedAt !== undefined) set.revoked_at = patch.revokedAt;
      if (patch.agentPublicKey !== undefined) set.agent_public_key = patch.agentPublicKey;
      if (patch.agentEnrolledAt !== undefined) set.agent_enrolled_at = patch.agentEnrolledAt;
      if (patch.agentVersion !== undefined) set.agent_version = patch.agentVersion;
      if (patch.agentPolicy !== undefined) set.agent_policy = patch.agentPolicy;
      if (Object.keys(set).length === 0) return findById(id);
      const res = await mapConflict(CONFLICT, () => db.updateTable('hosts').set(set).where('id', '=', id).executeTakeFirst());
      return res.numUpdatedRows > 0n ? findById(id) : undefined;
    },
    async remove(id) {
      return writeTransaction(db, dialect, undefined, async (trx) => {
        await trx.deleteFrom('grants').where('scope_type', '=', 'host').where('scope_value', '=', id).execute();
        const res = await trx.deleteFrom('hosts').where('id', '=', id).executeTakeFirst();
        return res.numDeletedRows > 0n;
      });
    },
  };
}
