// Canonical JSON: sorted keys, no whitespace, one spelling per value, so a hash over it is stable.

/** Deepest nesting canonicalJson accepts. */
export const MAX_JSON_DEPTH = 64;

/**
 * Serialises `value` as canonical JSON: object keys sorted by UTF-16 code units, no whitespace,
 * numbers and strings as JSON.stringify writes them. Object properties whose value is undefined are
 * left out (as JSON.stringify does); values JSON cannot carry (bigint, NaN, Infinity, functions,
 * symbols, undefined in arrays, cycles) throw a TypeError instead of being silently changed.
 *
 * @example canonicalJson({ b: 1, a: [true, null] }) === '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return write(value, 0, new Set());
}

function write(value: unknown, depth: number, stack: Set<object>): string {
  if (depth > MAX_JSON_DEPTH) throw new TypeError(`canonicalJson: nesting deeper than ${MAX_JSON_DEPTH}`);
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: cannot serialise a ${typeof value}`);
  }
  const obj = value;
  if (stack.has(obj)) throw new TypeError('canonicalJson: circular structure');
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return write((toJSON as () => unknown).call(obj), depth + 1, stack);
  stack.add(obj);
  try {
    if (Array.isArray(obj)) {
      return `[${obj.map((item: unknown) => (item === undefined ? fail('undefined in an array') : write(item, depth + 1, stack))).join(',')}]`;
    }
    const record = obj as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const v = record[key];
      if (v === undefined) continue;
      parts.push(`${JSON.stringify(key)}:${write(v, depth + 1, stack)}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    stack.delete(obj);
  }
}

function fail(what: string): never {
  throw new TypeError(`canonicalJson: ${what}`);
}
