// The value model of the Go-faithful JSON parser: ordered objects, raw-text numbers.

/** A JSON number kept as its source text, so int64 values beyond 2^53 round-trip exactly. */
export interface JsonNumber {
  readonly kind: 'number';
  readonly raw: string;
}

/** A JSON object with its keys in source order, each key unescaped but otherwise as sent. */
export interface JsonObject {
  readonly kind: 'object';
  readonly entries: readonly (readonly [string, JsonValue])[];
}

/** Any JSON value: strings and booleans are native, `null` is `null`, arrays are arrays. */
export type JsonValue = JsonObject | JsonNumber | readonly JsonValue[] | string | boolean | null;

/** True when `v` is a JSON object. */
export function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as JsonObject).kind === 'object';
}

/** True when `v` is a JSON number. */
export function isNumber(v: JsonValue | undefined): v is JsonNumber {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as JsonNumber).kind === 'number';
}

/** True when `v` is a JSON array. */
export function isArray(v: JsonValue | undefined): v is readonly JsonValue[] {
  return Array.isArray(v);
}
