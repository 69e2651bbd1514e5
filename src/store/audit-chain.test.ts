// Unit tests for the pure audit-chain pieces: the hash formula, the secrets refusal, text clean-up, row checks.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, MAX_AUDIT_TEXT, assertNoSecrets, auditHash, checkRow, cleanText } from './audit-chain.js';
import { StoreInputError } from './errors.js';
import type { AuditLogTable } from './schema.js';

const fields = {
  seq: 1,
  time: '2025-01-01T00:00:00.000Z',
  actor: 'alice',
  actor_type: 'user',
  client_ip: '127.0.0.1',
  user_agent: null,
  action: 'auth.login',
  target: null,
  result: 'success',
  details: { b: 2, a: 1 },
};

function row(seq: number, prev: string, over: Partial<AuditLogTable> = {}): AuditLogTable {
  const base = { ...fields, seq, details: '{"a":1,"b":2}', prev_hash: prev, hash: '' };
  const hash = auditHash(prev, { ...base, details: JSON.parse(base.details) });
  return { ...base, hash, ...over };
}

describe('auditHash', () => {
  it('is sha256hex(prev + "\\n" + canonical JSON of the record fields in sorted-key order)', () => {
    const expected = createHash('sha256')
      .update(
        `${GENESIS_HASH}\n{"action":"auth.login","actor":"alice","actor_type":"user","client_ip":"127.0.0.1","details":{"a":1,"b":2},"result":"success","seq":1,"target":null,"time":"2025-01-01T00:00:00.000Z","user_agent":null}`,
      )
      .digest('hex');
    expect(auditHash(GENESIS_HASH, fields)).toBe(expected);
  });

  it('changes when any field or the previous hash changes', () => {
    const h = auditHash(GENESIS_HASH, fields);
    expect(auditHash('1'.repeat(64), fields)).not.toBe(h);
    for (const [k, v] of Object.entries({ seq: 2, time: '2025-01-01T00:00:00.001Z', actor: 'bob', actor_type: 'token', client_ip: null, user_agent: 'x', action: 'a', target: 't', result: 'denied', details: {} })) {
      expect(auditHash(GENESIS_HASH, { ...fields, [k]: v }), k).not.toBe(h);
    }
  });
});

describe('assertNoSecrets', () => {
  it.each(['password', 'Password', 'newPass', 'clientSecret', 'token', 'apiToken', 'cookie', 'Authorization', 'x_passwd_pass'])(
    'refuses the key %s with a real value',
    (key) => {
      expect(() => assertNoSecrets({ [key]: 'hunter2' })).toThrow(StoreInputError);
    },
  );

  it('accepts those keys when the value is the literal [redacted]', () => {
    expect(() => assertNoSecrets({ password: '[redacted]', token: '[redacted]' })).not.toThrow();
  });

  it('refuses secret keys nested in objects and arrays, naming the path but not the value', () => {
    expect(() => assertNoSecrets({ req: { headers: [{ authorization: 'Bearer abc' }] } })).toThrow(/details\.req\.headers\[0\]\.authorization/);
    try {
      assertNoSecrets({ user: { password: 'hunter2-value' } });
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2-value');
    }
  });

  it('refuses a secret key whose value is an object, a number or null', () => {
    for (const v of [{ x: 1 }, 123, null]) expect(() => assertNoSecrets({ secret: v })).toThrow(StoreInputError);
  });

  it('refuses an API token in any string value', () => {
    expect(() => assertNoSecrets({ note: `used pct_${'A'.repeat(43)}` })).toThrow(/API token/);
  });

  it('accepts ordinary details', () => {
    expect(() => assertNoSecrets({ user: 'alice', host: 'local', tokenless: undefined, ids: [1, 'a'] })).not.toThrow();
  });
});

describe('cleanText', () => {
  it(`cuts text to ${MAX_AUDIT_TEXT} characters`, () => {
    expect(cleanText('x'.repeat(MAX_AUDIT_TEXT))).toHaveLength(MAX_AUDIT_TEXT);
    expect(cleanText('x'.repeat(MAX_AUDIT_TEXT + 1))).toHaveLength(MAX_AUDIT_TEXT);
  });

  it('replaces NUL and lone surrogates (also one left by the cut) with U+FFFD and keeps valid pairs', () => {
    expect(cleanText('a\u0000b\ud800c\udc00d😀')).toBe('a\uFFFDb\uFFFDc\uFFFDd😀');
    const cut = cleanText(`${'x'.repeat(MAX_AUDIT_TEXT - 1)}😀`);
    expect(cut.endsWith('\uFFFD')).toBe(true);
  });
});

describe('checkRow', () => {
  const r1 = row(1, GENESIS_HASH);

  it('accepts an intact row', () => {
    expect(checkRow(r1, 1, GENESIS_HASH)).toBeUndefined();
  });

  it('reports a missing record when seq jumps', () => {
    expect(checkRow(row(3, GENESIS_HASH), 2, GENESIS_HASH)).toMatch(/record 2 is missing/);
  });

  it('reports a broken link, an altered field, an altered hash and unparseable details', () => {
    expect(checkRow(r1, 1, '1'.repeat(64))).toMatch(/does not link/);
    expect(checkRow({ ...r1, actor: 'mallory' }, 1, GENESIS_HASH)).toMatch(/altered/);
    expect(checkRow({ ...r1, hash: '2'.repeat(64) }, 1, GENESIS_HASH)).toMatch(/altered/);
    expect(checkRow({ ...r1, details: '{"a":1,' }, 1, GENESIS_HASH)).toMatch(/not a JSON object/);
  });

  it('reads a bigint seq that pg returns as a string', () => {
    expect(checkRow({ ...r1, seq: '1' }, 1, GENESIS_HASH)).toBeUndefined();
  });
});
