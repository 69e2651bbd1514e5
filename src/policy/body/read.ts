// Typed reads of parsed JSON bodies (Go-folded keys, Go-like type errors) and the violation shape.
import { getField, isArray, isNumber, isObject, type JsonObject, type JsonValue } from '../json/index.js';

/** A reason to refuse a request; status defaults to 403. */
export interface Violation {
  rule: string;
  reason: string;
  status?: number;
}

/** Builds a 403 policy violation. */
export function violation(rule: string, reason: string): Violation {
  return { rule, reason };
}

/** A body whose field has a type Go would refuse to decode (dockerd answers 400). */
export class BodyShapeError extends Error {}

function shape(path: string, expected: string): never {
  throw new BodyShapeError(`${path}: expected ${expected}`);
}

/** The value of a field, or undefined when absent or JSON null (Go leaves the field unset). */
export function field(obj: JsonObject, name: string): JsonValue | undefined {
  const v = getField(obj, name);
  return v === null ? undefined : v;
}

/** A string field. */
export function str(obj: JsonObject, name: string, path: string): string | undefined {
  const v = field(obj, name);
  if (v === undefined || typeof v === 'string') return v;
  return shape(path, 'a string');
}

/** A boolean field. */
export function bool(obj: JsonObject, name: string, path: string): boolean | undefined {
  const v = field(obj, name);
  if (v === undefined || typeof v === 'boolean') return v;
  return shape(path, 'a boolean');
}

/** An object field (a Go struct or map). */
export function obj(o: JsonObject, name: string, path: string): JsonObject | undefined {
  const v = field(o, name);
  if (v === undefined || isObject(v)) return v;
  return shape(path, 'an object');
}

/** An array field. */
export function list(o: JsonObject, name: string, path: string): readonly JsonValue[] | undefined {
  const v = field(o, name);
  if (v === undefined || isArray(v)) return v;
  return shape(path, 'an array');
}

/** The objects of an array field (null elements skipped, like Go pointers left nil). */
export function objects(o: JsonObject, name: string, path: string): JsonObject[] {
  return (list(o, name, path) ?? []).flatMap((v, i) => {
    if (v === null) return [];
    return isObject(v) ? [v] : shape(`${path}[${i}]`, 'an object');
  });
}

/**
 * A list of strings; with `slice` a single string is accepted too (Docker's `strslice.StrSlice`,
 * used by CapAdd/CapDrop/Cmd/Entrypoint).
 */
export function strings(o: JsonObject, name: string, path: string, slice = false): string[] {
  const v = field(o, name);
  if (v === undefined) return [];
  if (slice && typeof v === 'string') return [v];
  if (!isArray(v)) return shape(path, 'an array of strings');
  return v.map((x, i) => (typeof x === 'string' ? x : shape(`${path}[${i}]`, 'a string')));
}

/** The string values of a map field (e.g. `Options`, `DriverOpts`), keyed as sent. */
export function stringMap(o: JsonObject, name: string, path: string): Map<string, string> {
  const m = obj(o, name, path);
  const out = new Map<string, string>();
  for (const [k, v] of m?.entries ?? []) {
    if (v === null) continue;
    if (typeof v !== 'string') shape(`${path}.${k}`, 'a string');
    out.set(k, v);
  }
  return out;
}

/** True when a field is present with a non-empty array/object/string value. */
export function nonEmpty(o: JsonObject, name: string): boolean {
  const v = field(o, name);
  if (v === undefined) return false;
  if (isArray(v)) return v.length > 0;
  if (isObject(v)) return v.entries.length > 0;
  if (isNumber(v)) return Number(v.raw) !== 0;
  return v !== '' && v !== false;
}
