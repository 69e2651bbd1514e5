// A strict JSON parser that sees request bodies the way dockerd's Go encoding/json does.
import { goFold } from './fold.js';
import type { JsonObject, JsonValue } from './value.js';

/** Deepest nesting of objects/arrays accepted (Docker bodies need under 10; Go allows 10,000). */
export const MAX_JSON_DEPTH = 64;

/** Outcome of {@link parseGoJson}. */
export type GoJsonResult =
  | { ok: true; value: JsonValue }
  | { ok: false; reason: string; error: 'duplicate-key' | 'invalid' };

class JsonSyntaxError extends Error {}
class DuplicateKeyError extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Printable, bounded form of a key for error messages. */
export function showKey(key: string): string {
  const s = JSON.stringify(key);
  return s.length > 80 ? `${s.slice(0, 77)}..."` : s;
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  fail(what: string): never {
    throw new JsonSyntaxError(`invalid JSON at offset ${this.pos}: ${what}`);
  }

  ws(): void {
    for (;;) {
      const c = this.src.charCodeAt(this.pos);
      // Go's isSpace: space, tab, CR, LF only.
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else return;
    }
  }

  document(): JsonValue {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.pos < this.src.length) this.fail('unexpected content after JSON');
    return v;
  }

  value(depth: number): JsonValue {
    const c = this.src[this.pos];
    if (c === '{') return this.object(depth + 1);
    if (c === '[') return this.array(depth + 1);
    if (c === '"') return this.string();
    if (c === 't') return this.literal('true', true);
    if (c === 'f') return this.literal('false', false);
    if (c === 'n') return this.literal('null', null);
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.src);
    if (m === null) this.fail(c === undefined ? 'unexpected end of input' : `unexpected character ${JSON.stringify(c)}`);
    this.pos += m[0].length;
    return { kind: 'number', raw: m[0] };
  }

  literal<T>(word: string, v: T): T {
    if (!this.src.startsWith(word, this.pos)) this.fail(`expected ${word}`);
    this.pos += word.length;
    return v;
  }

  enter(depth: number): void {
    if (depth > MAX_JSON_DEPTH) this.fail(`nesting deeper than ${MAX_JSON_DEPTH}`);
    this.pos++;
    this.ws();
  }

  array(depth: number): JsonValue[] {
    this.enter(depth);
    const out: JsonValue[] = [];
    if (this.src[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth));
      this.ws();
      const c = this.src[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail("expected ',' or ']'");
      this.ws();
    }
  }

  object(depth: number): JsonObject {
    this.enter(depth);
    const entries: [string, JsonValue][] = [];
    const seen = new Map<string, string>();
    if (this.src[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', entries };
    }
    for (;;) {
      if (this.src[this.pos] !== '"') this.fail('expected a string key');
      const key = this.string();
      const folded = goFold(key);
      const prior = seen.get(folded);
      if (prior !== undefined) {
        const same = prior === key ? '' : ` (same field as ${showKey(prior)} under Go case folding)`;
        throw new DuplicateKeyError(`duplicate key ${showKey(key)}${same}`);
      }
      seen.set(folded, key);
      this.ws();
      if (this.src[this.pos++] !== ':') this.fail("expected ':'");
      this.ws();
      entries.push([key, this.value(depth)]);
      this.ws();
      const c = this.src[this.pos++];
      if (c === '}') return { kind: 'object', entries };
      if (c !== ',') this.fail("expected ',' or '}'");
      this.ws();
    }
  }

  hex4(): number | undefined {
    const h = this.src.slice(this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) return undefined;
    this.pos += 4;
    return parseInt(h, 16);
  }

  string(): string {
    this.pos++;
    let out = '';
    let start = this.pos;
    for (;;) {
      const c = this.src.charCodeAt(this.pos);
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c === 0x22) {
        out += this.src.slice(start, this.pos++);
        return out;
      }
      if (c < 0x20) this.fail('control character in string');
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += this.src.slice(start, this.pos);
      out += this.escape();
      start = this.pos;
    }
  }

  /** One escape sequence; lone surrogates become U+FFFD exactly like Go's unquote. */
  escape(): string {
    const e = this.src[++this.pos];
    this.pos++;
    if (e !== undefined && e !== 'u') {
      const r = ESCAPES[e];
      if (r === undefined) this.fail(`invalid escape \\${e}`);
      return r;
    }
    const u = this.hex4() ?? this.fail('invalid \\u escape');
    if (u < 0xd800 || u > 0xdfff) return String.fromCharCode(u);
    if (u <= 0xdbff && this.src.startsWith('\\u', this.pos)) {
      const save = this.pos;
      this.pos += 2;
      const lo = this.hex4();
      if (lo !== undefined && lo >= 0xdc00 && lo <= 0xdfff) return String.fromCharCode(u, lo);
      this.pos = save;
    }
    return '\ufffd';
  }
}


/**
 * Parses a request body the way dockerd's `encoding/json` would see it, but stricter where Go is
 * lenient: duplicate keys (after Go folding) in one object are refused instead of merged,
 * invalid UTF-8 is refused instead of replaced by U+FFFD, content after the first value is
 * refused (Go's Decoder would ignore it on Docker 20.10 and reject it on newer engines), and
 * nesting is capped at {@link MAX_JSON_DEPTH}.
 */
export function parseGoJson(buf: Buffer | string): GoJsonResult {
  let src: string;
  if (typeof buf === 'string') {
    src = buf;
  } else {
    try {
      src = utf8.decode(buf);
    } catch {
      return { ok: false, reason: 'invalid JSON: body is not valid UTF-8', error: 'invalid' };
    }
  }
  try {
    return { ok: true, value: new Parser(src).document() };
  } catch (err) {
    if (err instanceof DuplicateKeyError) return { ok: false, reason: err.message, error: 'duplicate-key' };
    if (err instanceof JsonSyntaxError) return { ok: false, reason: err.message, error: 'invalid' };
    throw err;
  }
}
