import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseGoJson } from './parse.js';
import { serializeJson } from './serialize.js';
import { isObject, type JsonValue } from './value.js';

function ok(src: string | Buffer): JsonValue {
  const r = parseGoJson(src);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

function fails(src: string | Buffer): { reason: string; error: string } {
  const r = parseGoJson(src);
  if (r.ok) throw new Error(`parsed: ${src.toString()}`);
  return r;
}

describe('parseGoJson', () => {
  it('keeps key order, original key text and raw number text', () => {
    const v = ok('{"b":1,"A":2.50,"c":-0e+3}');
    expect(isObject(v) && v.entries.map(([k]) => k)).toEqual(['b', 'A', 'c']);
    expect(serializeJson(v)).toBe('{"b":1,"A":2.50,"c":-0e+3}');
  });

  it('keeps int64 numbers exactly', () => {
    const text = '{"Memory":9223372036854775807,"Soft":-9223372036854775808}';
    expect(serializeJson(ok(text))).toBe(text);
  });

  it('decodes \\u escapes in keys (J5 "\\u0042inds" is Binds)', () => {
    const v = ok('{"\\u0042inds":["/:/host"]}');
    expect(isObject(v) && v.entries[0]?.[0]).toBe('Binds');
  });

  it('decodes string escapes and surrogate pairs', () => {
    expect(ok('"a\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"')).toBe('a"\\/\b\f\n\r\té😀');
  });

  it('replaces lone surrogate escapes with U+FFFD like Go', () => {
    expect(ok('"\\ud800x"')).toBe('\ufffdx');
    expect(ok('"\\udc00"')).toBe('\ufffd');
    expect(ok('"\\ud800\\u0041"')).toBe('\ufffdA');
  });

  it('parses literals, arrays and nested objects', () => {
    expect(serializeJson(ok(' [true, false, null, {"a":[]}, {}] '))).toBe('[true,false,null,{"a":[]},{}]');
  });

  it('refuses duplicate keys and names the key (J4)', () => {
    const r = fails('{"Image":"a","HostConfig":{"Binds":["/:/h"]},"HostConfig":{"Memory":0}}');
    expect(r.error).toBe('duplicate-key');
    expect(r.reason).toContain('"HostConfig"');
  });

  it('refuses keys that differ only by case (J3)', () => {
    const r = fails('{"Privileged":false,"privileged":true}');
    expect(r.error).toBe('duplicate-key');
    expect(r.reason).toMatch(/"privileged".*"Privileged"/);
  });

  it('refuses keys that collide under Unicode folding (ſ U+017F, K U+212A)', () => {
    expect(fails('{"Binds":[],"Bindſ":[]}').error).toBe('duplicate-key');
    expect(fails('{"NetworkMode":"","NetworKMode":"host"}').error).toBe('duplicate-key');
  });

  it('allows the same key in different objects', () => {
    expect(parseGoJson('{"a":{"x":1},"b":{"x":2}}').ok).toBe(true);
  });

  it('refuses content after the JSON value', () => {
    expect(fails('{"Image":"a"}{"Privileged":true}').reason).toContain('unexpected content after JSON');
    expect(fails('{} x').error).toBe('invalid');
  });

  it('accepts surrounding JSON whitespace but not other spaces', () => {
    expect(parseGoJson(' \t\r\n{}\n').ok).toBe(true);
    expect(parseGoJson('\f{}').ok).toBe(false);
    expect(parseGoJson('{}\u00a0').ok).toBe(false);
  });

  it('refuses invalid UTF-8 (Go would silently turn it into U+FFFD)', () => {
    const r = fails(Buffer.from([0x7b, 0x22, 0x61, 0xff, 0x22, 0x3a, 0x31, 0x7d]));
    expect(r.reason).toContain('UTF-8');
  });

  it('refuses a byte order mark like Go', () => {
    expect(parseGoJson(Buffer.from('\ufeff{}', 'utf8')).ok).toBe(false);
  });

  it('accepts valid UTF-8 in buffers', () => {
    expect(ok(Buffer.from('{"é":"ü"}', 'utf8'))).toEqual({ kind: 'object', entries: [['é', 'ü']] });
  });

  it(`accepts nesting at ${MAX_JSON_DEPTH} and refuses it past the limit`, () => {
    expect(parseGoJson('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)).ok).toBe(true);
    const deep = fails('{"a":'.repeat(MAX_JSON_DEPTH + 1) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1));
    expect(deep.reason).toContain(`deeper than ${MAX_JSON_DEPTH}`);
    expect(parseGoJson('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1)).ok).toBe(false);
  });

  it.each([
    ['leading zero', '01'], ['plus sign', '+1'], ['bare dot', '.5'], ['trailing dot', '1.'], ['exponent without digits', '1e'],
    ['NaN', 'NaN'], ['single quotes', "{'a':1}"], ['trailing comma in object', '{"a":1,}'], ['trailing comma in array', '[1,]'],
    ['unquoted key', '{a:1}'], ['missing colon', '{"a" 1}'], ['missing comma', '[1 2]'], ['missing brace', '{"a":1'],
    ['raw control character', '"a\u0001"'], ['bad escape', '"\\x"'], ['short unicode escape', '"\\u12"'], ['unterminated string', '"abc'],
    ['misspelt literal', 'tru'], ['empty input', ''], ['whitespace only', '  '], ['comment', '{} // x'], ['missing value', '{"a":}'],
    ['junk after comma', '{"a":1,x}'],
  ])('refuses %s', (_name, src) => {
    expect(fails(src).error).toBe('invalid');
  });
});
