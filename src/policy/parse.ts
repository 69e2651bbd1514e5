// Parses a raw request target the way dockerd (Go net/http + gorilla/mux) does, and matches the route table.
import { ROUTES, type RouteSpec } from './routes.js';
import type { ParsedRequest } from './types.js';

/** A refusal produced while parsing: malformed (400) or non-canonical / unknown (403). */
export interface ParseRefusal {
  ok: false;
  status: number;
  rule: string;
  reason: string;
}

export type ParseResult = { ok: true; request: ParsedRequest } | ParseRefusal;

const VERSION_PREFIX = /^\/v([0-9.]+)(\/.*)$/;
const HEX = /^[0-9a-fA-F]{2}$/;
/** Longest request target we look at; dockerd itself caps the header block at 1 MiB. */
export const MAX_TARGET_LENGTH = 8192;

function refuse(status: number, rule: string, reason: string): ParseRefusal {
  return { ok: false, status, rule, reason };
}

/** Decodes `%XX` escapes once, like Go's `url.PathUnescape`; undefined when an escape is invalid. */
export function decodeOnce(s: string): string | undefined {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const hex = s.slice(i + 1, i + 3);
      if (!HEX.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c < 0x100) {
      // Node hands the request line over as latin1: each char is one byte of the raw target.
      bytes.push(c);
    } else {
      bytes.push(...Buffer.from(s[i] ?? '', 'utf8'));
    }
  }
  const buf = Buffer.from(bytes);
  const text = buf.toString('utf8');
  // Invalid UTF-8 after decoding: no Docker object can have such a name; refuse rather than guess.
  if (!Buffer.from(text, 'utf8').equals(buf)) return undefined;
  return text;
}

/** Go's `path.Clean` plus gorilla/mux's rule of keeping one trailing slash. */
export function cleanPath(p: string): string {
  if (p === '') return '/';
  const rooted = p.startsWith('/') ? p : `/${p}`;
  const out: string[] = [];
  for (const seg of rooted.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  let cleaned = `/${out.join('/')}`;
  if (rooted.endsWith('/') && cleaned !== '/') cleaned += '/';
  return cleaned;
}

/**
 * Parses method and raw target into a canonical request, refusing what dockerd would refuse or
 * redirect (invalid escapes, control bytes, non-canonical paths, absolute-form targets).
 * @example parseTarget('GET', '/v1.41/containers/json?all=1')
 */
export function parseTarget(method: string, rawTarget: string): ParseResult {
  if (rawTarget.length > MAX_TARGET_LENGTH) return refuse(414, 'parse:target-too-long', 'request target too long');
  if (!rawTarget.startsWith('/')) {
    return refuse(400, 'parse:target-form', 'only origin-form request targets (starting with /) are accepted');
  }
  const q = rawTarget.indexOf('?');
  const rawPath = q === -1 ? rawTarget : rawTarget.slice(0, q);
  const rawQuery = q === -1 ? '' : rawTarget.slice(q + 1);
  const decoded = decodeOnce(rawPath);
  if (decoded === undefined) return refuse(400, 'parse:escape', 'invalid percent-encoding in path');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(decoded)) return refuse(400, 'parse:control', 'control character in path');
  if (cleanPath(decoded) !== decoded) {
    return refuse(403, 'parse:non-canonical', 'non-canonical path (//, /./ or /../): dockerd would redirect it');
  }
  if (rawQuery.includes(';')) return refuse(400, 'parse:query', 'semicolons are not accepted in the query (Go refuses them)');
  if (/%(?![0-9a-fA-F]{2})/.test(rawQuery)) return refuse(400, 'parse:query', 'invalid percent-encoding in query');
  let path = decoded;
  let version: string | undefined;
  const vm = VERSION_PREFIX.exec(decoded);
  if (vm) {
    version = vm[1];
    path = vm[2] ?? '/';
  }
  return { ok: true, request: { method, path, version, rawQuery, query: new URLSearchParams(rawQuery) } };
}

interface CompiledRoute {
  spec: RouteSpec;
  re: RegExp;
}

function compile(template: string): RegExp {
  let src = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open === -1) {
      src += escapeRe(template.slice(i));
      break;
    }
    src += escapeRe(template.slice(i, open));
    const close = template.indexOf('}', open);
    const inner = template.slice(open + 1, close);
    const colon = inner.indexOf(':');
    src += colon === -1 ? '([^/]+)' : `(${inner.slice(colon + 1)})`;
    i = close + 1;
  }
  return new RegExp(`^${src}$`, 's');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return end === -1 ? path.slice(1) : path.slice(1, end);
}

/** Routes indexed by `METHOD first-segment`, each list in registration order. */
const INDEX = new Map<string, CompiledRoute[]>();
for (const spec of ROUTES) {
  const key = `${spec.method} ${firstSegment(spec.template)}`;
  const list = INDEX.get(key) ?? [];
  list.push({ spec, re: compile(spec.template) });
  INDEX.set(key, list);
}

/** A matched route with its path variables (first one is the object id or name, when any). */
export interface RouteMatch {
  spec: RouteSpec;
  params: string[];
}

/** Finds the route dockerd would run for this method and canonical path; undefined when none. */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  const list = INDEX.get(`${method} ${firstSegment(path)}`);
  if (!list) return undefined;
  for (const { spec, re } of list) {
    const m = re.exec(path);
    if (m) return { spec, params: m.slice(1) };
  }
  return undefined;
}
