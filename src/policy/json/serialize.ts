// Re-serialises parsed JSON (numbers as raw text), optionally renaming keys to their canonical spelling.
import { goFold } from './fold.js';
import { isArray, isNumber, isObject, type JsonValue } from './value.js';

/**
 * The shape of a Go struct for key renaming: `fields` lists the canonical JSON names of a struct
 * and the schema of each field's value (`null` for values whose keys are data, e.g. Labels);
 * `items` is the schema of each element of an array value.
 */
export interface KeySchema {
  readonly fields?: Readonly<Record<string, KeySchema | null>>;
  readonly items?: KeySchema;
}

export interface SerializeOptions {
  /** Rename keys that fold to a known field to that field's canonical spelling. */
  schema?: KeySchema;
}

const foldTables = new WeakMap<KeySchema, ReadonlyMap<string, readonly [string, KeySchema | null]>>();

function foldTable(schema: KeySchema): ReadonlyMap<string, readonly [string, KeySchema | null]> {
  let t = foldTables.get(schema);
  if (!t) {
    t = new Map(Object.entries(schema.fields ?? {}).map(([name, sub]) => [goFold(name), [name, sub]] as const));
    foldTables.set(schema, t);
  }
  return t;
}

function write(v: JsonValue, schema: KeySchema | null | undefined): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (isNumber(v)) return v.raw;
  if (isArray(v)) return `[${v.map((x) => write(x, schema?.items)).join(',')}]`;
  if (!isObject(v)) throw new TypeError('not a JSON value');
  const table = schema?.fields ? foldTable(schema) : undefined;
  const parts = v.entries.map(([k, x]) => {
    const known = table?.get(goFold(k));
    return `${JSON.stringify(known ? known[0] : k)}:${write(x, known?.[1])}`;
  });
  return `{${parts.join(',')}}`;
}

/**
 * Serialises a parsed value back to compact JSON text: numbers keep their source text, strings
 * are re-escaped, key order is kept. With `opts.schema`, keys that Go would bind to a known field
 * are written with the field's canonical name, so the daemon receives exactly what was checked.
 * @example serializeJson(v, { schema: CONTAINER_CREATE_SCHEMA })
 */
export function serializeJson(value: JsonValue, opts: SerializeOptions = {}): string {
  return write(value, opts.schema);
}
