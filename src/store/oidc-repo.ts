// OIDC storage: sign-in flows in progress (single use), users by their provider subject, and grants replaced from the group mapping.
import { randomUUID } from 'node:crypto';
import { StoreInputError } from './errors.js';
import type { Dialect } from './repositories.js';
import { writeTransaction, type Db } from './tx.js';
import type { IsoTime, ScopeType } from './types.js';
import { nowIso } from './util.js';

/** A sign-in in progress: what the callback must find again. */
export interface OidcFlow {
  /** sha256 hex of the flow cookie's value. */
  idHash: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  createdAt: IsoTime;
  expiresAt: IsoTime;
}

/** A grant the group mapping hands out (a role id on a scope). */
export interface MappedGrant {
  roleId: string;
  scopeType: ScopeType;
  scopeValue: string | null;
}

export interface OidcRepo {
  createFlow(flow: Omit<OidcFlow, 'createdAt'>): Promise<void>;
  /** Removes the flow and returns it; of two concurrent calls only one gets it (single use). */
  takeFlow(idHash: string): Promise<OidcFlow | undefined>;
  /** Deletes flows past expiry; returns how many. */
  purgeFlows(now?: IsoTime): Promise<number>;
  /** The id of the user linked to this subject (`<issuer>#<sub>`). */
  userIdBySubject(subject: string): Promise<string | undefined>;
  /** Replaces every grant the user holds with `grants`, in one transaction. */
  replaceUserGrants(userId: string, grants: MappedGrant[]): Promise<void>;
}

/** Builds the OIDC repository over `db`. */
export function oidcRepo(db: Db, dialect: Dialect): OidcRepo {
  return {
    async createFlow(flow) {
      await db
        .insertInto('oidc_flows')
        .values({
          id_hash: flow.idHash, state: flow.state, nonce: flow.nonce, code_verifier: flow.codeVerifier, redirect_uri: flow.redirectUri,
          created_at: nowIso(), expires_at: flow.expiresAt,
        })
        .execute();
    },
    async takeFlow(idHash) {
      const r = await db.selectFrom('oidc_flows').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
      if (!r) return undefined;
      const res = await db.deleteFrom('oidc_flows').where('id_hash', '=', idHash).executeTakeFirst();
      if (res.numDeletedRows === 0n) return undefined;
      return {
        idHash: r.id_hash, state: r.state, nonce: r.nonce, codeVerifier: r.code_verifier, redirectUri: r.redirect_uri, createdAt: r.created_at, expiresAt: r.expires_at,
      };
    },
    async purgeFlows(now) {
      const res = await db.deleteFrom('oidc_flows').where('expires_at', '<=', now ?? nowIso()).executeTakeFirst();
      return Number(res.numDeletedRows);
    },
    async userIdBySubject(subject) {
      const r = await db.selectFrom('users').select('id').where('oidc_subject', '=', subject).executeTakeFirst();
      return r?.id;
    },
    async replaceUserGrants(userId, grants) {
      for (const g of grants) {
        if (g.scopeType === 'all' ? g.scopeValue !== null : !g.scopeValue) throw new StoreInputError(`a grant with scope '${g.scopeType}' has a wrong scope value`);
      }
      await writeTransaction(db, dialect, undefined, async (trx) => {
        await trx.deleteFrom('grants').where('subject_type', '=', 'user').where('subject_id', '=', userId).execute();
        if (grants.length === 0) return;
        const created_at = nowIso();
        await trx
          .insertInto('grants')
          .values(grants.map((g) => ({
            id: randomUUID(), role_id: g.roleId, subject_type: 'user', subject_id: userId, scope_type: g.scopeType, scope_value: g.scopeValue, created_at,
          })))
          .execute();
      });
    },
  };
}
