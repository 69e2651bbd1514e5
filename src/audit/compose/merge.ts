// Merges compose files the way Compose does (override files, extends), keeping source locations.
import { entryInfo, setEntryInfo } from './located.js';

type Obj = Record<string, unknown>;

/** Keys whose lists an override replaces instead of extending. */
const REPLACED_LISTS = new Set(['command', 'entrypoint', 'test']);
/** Keys whose list form `K=V` is merged as a map. */
const MAP_LISTS = new Set(['environment', 'labels', 'extra_hosts', 'sysctls', 'annotations', 'args']);
/** Keys whose list items are merged by their target path. */
const BY_TARGET = new Set(['volumes', 'devices', 'secrets', 'configs', 'tmpfs']);

/** A scalar as text (`fallback` for maps, lists and null). */
export function scalarText(v: unknown, fallback = ''): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback;
}

/** Whether a value is a plain map (not a list, not null). */
export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Converts `['K=V', 'K2']` to `{K: 'V', K2: null}`, keeping locations. */
export function listToMap(list: unknown[]): Obj {
  const out: Obj = {};
  list.forEach((item, i) => {
    const s = String(item);
    const eq = s.indexOf('=');
    const key = eq < 0 ? s : s.slice(0, eq);
    out[key] = eq < 0 ? null : s.slice(eq + 1);
    setEntryInfo(out, key, entryInfo(list, i));
  });
  return out;
}

function targetOf(item: unknown): string {
  if (isObj(item)) return scalarText(item.target, scalarText(item.source, JSON.stringify(item)));
  const s = String(item);
  const parts = s.split(':');
  return parts.length >= 2 ? (parts[1] ?? s) : s;
}

function mergeLists(key: string, base: unknown[], over: unknown[]): unknown[] {
  const out: unknown[] = [];
  const push = (list: unknown[], i: number): void => {
    out.push(list[i]);
    setEntryInfo(out, out.length - 1, entryInfo(list, i));
  };
  if (BY_TARGET.has(key)) {
    const overTargets = new Set(over.map(targetOf));
    base.forEach((item, i) => {
      if (!overTargets.has(targetOf(item))) push(base, i);
    });
    over.forEach((_item, i) => push(over, i));
    return out;
  }
  const seen = new Set<string>();
  for (const list of [base, over]) {
    list.forEach((item, i) => {
      const k = JSON.stringify(item);
      if (seen.has(k)) return;
      seen.add(k);
      push(list, i);
    });
  }
  return out;
}

/** Merges `over` onto `base` (neither is modified); `key` is the field name of this level. */
export function mergeValues(key: string, base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (MAP_LISTS.has(key)) {
    const b = Array.isArray(base) ? listToMap(base) : base;
    const o = Array.isArray(over) ? listToMap(over) : over;
    if (isObj(b) && isObj(o)) return mergeObjects(b, o, key);
    return o;
  }
  if (isObj(base) && isObj(over)) return mergeObjects(base, over, key);
  if (Array.isArray(base) && Array.isArray(over) && !REPLACED_LISTS.has(key)) return mergeLists(key, base, over);
  return over;
}

/** Merges two maps key by key; locations follow the value that wins. */
export function mergeObjects(base: Obj, over: Obj, _parentKey = ''): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(base)) {
    out[k] = v;
    setEntryInfo(out, k, entryInfo(base, k));
  }
  for (const [k, v] of Object.entries(over)) {
    if (v === null && !(k in base)) {
      out[k] = v;
      setEntryInfo(out, k, entryInfo(over, k));
      continue;
    }
    const merged = k in base ? mergeValues(k, base[k], v) : v;
    out[k] = merged;
    // A merged map or list keeps the place it was first declared; a replaced value points at its override.
    const combined = k in base && typeof base[k] === 'object' && base[k] !== null && typeof v === 'object' && !REPLACED_LISTS.has(k);
    setEntryInfo(out, k, combined ? (entryInfo(base, k) ?? entryInfo(over, k)) : (entryInfo(over, k) ?? entryInfo(base, k)));
  }
  return out;
}
