// Compose-spec variable interpolation: $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR?e}, ${VAR:+r}, ${VAR+r}, $$.

/** Result of interpolating one string. */
export interface Interpolated {
  value: string;
  /** Whether any `$` substitution took place (a `$$` escape alone does not count). */
  interpolated: boolean;
  /** Variables that were unset and had no default (they became ''). */
  unresolved: string[];
  /** `${VAR:?message}` failures: Compose refuses the file. */
  errors: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Finds the index of the `}` closing a `${` that starts at `open` (nested `${…}` allowed), or -1. */
function closingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '$' && s[i + 1] === '{') {
      depth++;
      i++;
    } else if (s[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/**
 * Interpolates `text` with `env` the way Docker Compose does.
 *
 * @example interpolate('${HOST_IP:-127.0.0.1}:5432:5432', {}).value // '127.0.0.1:5432:5432'
 */
export function interpolate(text: string, env: Readonly<Record<string, string | undefined>>): Interpolated {
  const out: Interpolated = { value: '', interpolated: false, unresolved: [], errors: [] };
  if (!text.includes('$')) {
    out.value = text;
    return out;
  }
  let i = 0;
  let value = '';
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      value += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      value += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = closingBrace(text, i);
      if (end < 0) {
        out.errors.push(`unterminated "\${" in "${text}"`);
        value += text.slice(i);
        break;
      }
      value += expand(text.slice(i + 2, end), env, out);
      out.interpolated = true;
      i = end + 1;
      continue;
    }
    const m = NAME.exec(text.slice(i + 1));
    if (m) {
      value += lookup(m[0], env, out);
      out.interpolated = true;
      i += 1 + m[0].length;
      continue;
    }
    value += '$';
    i++;
  }
  out.value = value;
  return out;
}

function lookup(name: string, env: Readonly<Record<string, string | undefined>>, out: Interpolated): string {
  const v = env[name];
  if (v === undefined) {
    out.unresolved.push(name);
    return '';
  }
  return v;
}

/** Expands the inside of `${…}`. */
function expand(inner: string, env: Readonly<Record<string, string | undefined>>, out: Interpolated): string {
  const m = NAME.exec(inner);
  if (!m) {
    out.errors.push(`invalid interpolation "\${${inner}}"`);
    return '';
  }
  const name = m[0];
  const rest = inner.slice(name.length);
  if (rest === '') return lookup(name, env, out);
  const v = env[name];
  const colon = rest.startsWith(':');
  const op = colon ? rest[1] : rest[0];
  const arg = rest.slice(colon ? 2 : 1);
  // With a colon, an empty value counts as unset.
  const unset = v === undefined || (colon && v === '');
  const nested = (): string => {
    const r = interpolate(arg, env);
    out.unresolved.push(...r.unresolved);
    out.errors.push(...r.errors);
    return r.value;
  };
  switch (op) {
    case '-':
      return unset ? nested() : (v ?? '');
    case '?':
      if (unset) {
        out.errors.push(`required variable ${name} is not set${arg ? `: ${arg}` : ''}`);
        return '';
      }
      return v ?? '';
    case '+':
      return unset ? '' : nested();
    default:
      out.errors.push(`invalid interpolation "\${${inner}}"`);
      return '';
  }
}

/** Parses a `.env` file: KEY=VALUE lines, `#` comments, optional `export`, single/double quotes. */
export function parseDotenv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1] ?? '';
    let value = m[2] ?? '';
    const q = value[0];
    if ((q === '"' || q === "'") && value.lastIndexOf(q) > 0) {
      value = value.slice(1, value.lastIndexOf(q));
      if (q === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    env[key] = value;
  }
  return env;
}
