// The audit log: append-only, hash-chained records written in one serialised transaction each.
import { canonicalJson } from './canonical-json.js';
import {
  ACTOR_TYPES, AUDIT_RESULTS, GENESIS_HASH, MAX_AUDIT_DETAILS, assertNoSecrets, auditHash, checkRow, cleanOptionalText,
  cleanText, parseDetails, rowToAuditRecord,
} from './audit-chain.js';
import { StoreInputError } from './errors.js';
import type { AuditRepo, Dialect } from './repositories.js';
import type { AuditLogTable } from './schema.js';
import { LOCKS, writeTransaction, type Db } from './tx.js';
import type { AuditFilters, AuditInput, AuditRecord, AuditVerifyResult } from './types.js';
import { nowIso, toIso } from './util.js';

/** Most records one list() call returns. */
export const MAX_AUDIT_PAGE = 1000;
const DEFAULT_AUDIT_PAGE = 100;
/** Rows read per query while walking the whole log (verify, export). */
const WALK_PAGE = 1000;

function prepareDetails(details: unknown): string {
  if (details === null || typeof details !== 'object' || Array.isArray(details)) throw new StoreInputError('audit details must be a JSON object');
  assertNoSecrets(details);
  let text: string;
  try {
    text = canonicalJson(details);
  } catch (err) {
    throw new StoreInputError(`audit details are not plain JSON: ${(err as Error).message}`);
  }
  if (text.length > MAX_AUDIT_DETAILS) throw new StoreInputError(`audit details exceed ${MAX_AUDIT_DETAILS} characters`);
  return text;
}

function recordTime(v: string): string {
  try {
    return toIso(v, 'time');
  } catch {
    throw new StoreInputError('audit time is not a valid date-time');
  }
}

function checkSeqBound(v: number | undefined, name: string): void {
  if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw new StoreInputError(`audit filter ${name} must be a non-negative integer`);
}

function isoFilter(v: string | undefined, name: string): string | undefined {
  if (v === undefined) return undefined;
  try {
    return toIso(v, name);
  } catch {
    throw new StoreInputError(`audit filter ${name} is not a valid date-time`);
  }
}

