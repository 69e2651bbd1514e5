import { describe, expect, it } from 'vitest';
import { findEntry, getField, goFold } from './fold.js';
import type { JsonObject } from './value.js';

const obj = (...entries: [string, string][]): JsonObject => ({ kind: 'object', entries });

describe('goFold', () => {
  it('folds ASCII case', () => {
    expect(goFold('HostConfig')).toBe(goFold('hostconfig'));
    expect(goFold('HOSTCONFIG')).toBe('hostconfig');
  });

  it('folds KELVIN SIGN onto k and LONG S onto s', () => {
    expect(goFold('NetworKMode')).toBe(goFold('NetworkMode'));
    expect(goFold('Bindſ')).toBe(goFold('Binds'));
    expect(goFold('ſecurityOpt')).toBe('securityopt');
  });

  it('does not fold dotted or dotless i onto ASCII i (their Go orbit is themselves)', () => {
    expect(goFold('Prİvileged')).not.toBe(goFold('Privileged'));
    expect(goFold('Prıvileged')).not.toBe(goFold('Privileged'));
  });

  it('folds other Unicode letters with simple case folding only', () => {
    expect(goFold('Σ')).toBe(goFold('ς'));
    expect(goFold('σ')).toBe(goFold('ς'));
    expect(goFold('Ω')).toBe(goFold('ω'));
    expect(goFold('Å')).toBe(goFold('å'));
    expect(goFold('ẞ')).toBe(goFold('ß'));
    expect(goFold('ß')).not.toBe(goFold('ss'));
    expect(goFold('ﬀ')).toBe('ﬀ');
  });
});

describe('getField', () => {
  it('prefers the exact key, then a folded match', () => {
    expect(getField(obj(['binds', 'a']), 'Binds')).toBe('a');
    expect(getField(obj(['Bindſ', 'b']), 'Binds')).toBe('b');
    expect(getField(obj(['binds', 'x'], ['Binds', 'y']), 'Binds')).toBe('y');
    expect(getField(obj(['Bind', 'x']), 'Binds')).toBeUndefined();
  });

  it('returns the key as sent with findEntry', () => {
    expect(findEntry(obj(['PRIVILEGED', 'x']), 'Privileged')?.[0]).toBe('PRIVILEGED');
  });
});
