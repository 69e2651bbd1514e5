// ANSI SGR parser for container logs: text plus CSS class names per segment. It never produces HTML;
// React renders each segment as text in a <span className>, so a log line cannot inject markup or styles.

/** A run of text with the classes of its SGR state. */
export interface AnsiSegment {
  text: string;
  classes: string;
}

interface SgrState {
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  inverse: boolean;
  fg: number | undefined;
  bg: number | undefined;
}

const fresh = (): SgrState => ({ bold: false, dim: false, italic: false, underline: false, inverse: false, fg: undefined, bg: undefined });

// The 16 basic colours as RGB, to map 256-colour and true-colour codes onto the nearest class.
const BASIC: readonly (readonly [number, number, number])[] = [
  [0, 0, 0], [205, 49, 49], [13, 188, 121], [229, 229, 16], [36, 114, 200], [188, 63, 188], [17, 168, 205], [229, 229, 229],
  [102, 102, 102], [241, 76, 76], [35, 209, 139], [245, 245, 67], [59, 142, 234], [214, 112, 214], [41, 184, 219], [255, 255, 255],
];

function nearest(r: number, g: number, b: number): number {
  let best = 0;
  let bestD = Infinity;
  BASIC.forEach(([br, bg, bb], i) => {
    const d = (r - br) ** 2 + (g - bg) ** 2 + (b - bb) ** 2;
    if (d < bestD) [best, bestD] = [i, d];
  });
  return best;
}

/** A 256-colour palette index as one of the 16 basic colours. */
export function color256(n: number): number {
  if (n < 16) return n;
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return nearest(v, v, v);
  }
  const i = n - 16;
  const steps = [0, 95, 135, 175, 215, 255];
  return nearest(steps[Math.floor(i / 36) % 6] ?? 0, steps[Math.floor(i / 6) % 6] ?? 0, steps[i % 6] ?? 0);
}

/** Reads an extended colour (38/48 ;5;n or ;2;r;g;b) starting at params[i]; returns the colour and the index consumed up to. */
function extended(params: number[], i: number): [number | undefined, number] {
  const mode = params[i + 1];
  if (mode === 5) return [color256(Math.min(255, params[i + 2] ?? 0)), i + 2];
  if (mode === 2) return [nearest(params[i + 2] ?? 0, params[i + 3] ?? 0, params[i + 4] ?? 0), i + 4];
  return [undefined, i + 1];
}

function apply(s: SgrState, params: number[]): void {
  if (params.length === 0) params = [0];
  for (let i = 0; i < params.length; i++) {
    const p = params[i] ?? 0;
    if (p === 0) Object.assign(s, fresh());
    else if (p === 1) s.bold = true;
    else if (p === 2) s.dim = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) s.underline = true;
    else if (p === 7) s.inverse = true;
    else if (p === 22) s.bold = s.dim = false;
    else if (p === 23) s.italic = false;
    else if (p === 24) s.underline = false;
    else if (p === 27) s.inverse = false;
    else if (p >= 30 && p <= 37) s.fg = p - 30;
    else if (p === 39) s.fg = undefined;
    else if (p >= 40 && p <= 47) s.bg = p - 40;
    else if (p === 49) s.bg = undefined;
    else if (p >= 90 && p <= 97) s.fg = p - 90 + 8;
    else if (p >= 100 && p <= 107) s.bg = p - 100 + 8;
    else if (p === 38 || p === 48) {
      const [c, next] = extended(params, i);
      if (p === 38) s.fg = c;
      else s.bg = c;
      i = next;
    }
  }
}

function classesOf(s: SgrState): string {
  const out: string[] = [];
  const fg = s.inverse ? s.bg ?? 0 : s.fg;
  const bg = s.inverse ? s.fg ?? 7 : s.bg;
  if (s.bold) out.push('ansi-bold');
  if (s.dim) out.push('ansi-dim');
  if (s.italic) out.push('ansi-italic');
  if (s.underline) out.push('ansi-underline');
  if (fg !== undefined) out.push(`ansi-fg-${fg}`);
  if (bg !== undefined) out.push(`ansi-bg-${bg}`);
  return out.join(' ');
}

// CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), and any other two-byte escape.
// eslint-disable-next-line no-control-regex
const ESCAPE = /\x1b\[([0-9;:?]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?/g;

/**
 * Splits a log line into styled segments. SGR codes set classes; every other escape sequence is dropped.
 * @example parseAnsi('\x1b[31merror\x1b[0m ok') // [{text:'error',classes:'ansi-fg-1'},{text:' ok',classes:''}]
 */
export function parseAnsi(line: string): AnsiSegment[] {
  const out: AnsiSegment[] = [];
  const state = fresh();
  let last = 0;
  const push = (text: string): void => {
    if (text === '') return;
    const classes = classesOf(state);
    const prev = out[out.length - 1];
    if (prev && prev.classes === classes) prev.text += text;
    else out.push({ text, classes });
  };
  for (const m of line.matchAll(ESCAPE)) {
    push(line.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[2] === 'm') apply(state, (m[1] ?? '').split(/[;:]/).filter((x) => x !== '').map((x) => Number.parseInt(x, 10) || 0));
  }
  push(line.slice(last));
  return out;
}

/** The line without any escape sequence (for search and download). */
export function stripAnsi(line: string): string {
  return line.replace(ESCAPE, '');
}
