// Go encoding/json key folding: which JSON keys dockerd matches to the same struct field.
import type { JsonObject, JsonValue } from './value.js';

/**
 * Runes whose Go simple-fold orbit contains an ASCII letter (checked against Go's
 * unicode `caseOrbit` table: K U+212A ↔ k, ſ U+017F ↔ s). Every other non-ASCII rune folds only
 * onto non-ASCII runes; U+0130 İ and U+0131 ı fold onto nothing (their orbit is themselves).
 */
const ASCII_ORBIT: ReadonlyMap<number, string> = new Map([
  [0x212a, 'k'],
  [0x017f, 's'],
]);
const SELF_FOLDING = new Set([0x0130, 0x0131]);

const runeCache = new Map<number, string>();

/** One code point with a single-code-point result of a case mapping, else undefined. */
function single(s: string): string | undefined {
  const cp = s.codePointAt(0);
  return cp !== undefined && String.fromCodePoint(cp) === s ? s : undefined;
}

function foldRune(cp: number): string {
  const known = ASCII_ORBIT.get(cp);
  if (known !== undefined) return known;
  const ch = String.fromCodePoint(cp);
  if (SELF_FOLDING.has(cp)) return ch;
  const cached = runeCache.get(cp);
  if (cached !== undefined) return cached;
  // Simple (1:1) case mappings only, like Go's SimpleFold: lower(upper(c)) joins σ/ς/Σ, θ/ϑ/Θ, µ/μ/Μ…
  const upper = single(ch.toUpperCase());
  const folded = single((upper ?? ch).toLowerCase()) ?? single(ch.toLowerCase()) ?? ch;
  runeCache.set(cp, folded);
  return folded;
}

/**
 * The canonical fold of a key: two keys fold equal iff Go's `encoding/json` would match them to
 * the same struct field (ASCII case-insensitive plus Unicode simple folding).
 * @example goFold('Bindſ') === goFold('binds') // true
 */
export function goFold(key: string): string {
  let out = '';
  let plain = true;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x80) {
      plain = false;
      break;
    }
  }
  if (plain) return key.toLowerCase();
  for (const ch of key) {
    const cp = ch.codePointAt(0) ?? 0;
    out += cp < 0x80 ? ch.toLowerCase() : foldRune(cp);
  }
  return out;
}

/** The entry Go would bind to `name`: the exact key first, else the first key that folds equal. */
export function findEntry(obj: JsonObject, name: string): readonly [string, JsonValue] | undefined {
  const exact = obj.entries.find(([k]) => k === name);
  if (exact) return exact;
  const folded = goFold(name);
  return obj.entries.find(([k]) => goFold(k) === folded);
}

/**
 * Case-insensitive field lookup like Go's decoder (exact match preferred, then fold match).
 * Returns undefined when the key is absent; a JSON `null` is returned as `null`.
 */
export function getField(obj: JsonObject, name: string): JsonValue | undefined {
  return findEntry(obj, name)?.[1];
}
