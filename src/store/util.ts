// Small conversions between stored columns (text times, 0/1 booleans, JSON text) and domain values.

/** The current time as ISO-8601 UTC text. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Normalises a caller-supplied time to ISO-8601 UTC; throws on text `Date` cannot parse. */
export function toIso(value: string, what: string): string {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`${what} is not a valid date-time`);
  const iso = new Date(ms).toISOString();
  // Stored times compare as text; only years 0000-9999 keep that order (toISOString writes "+275760-…").
  if (!/^\d{4}-/.test(iso)) throw new RangeError(`${what} is outside years 0000-9999`);
  return iso;
}

/** ISO time `ms` milliseconds after `iso`. */
export function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** Reads a stored 0/1 integer (pg may hand back a string) as a boolean. */
export function toBool(n: number | string | boolean): boolean {
  return Number(n) === 1 || n === true;
}

/** Writes a boolean as the stored 0/1 integer. */
export function fromBool(b: boolean): number {
  return b ? 1 : 0;
}

/** Parses a JSON array of strings stored as text; anything else becomes []. */
export function parseStringArray(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
