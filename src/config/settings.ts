// Declares settings once (env var, flag, default, help, secret?) and reads them from an env object.

/** One setting: where it comes from, what it defaults to, and how it is parsed. */
export interface SettingSpec<T> {
  /** Environment variable name (e.g. `CONTAINERS`, `PORTCULLIS_LISTEN`). */
  env: string;
  /** Command-line flag, when the command has one (e.g. `--listen`). */
  flag?: string;
  /** Default as the raw string a user would write; undefined means unset. */
  default: string | undefined;
  help: string;
  /** Never print the value (logs, errors, `config` output). */
  secret?: boolean;
  /** Group for docs and help output. */
  group: string;
  parse: (raw: string | undefined, env: string) => T;
}

/** A bad setting value: the message names the variable and what it accepts, never a secret value. */
export class SettingError extends Error {
  constructor(
    readonly env: string,
    message: string,
  ) {
    super(message);
    this.name = 'SettingError';
  }
}

/** Reads every declared setting from `env`; returns the typed values. */
export function readSettings<S extends Record<string, SettingSpec<unknown>>>(
  specs: S,
  env: Readonly<Record<string, string | undefined>>,
): { [K in keyof S]: ReturnType<S[K]['parse']> } {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const raw = env[spec.env] ?? spec.default;
    out[key] = spec.parse(raw, spec.env);
  }
  return out as { [K in keyof S]: ReturnType<S[K]['parse']> };
}

/**
 * The environment with command-line flags laid over it (a flag wins): each setting that has a flag is
 * looked up under commander's camelCase name (`--tls-cert` → `tlsCert`); a boolean flag becomes 1/0.
 */
export function withFlags(
  specs: Record<string, SettingSpec<unknown>>,
  env: Readonly<Record<string, string | undefined>>,
  flags: Readonly<Record<string, string | boolean | undefined>>,
): Record<string, string | undefined> {
  const merged: Record<string, string | undefined> = { ...env };
  for (const spec of Object.values(specs)) {
    if (spec.flag === undefined) continue;
    const key = spec.flag.slice(2).replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    const v = flags[key];
    if (v !== undefined) merged[spec.env] = typeof v === 'boolean' ? (v ? '1' : '0') : v;
  }
  return merged;
}

/** Names of `PORTCULLIS_*` variables in `env` that no declared setting uses (likely typos). */
export function unknownPrefixedVars(
  specs: readonly Record<string, SettingSpec<unknown>>[],
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const known = new Set(specs.flatMap((s) => Object.values(s).map((x) => x.env)));
  return Object.keys(env).filter((k) => k.startsWith('PORTCULLIS_') && !known.has(k)).sort();
}

/**
 * HAProxy's `-m bool` on an env value: optional sign and leading digits, non-zero is true.
 * So `1`, `01`, `2`, `-1`, `1x` are true and `true`, `yes`, ` 1`, empty and unset are false
 * (tecnativa/docker-socket-proxy reads its switches this way).
 * @example haproxyBool('true') === false
 */
export function haproxyBool(raw: string | undefined): boolean {
  if (raw === undefined) return false;
  const m = /^[+-]?(\d+)/.exec(raw);
  if (!m) return false;
  return /[1-9]/.test(m[1] ?? '');
}

/** True when a value looks meant as true but HAProxy-style parsing reads it as false (`true`, `yes`, `on`). */
export function looksLikeWordTrue(raw: string | undefined): boolean {
  return raw !== undefined && /^\s*(true|yes|on|y)\s*$/i.test(raw);
}

/** Plain boolean for Portcullis's own switches: 1/true/yes/on and 0/false/no/off, anything else is an error. */
export function strictBool(raw: string | undefined, env: string): boolean {
  if (raw === undefined || raw === '') return false;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new SettingError(env, `${env} must be 1/true/yes/on or 0/false/no/off`);
}

/** Comma-separated list; blanks dropped. */
export function csv(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(values: readonly T[]) {
  return (raw: string | undefined, env: string): T => {
    const v = (raw ?? '').trim().toLowerCase();
    if ((values as readonly string[]).includes(v)) return v as T;
    throw new SettingError(env, `${env} must be one of ${values.join(', ')}`);
  };
}

/** A positive integer. */
export function positiveInt(raw: string | undefined, env: string): number {
  const n = Number(raw);
  if (!raw || !Number.isInteger(n) || n <= 0) throw new SettingError(env, `${env} must be a positive integer`);
  return n;
}
