// YAML → plain values with a side table of source locations (line:column per map entry and list item).
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourceLoc } from '../types.js';
import { interpolate } from './interpolate.js';

/** Location and interpolation facts of one entry (a map value or a list item). */
export interface EntryInfo {
  loc: SourceLoc;
  /** The text before interpolation, when `${…}` changed it. */
  raw?: string;
  /** Variables that were unset with no default. */
  unresolved?: string[];
}

type Key = string | number;
const table = new WeakMap<object, Map<Key, EntryInfo>>();

/** Location facts of `container[key]`, when known. */
export function entryInfo(container: unknown, key: Key): EntryInfo | undefined {
  return container !== null && typeof container === 'object' ? table.get(container)?.get(key) : undefined;
}

/** Records location facts of `container[key]`. */
export function setEntryInfo(container: object, key: Key, info: EntryInfo | undefined): void {
  if (!info) return;
  let m = table.get(container);
  if (!m) {
    m = new Map();
    table.set(container, m);
  }
  m.set(key, info);
}

/** Walks `path` from `root` and returns the facts of its last step. */
export function infoAt(root: unknown, path: readonly Key[]): EntryInfo | undefined {
  let cur: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<Key, unknown>)[path[i] as Key];
  }
  return entryInfo(cur, path[path.length - 1] as Key);
}

/** Walk state shared by one document. */
export interface WalkContext {
  file: string;
  doc: Document;
  lineCounter: LineCounter;
  env: Readonly<Record<string, string | undefined>>;
  /** Interpolation problems (`${X:?msg}`), with locations. */
  errors: { loc: SourceLoc; message: string }[];
}

/** Maximum nesting of maps/lists/aliases (guards alias bombs). */
export const MAX_DEPTH = 64;

function locOf(ctx: WalkContext, start: number, end: number): SourceLoc {
  const a = ctx.lineCounter.linePos(start);
  const b = ctx.lineCounter.linePos(Math.max(start, end));
  return { file: ctx.file, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

function nodeRange(node: Node | null | undefined): [number, number] | undefined {
  const r = node?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** Converts a YAML node to plain values, interpolating strings and recording locations. */
export function toLocated(node: unknown, ctx: WalkContext, depth = 0): { value: unknown; info?: Omit<EntryInfo, 'loc'> } {
  if (depth > MAX_DEPTH) throw new Error(`${ctx.file}: YAML nested deeper than ${MAX_DEPTH} levels (alias loop?)`);
  if (node === null || node === undefined) return { value: null };
  if (isAlias(node)) return toLocated(node.resolve(ctx.doc), ctx, depth + 1);
  if (isScalar(node)) {
    if (typeof node.value !== 'string') return { value: node.value };
    const r = interpolate(node.value, ctx.env);
    const range = nodeRange(node);
    for (const message of r.errors) {
      ctx.errors.push({ loc: range ? locOf(ctx, range[0], range[1]) : { file: ctx.file, line: 1, column: 1, endLine: 1, endColumn: 1 }, message });
    }
    if (!r.interpolated) return { value: r.value };
    return { value: r.value, info: { raw: node.value, ...(r.unresolved.length ? { unresolved: r.unresolved } : {}) } };
  }
  if (isSeq(node)) {
    const arr: unknown[] = [];
    node.items.forEach((item, i) => {
      const { value, info } = toLocated(item, ctx, depth + 1);
      arr.push(value);
      const range = nodeRange(item as Node);
      if (range) setEntryInfo(arr, i, { loc: locOf(ctx, range[0], range[1]), ...info });
    });
    return { value: arr };
  }
  if (isMap(node)) {
    const obj: Record<string, unknown> = {};
    const merged: Record<string, unknown>[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && (keyNode.source === '<<' || typeof keyNode.value === 'symbol')) {
        const src = toLocated(pair.value, ctx, depth + 1).value;
        for (const m of Array.isArray(src) ? src : [src]) {
          if (m && typeof m === 'object' && !Array.isArray(m)) merged.push(m as Record<string, unknown>);
        }
        continue;
      }
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const { value, info } = toLocated(pair.value, ctx, depth + 1);
      obj[key] = value;
      const kr = nodeRange(keyNode);
      const vr = nodeRange(pair.value as Node | null);
      const start = kr?.[0] ?? vr?.[0];
      if (start !== undefined) setEntryInfo(obj, key, { loc: locOf(ctx, start, vr?.[1] ?? kr?.[1] ?? start), ...info });
    }
    // `<<` merges: explicit keys win, then earlier merge sources win over later ones.
    for (const m of merged) {
      for (const [k, v] of Object.entries(m)) {
        if (k in obj) continue;
        obj[k] = v;
        setEntryInfo(obj, k, entryInfo(m, k));
      }
    }
    return { value: obj };
  }
  return { value: null };
}
