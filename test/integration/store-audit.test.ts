// The audit log on SQLite and PostgreSQL: one chain under concurrency, tampering named by seq, crash safety, safe filters.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, MAX_AUDIT_DETAILS, StoreInputError, auditHash, openDatabase, type AuditInput, type AuditResult, type Store } from '../../src/store/index.js';
import { storeFactories } from '../helpers/postgres.js';

const CHILD = fileURLToPath(new URL('../helpers/audit-writer-child.ts', import.meta.url));
const factories = storeFactories();
afterAll(async () => {
  await Promise.all(factories.map((f) => f.cleanup()));
});

const rec = (over: Partial<AuditInput> = {}): AuditInput => ({ actor: 'alice', actorType: 'user', action: 'auth.login', result: 'success', ...over });

/** Runs SQL statements on the database behind the store's back (the attacker's view). */
async function rawExec(url: string, statements: string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length));
    try {
      for (const s of statements) out.push(s.trim().toLowerCase().startsWith('select') ? db.prepare(s).all() : db.prepare(s).run());
    } finally {
      db.close();
    }
    return out;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of statements) out.push((await client.query(s)).rows);
  } finally {
    await client.end();
  }
  return out;
}

async function rowCount(url: string): Promise<number> {
  const [rows] = (await rawExec(url, ['select count(*) as n from audit_log'])) as [{ n: number | string }[]];
  return Number(rows[0]!.n);
}

/** Empties the audit log (records and chain head) behind the store's back, for the next test. */
async function resetAudit(url: string): Promise<void> {
  await rawExec(url, ['delete from audit_log', 'delete from audit_head']);
}

async function seed(store: Store, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) await store.audit.append(rec({ actor: `user${i}`, target: `t${i}`, details: { i } }));
}

