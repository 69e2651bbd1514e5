import { describe, expect, it } from 'vitest';
import { parseGoJson } from './parse.js';
import { serializeJson, type KeySchema } from './serialize.js';
import type { JsonValue } from './value.js';

function parse(src: string): JsonValue {
  const r = parseGoJson(src);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

const schema: KeySchema = {
  fields: {
    Image: null,
    Labels: null,
    HostConfig: { fields: { Binds: null, Mounts: { items: { fields: { Type: null, Source: null } } } } },
  },
};

describe('serializeJson', () => {
  it('re-escapes strings and keeps raw numbers', () => {
    expect(serializeJson(parse('{"a":"x\\u0022\\n\\u2028","n":1.0E+2}'))).toBe('{"a":"x\\"\\n\u2028","n":1.0E+2}');
  });

  it('renames keys to their canonical spelling with a schema', () => {
    const v = parse('{"image":"a","hostconfig":{"bindſ":["/x:/y"],"MOUNTS":[{"type":"bind","SOURCE":"/s"}]}}');
    expect(serializeJson(v, { schema })).toBe('{"Image":"a","HostConfig":{"Binds":["/x:/y"],"Mounts":[{"Type":"bind","Source":"/s"}]}}');
  });

  it('keeps unknown keys and the keys of data maps as sent', () => {
    const v = parse('{"labels":{"image":"x","Foo":"y"},"Extra":1}');
    expect(serializeJson(v, { schema })).toBe('{"Labels":{"image":"x","Foo":"y"},"Extra":1}');
  });

  it('serialises without a schema verbatim', () => {
    expect(serializeJson(parse('{"image":[null,true]}'))).toBe('{"image":[null,true]}');
  });
});
