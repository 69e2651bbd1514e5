// Unit tests for canonicalJson: one spelling per value, refusal of what JSON cannot carry.
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same text for objects built in different key orders', () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('round-trips through JSON.parse to the same text', () => {
    const v = { s: 'line\nbreak "quoted" \u0000 \ud800 é', n: -0, f: 0.1 + 0.2, big: 1e21, arr: [null, true, false] };
    const once = canonicalJson(v);
    expect(canonicalJson(JSON.parse(once))).toBe(once);
  });

  it('leaves out undefined properties and uses toJSON like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: new Date(0) })).toBe('{"b":"1970-01-01T00:00:00.000Z"}');
  });

  it.each([
    ['bigint', 1n],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['undefined in an array', [undefined]],
  ])('refuses %s', (_name, value) => {
    expect(() => canonicalJson({ v: value })).toThrow(TypeError);
  });

  it('refuses circular structures', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => canonicalJson(a)).toThrow(/circular/);
  });

  it('accepts a repeated (non-circular) reference', () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} and accepts exactly ${MAX_JSON_DEPTH}`, () => {
    const nest = (n: number): unknown => (n === 0 ? 1 : [nest(n - 1)]);
    expect(() => canonicalJson(nest(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => canonicalJson(nest(MAX_JSON_DEPTH + 1))).toThrow(/deeper/);
  });
});
