import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StoreConflictError, StoreInputError } from '../store/index.js';
import { ApiError, ERRORS, errorBody } from './errors.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const [current = '', retired = ''] = doc.split('## Retired codes');
const rows = [...current.matchAll(/^\| `(PC_ERR_[A-Z0-9_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])] as const);

describe('error catalogue', () => {
  it('docs/errors.md lists every code with its status, and nothing else', () => {
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(Object.entries(ERRORS).map(([c, e]) => [c, e.status])));
    expect(rows.length).toBe(Object.keys(ERRORS).length);
  });

  it('never reuses a retired code', () => {
    const retiredCodes = [...retired.matchAll(/`(PC_ERR_[A-Z0-9_]+)`/g)].map((m) => m[1]!);
    expect(retiredCodes.filter((c) => c in ERRORS)).toEqual([]);
  });

  it('names every code PC_ERR_<AREA>_<PROBLEM> with a 4xx/5xx status', () => {
    for (const [code, e] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^PC_ERR_[A-Z]+_[A-Z0-9_]+$/);
      expect(e.status).toBeGreaterThanOrEqual(400);
      expect(e.status).toBeLessThan(600);
    }
  });

  it('includes the store codes the API passes through', () => {
    expect(new StoreConflictError('x').code in ERRORS).toBe(true);
    expect(new StoreInputError('x').code in ERRORS).toBe(true);
  });

  it('gives an ApiError the status of its code and a uniform body', () => {
    const e = new ApiError('PC_ERR_AUTH_LOCKED', 'locked', { 'retry-after': '60' });
    expect(e.status).toBe(429);
    expect(errorBody(e.code, e.message)).toEqual({ error: { code: 'PC_ERR_AUTH_LOCKED', message: 'locked' } });
  });
});