/** Writes a valid chain of `n` records straight into the tables (much faster than n appends). */
async function bulkChain(url: string, n: number): Promise<void> {
  const statements: string[] = [];
  let prev = GENESIS_HASH;
  let values: string[] = [];
  const time = '2030-01-01T00:00:00.000Z';
  for (let seq = 1; seq <= n; seq++) {
    const fields = { seq, time, actor: 'bulk', actor_type: 'system', client_ip: null, user_agent: null, action: 'bulk.test', target: null, result: 'success', details: { i: seq } };
    const hash = auditHash(prev, fields);
    values.push(`(${seq}, '${time}', 'bulk', 'system', 'bulk.test', 'success', '{"i":${seq}}', '${prev}', '${hash}')`);
    prev = hash;
    if (values.length === 500 || seq === n) {
      statements.push(`insert into audit_log (seq, time, actor, actor_type, action, result, details, prev_hash, hash) values ${values.join(',')}`);
      values = [];
    }
  }
  statements.push(`insert into audit_head (id, seq, hash) values (1, ${n}, '${prev}')`);
  await rawExec(url, statements);
}

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the writer child; `killAfterReadyMs` SIGKILLs it that long after its first append. */
function runChild(url: string, mode: string, actor: string, killAfterReadyMs?: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, mode, actor], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (killAfterReadyMs !== undefined && stdout.includes('ready')) {
        setTimeout(() => child.kill('SIGKILL'), killAfterReadyMs);
        killAfterReadyMs = undefined;
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe.each(factories)('audit log on $name', (f) => {
  describe.skipIf(f.skip)(f.name, () => {
    let url = '';
    let store: Store;
    beforeAll(async () => {
      url = await f.newUrl();
      store = await openDatabase(url);
      await store.migrate();
    });
    afterAll(async () => {
      await store?.close();
    });
    beforeEach(async () => {
      await resetAudit(url);
    });

    it('chains records from the genesis hash and verifies them', async () => {
      expect(await store.audit.verify()).toEqual({ ok: true, count: 0 });
      const a = await store.audit.append(rec({ clientIp: '127.0.0.1', userAgent: 'curl/8', target: 'user:alice', details: { method: 'password', n: 1 } }));
      const b = await store.audit.append(rec({ result: 'denied', actorType: 'token', actor: 'tok-1', details: {} }));
      expect(a).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, clientIp: '127.0.0.1', details: { method: 'password', n: 1 } });
      expect(b).toMatchObject({ seq: 2, prevHash: a.hash, target: null, clientIp: null });
      const { seq, time, actor, actorType, clientIp, userAgent, action, target, result, details } = a;
      expect(a.hash).toBe(
        auditHash(GENESIS_HASH, { seq, time, actor, actor_type: actorType, client_ip: clientIp, user_agent: userAgent, action, target, result, details }),
      );
      expect(await store.audit.list()).toEqual([a, b]);
      expect(await store.audit.verify()).toEqual({ ok: true, count: 2 });
    });

    it('refuses secrets in details and writes nothing', async () => {
      await expect(store.audit.append(rec({ details: { password: 'hunter2' } }))).rejects.toBeInstanceOf(StoreInputError);
      await expect(store.audit.append(rec({ details: { headers: { Cookie: 'sid=1' } } }))).rejects.toThrow(/details\.headers\.Cookie/);
      await expect(store.audit.append(rec({ details: { note: `pct_${'x'.repeat(43)}` } }))).rejects.toThrow(/API token/);
      await expect(store.audit.append(rec({ actorType: 'root' as 'user' }))).rejects.toBeInstanceOf(StoreInputError);
      await expect(store.audit.append(rec({ time: 'yesterday' }))).rejects.toBeInstanceOf(StoreInputError);
      expect(await store.audit.verify()).toEqual({ ok: true, count: 0 });
      const ok = await store.audit.append(rec({ details: { password: '[redacted]', tokenPrefix: '[redacted]' } }));
      expect(ok.seq).toBe(1);
    });

    it('stores hostile text (NUL, lone surrogates, very long) so that the chain still verifies', async () => {
      const r = await store.audit.append(rec({ userAgent: `evil\u0000agent\ud800${'x'.repeat(5000)}`, target: 'a\udc00b', details: { s: '\u0000\ud800' } }));
      expect(r.userAgent!.startsWith('evil\uFFFDagent\uFFFD')).toBe(true);
      expect(r.userAgent!.length).toBe(1024);
      expect((await store.audit.list())[0]).toEqual(r);
      expect(await store.audit.verify()).toEqual({ ok: true, count: 1 });
    });

    it('keeps one valid chain under 200 concurrent appends', async () => {
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => store.audit.append(rec({ details: { i } }))));
      expect(new Set(results.map((r) => r.seq)).size).toBe(200);
      expect(Math.max(...results.map((r) => r.seq))).toBe(200);
      expect(await store.audit.verify()).toEqual({ ok: true, count: 200 });
    });

    it('keeps one valid chain when two processes and this one append at the same time', async () => {
      const [c1, c2] = await Promise.all([
        runChild(url, '100', 'proc-a'),
        runChild(url, '100', 'proc-b'),
        (async () => {
          for (let i = 0; i < 100; i++) await store.audit.append(rec({ actor: 'parent', details: { i } }));
        })(),
      ]);
      expect(c1.code, c1.stderr).toBe(0);
      expect(c2.code, c2.stderr).toBe(0);
      expect(await store.audit.verify()).toEqual({ ok: true, count: 300 });
      for (const actor of ['proc-a', 'proc-b', 'parent']) {
        expect((await store.audit.list({ actor, limit: 1000 })).length).toBe(100);
      }
    });

    it('never leaves a half-written record when the writer is killed with SIGKILL', async () => {
      await store.audit.append(rec({ actor: 'before' }));
      const res = await runChild(url, 'loop', 'doomed', 300);
      expect(res.signal).toBe('SIGKILL');
      const result = await store.audit.verify();
      const count = await rowCount(url);
      expect(count).toBeGreaterThan(1);
      expect(result).toEqual({ ok: true, count });
      // The chain continues cleanly after the crash.
      const next = await store.audit.append(rec({ actor: 'after' }));
      expect(next.seq).toBe(count + 1);
      expect(await store.audit.verify()).toEqual({ ok: true, count: count + 1 });
    });

    describe('tampering is detected and the first bad record named', () => {
      const cases: { name: string; sql: string[]; badSeq: number; reason: RegExp }[] = [
        { name: 'a changed field', sql: ["update audit_log set actor = 'mallory' where seq = 5"], badSeq: 5, reason: /altered/ },
        { name: 'changed details', sql: ['update audit_log set details = \'{"i":99}\' where seq = 3'], badSeq: 3, reason: /altered/ },
        { name: 'a changed result', sql: ["update audit_log set result = 'denied' where seq = 2"], badSeq: 2, reason: /altered/ },
        { name: 'a deleted record', sql: ['delete from audit_log where seq = 4'], badSeq: 4, reason: /missing/ },
        { name: 'a deleted last record', sql: ['delete from audit_log where seq = 10'], badSeq: 10, reason: /missing from the end/ },
        {
          name: 'two swapped records',
          sql: ['update audit_log set seq = -1 where seq = 6', 'update audit_log set seq = 6 where seq = 7', 'update audit_log set seq = 7 where seq = -1'],
          badSeq: 6,
          reason: /does not link/,
        },
        { name: 'a changed hash', sql: [`update audit_log set hash = '${'a'.repeat(64)}' where seq = 8`], badSeq: 8, reason: /altered/ },
        { name: 'a changed first prev_hash', sql: [`update audit_log set prev_hash = '${'f'.repeat(64)}' where seq = 1`], badSeq: 1, reason: /does not link/ },
        {
          name: 'a record inserted beyond the head',
          sql: [`insert into audit_log (seq, time, actor, actor_type, action, result, details, prev_hash, hash) values (11, '2030-01-01T00:00:00.000Z', 'x', 'user', 'a', 'success', '{}', '${'0'.repeat(64)}', '${'0'.repeat(64)}')`],
          badSeq: 11,
          reason: /beyond the chain head/,
        },
      ];
      it.each(cases)('$name', async ({ sql, badSeq, reason }) => {
        await seed(store, 10);
        await rawExec(url, sql);
        const res = await store.audit.verify();
        expect(res).toMatchObject({ ok: false, badSeq });
        expect(res.ok === false && res.reason).toMatch(reason);
        });

      it('a record rewritten with a correctly recomputed hash breaks the link of the next one', async () => {
        await seed(store, 10);
        const [r5] = await store.audit.list({ afterSeq: 4, limit: 1 });
        const forged = auditHash(r5!.prevHash, {
          seq: 5, time: r5!.time, actor: 'mallory', actor_type: r5!.actorType, client_ip: r5!.clientIp, user_agent: r5!.userAgent,
          action: r5!.action, target: r5!.target, result: r5!.result, details: r5!.details,
        });
        await rawExec(url, [`update audit_log set actor = 'mallory', hash = '${forged}' where seq = 5`]);
        expect(await store.audit.verify()).toMatchObject({ ok: false, badSeq: 6 });
        });
    });

    describe('list filters', () => {
      /** Three records: alice (login, success), bob (exec, denied), a_ice (logout, success), one day apart. */
      async function seedThree(): Promise<number> {
        await store.audit.append(rec({ time: '2030-01-01T00:00:00.000Z' }));
        const bob = await store.audit.append(rec({ actor: 'bob', result: 'denied', action: 'container.exec', time: '2030-01-02T00:00:00.000Z' }));
        await store.audit.append(rec({ actor: 'a_ice', action: 'auth.logout', time: '2030-01-03T00:00:00.000Z' }));
        return bob.seq;
      }

      it('filters by actor, action, result, time and seq', async () => {
        const seqOfBob = await seedThree();
        expect((await store.audit.list({ actor: 'bob' })).map((r) => r.seq)).toEqual([seqOfBob]);
        expect((await store.audit.list({ action: 'auth.login' })).map((r) => r.actor)).toEqual(['alice']);
        expect((await store.audit.list({ result: 'denied' })).map((r) => r.actor)).toEqual(['bob']);
        expect((await store.audit.list({ since: '2030-01-02T00:00:00Z' })).map((r) => r.actor)).toEqual(['bob', 'a_ice']);
        expect((await store.audit.list({ until: '2030-01-02T00:00:00Z' })).map((r) => r.actor)).toEqual(['alice']);
        expect((await store.audit.list({ afterSeq: 1, limit: 1 })).map((r) => r.seq)).toEqual([2]);
        expect((await store.audit.list({ order: 'desc', limit: 2 })).map((r) => r.seq)).toEqual([3, 2]);
        expect((await store.audit.list({ order: 'desc', beforeSeq: 3 })).map((r) => r.seq)).toEqual([2, 1]);
      });

      it.each(["' OR 1=1 --", '%', '_', '\\', 'a%', 'al_ce', "alice' --", '*'])('returns no extra rows for %j in text filters', async (evil) => {
        await seedThree();
        expect(await store.audit.list()).toHaveLength(3);
        expect(await store.audit.list({ actor: evil })).toEqual([]);
        expect(await store.audit.list({ action: evil })).toEqual([]);
        expect(await store.audit.list({ result: evil as AuditResult })).toEqual([]);
        await expect(store.audit.list({ since: evil })).rejects.toBeInstanceOf(StoreInputError);
        await expect(store.audit.list({ until: evil })).rejects.toBeInstanceOf(StoreInputError);
      });

      it('refuses out-of-range limits and seq bounds', async () => {
        await seedThree();
        for (const limit of [0, -1, 1001, 1.5, Number.NaN]) await expect(store.audit.list({ limit })).rejects.toBeInstanceOf(StoreInputError);
        expect(await store.audit.list({ limit: 1000 })).toHaveLength(3);
        for (const afterSeq of [-1, 0.5, Number.NaN]) await expect(store.audit.list({ afterSeq })).rejects.toBeInstanceOf(StoreInputError);
        // Times past year 9999 would compare wrongly as text ("+275760-…" sorts before "2030-…").
        await expect(store.audit.list({ since: '+275760-09-13T00:00:00.000Z' })).rejects.toBeInstanceOf(StoreInputError);
        });
    });

    it('walks logs longer than one page in verify and export, and finds tampering past the first page', async () => {
      await bulkChain(url, 2345);
      expect(await store.audit.verify()).toEqual({ ok: true, count: 2345 });
      let lines = 0;
      for await (const _ of store.audit.exportLines()) lines += 1;
      expect(lines).toBe(2345);
      expect((await store.audit.append(rec())).seq).toBe(2346);
      await rawExec(url, ["update audit_log set details = '{\"i\":0}' where seq = 2001"]);
      expect(await store.audit.verify()).toMatchObject({ ok: false, badSeq: 2001 });
    });

    it('refuses details that are not a plain JSON object or are too large', async () => {
      await expect(store.audit.append(rec({ details: { n: 1n } }))).rejects.toThrow(/not plain JSON/);
      await expect(store.audit.append(rec({ details: [1] as unknown as Record<string, unknown> }))).rejects.toThrow(/JSON object/);
      await expect(store.audit.append(rec({ details: { big: 'x'.repeat(MAX_AUDIT_DETAILS) } }))).rejects.toThrow(/exceed/);
      expect(await store.audit.verify()).toEqual({ ok: true, count: 0 });
    });

    it('exports JSON lines from which an outsider can re-verify the chain', async () => {
      await seed(store, 25);
      const lines: string[] = [];
      for await (const line of store.audit.exportLines()) lines.push(line);
      expect(lines).toHaveLength(25);
      let prev = GENESIS_HASH;
      for (const [i, line] of lines.entries()) {
        expect(line.endsWith('\n')).toBe(true);
        const o = JSON.parse(line) as Record<string, unknown>;
        expect(o.seq).toBe(i + 1);
        expect(o.prev_hash).toBe(prev);
        const { hash, prev_hash, ...fields } = o;
        const body = JSON.stringify(Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1))));
        expect(createHash('sha256').update(`${String(prev_hash)}\n${body}`).digest('hex')).toBe(hash);
        prev = hash as string;
      }
    });
  });
});