/** Builds the audit repository over `db`. */
export function auditRepo(db: Db, dialect: Dialect): AuditRepo {
  async function readHead(): Promise<{ seq: number; hash: string } | undefined> {
    const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
    return head ? { seq: Number(head.seq), hash: head.hash } : undefined;
  }

  async function* walk(maxSeq: number | undefined): AsyncGenerator<AuditLogTable> {
    let after: number | undefined;
    for (;;) {
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .$if(after !== undefined, (q) => q.where('seq', '>', after ?? 0))
        .$if(maxSeq !== undefined, (q) => q.where('seq', '<=', maxSeq ?? 0))
        .orderBy('seq', 'asc')
        .limit(WALK_PAGE)
        .execute();
      for (const row of rows) yield row;
      if (rows.length < WALK_PAGE) return;
      after = Number(rows[rows.length - 1]!.seq);
    }
  }

  return {
    async append(input: AuditInput): Promise<AuditRecord> {
      if (!ACTOR_TYPES.includes(input.actorType)) throw new StoreInputError('audit actorType must be user, token, agent or system');
      if (!AUDIT_RESULTS.includes(input.result)) throw new StoreInputError('audit result must be success, denied or error');
      const detailsText = prepareDetails(input.details ?? {});
      const details = parseDetails(detailsText) ?? {};
      const fields = {
        time: input.time === undefined ? nowIso() : recordTime(input.time),
        actor: cleanText(input.actor),
        actor_type: input.actorType,
        client_ip: cleanOptionalText(input.clientIp),
        user_agent: cleanOptionalText(input.userAgent),
        action: cleanText(input.action),
        target: cleanOptionalText(input.target),
        result: input.result,
      };
      return writeTransaction(db, dialect, LOCKS.audit, async (trx) => {
        const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
        const prevHash = head?.hash ?? GENESIS_HASH;
        const seq = (head ? Number(head.seq) : 0) + 1;
        const hash = auditHash(prevHash, { ...fields, seq, details });
        await trx.insertInto('audit_log').values({ ...fields, seq, details: detailsText, prev_hash: prevHash, hash }).execute();
        if (head) await trx.updateTable('audit_head').set({ seq, hash }).where('id', '=', 1).execute();
        else await trx.insertInto('audit_head').values({ id: 1, seq, hash }).execute();
        return rowToAuditRecord({ ...fields, seq, details: detailsText, prev_hash: prevHash, hash });
      });
    },

    async list(filters: AuditFilters = {}): Promise<AuditRecord[]> {
      const limit = filters.limit ?? DEFAULT_AUDIT_PAGE;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) throw new StoreInputError(`audit filter limit must be 1..${MAX_AUDIT_PAGE}`);
      checkSeqBound(filters.afterSeq, 'afterSeq');
      checkSeqBound(filters.beforeSeq, 'beforeSeq');
      const since = isoFilter(filters.since, 'since');
      const until = isoFilter(filters.until, 'until');
      const { actor, action, result, afterSeq, beforeSeq } = filters;
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .$if(actor !== undefined, (q) => q.where('actor', '=', actor ?? ''))
        .$if(action !== undefined, (q) => q.where('action', '=', action ?? ''))
        .$if(result !== undefined, (q) => q.where('result', '=', result ?? ''))
        .$if(since !== undefined, (q) => q.where('time', '>=', since ?? ''))
        .$if(until !== undefined, (q) => q.where('time', '<', until ?? ''))
        .$if(afterSeq !== undefined, (q) => q.where('seq', '>', afterSeq ?? 0))
        .$if(beforeSeq !== undefined, (q) => q.where('seq', '<', beforeSeq ?? 0))
        .orderBy('seq', filters.order === 'desc' ? 'desc' : 'asc')
        .limit(limit)
        .execute();
      return rows.map(rowToAuditRecord);
    },

    async *exportLines(): AsyncIterable<string> {
      for await (const row of walk(undefined)) {
        const line = {
          seq: Number(row.seq),
          time: row.time,
          actor: row.actor,
          actor_type: row.actor_type,
          client_ip: row.client_ip,
          user_agent: row.user_agent,
          action: row.action,
          target: row.target,
          result: row.result,
          details: parseDetails(row.details) ?? row.details,
          prev_hash: row.prev_hash,
          hash: row.hash,
        };
        yield `${canonicalJson(line)}\n`;
      }
    },

    async verify(): Promise<AuditVerifyResult> {
      // Read the head first: records up to it are committed (head and record share a transaction),
      // and appends that land while we walk are simply beyond it.
      const head = await readHead();
      let expected = 1;
      let prevHash = GENESIS_HASH;
      if (head) {
        for await (const row of walk(head.seq)) {
          const reason = checkRow(row, expected, prevHash);
          if (reason !== undefined) return { ok: false, badSeq: expected, reason };
          prevHash = row.hash;
          expected += 1;
        }
      }
      const last = expected - 1;
      const headSeq = head?.seq ?? 0;
      if (last < headSeq) return { ok: false, badSeq: expected, reason: `records ${expected}..${headSeq} are missing from the end of the log` };
      if (head && head.hash !== prevHash) return { ok: false, badSeq: last, reason: `record ${last} differs from the recorded chain head` };
      const stray = await db.selectFrom('audit_log').select('seq').where('seq', '>', headSeq).orderBy('seq', 'asc').limit(1).executeTakeFirst();
      if (stray) {
        const again = await readHead();
        if ((again?.seq ?? 0) === headSeq) {
          return { ok: false, badSeq: Number(stray.seq), reason: `record ${Number(stray.seq)} was not written by append (it lies beyond the chain head)` };
        }
      }
      return { ok: true, count: last };
    },
  };
}
