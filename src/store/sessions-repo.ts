// Server-side sessions (keyed by the hash of their id) and API tokens (keyed by the hash of the token).
import { randomUUID } from 'node:crypto';
import { mapConflict } from './errors.js';
import type { SessionsRepo, TokensRepo } from './repositories.js';
import type { ApiTokensTable, SessionsTable } from './schema.js';
import type { Db } from './tx.js';
import type { ApiToken, Session } from './types.js';
import { nowIso } from './util.js';

function toSession(r: SessionsTable): Session {
  return {
    idHash: r.id_hash,
    userId: r.user_id,
    csrfSecret: r.csrf_secret,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    clientIp: r.client_ip,
    userAgent: r.user_agent,
    revokedAt: r.revoked_at,
  };
}

function toToken(r: ApiTokensTable): ApiToken {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    tokenHash: r.token_hash,
    prefix: r.prefix,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

/** Builds the sessions repository over `db`. */
export function sessionsRepo(db: Db): SessionsRepo {
  return {
    async create(input) {
      const created = input.createdAt ?? nowIso();
      const row: SessionsTable = {
        id_hash: input.idHash,
        user_id: input.userId,
        csrf_secret: input.csrfSecret,
        created_at: created,
        last_seen_at: created,
        expires_at: input.expiresAt,
        client_ip: input.clientIp ?? null,
        user_agent: input.userAgent ?? null,
        revoked_at: null,
      };
      await mapConflict('session id collision', () => db.insertInto('sessions').values(row).execute());
      return toSession(row);
    },
    async findByIdHash(idHash) {
      const r = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
      return r && toSession(r);
    },
    async touch(idHash, at = nowIso()) {
      const res = await db.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).where('revoked_at', 'is', null).executeTakeFirst();
      return res.numUpdatedRows > 0n;
    },
    async revoke(idHash, at = nowIso()) {
      const res = await db.updateTable('sessions').set({ revoked_at: at }).where('id_hash', '=', idHash).where('revoked_at', 'is', null).executeTakeFirst();
      return res.numUpdatedRows > 0n;
    },
    async revokeAllForUser(userId, opts = {}) {
      const res = await db
        .updateTable('sessions')
        .set({ revoked_at: opts.at ?? nowIso() })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .$if(opts.exceptIdHash !== undefined, (q) => q.where('id_hash', '!=', opts.exceptIdHash ?? ''))
        .executeTakeFirst();
      return Number(res.numUpdatedRows);
    },
    async listForUser(userId, now = nowIso()) {
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toSession);
    },
    async purgeExpired(now = nowIso()) {
      const res = await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expires_at', '<=', now), eb('revoked_at', 'is not', null)]))
        .executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}

/** Builds the API tokens repository over `db`. */
export function tokensRepo(db: Db): TokensRepo {
  return {
    async create(input) {
      const row: ApiTokensTable = {
        id: randomUUID(),
        user_id: input.userId,
        name: input.name,
        token_hash: input.tokenHash,
        prefix: input.prefix,
        expires_at: input.expiresAt ?? null,
        last_used_at: null,
        created_at: nowIso(),
        revoked_at: null,
      };
      await mapConflict('an API token with this hash already exists', () => db.insertInto('api_tokens').values(row).execute());
      return toToken(row);
    },
    async findByHash(tokenHash) {
      const r = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return r && toToken(r);
    },
    async findById(id) {
      const r = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toToken(r);
    },
    async listForUser(userId) {
      const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
      return rows.map(toToken);
    },
    async markUsed(id, at = nowIso()) {
      const res = await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).executeTakeFirst();
      return res.numUpdatedRows > 0n;
    },
    async revoke(id, at = nowIso()) {
      const res = await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return res.numUpdatedRows > 0n;
    },
  };
}
