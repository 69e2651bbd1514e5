// Unit tests of the log colour parser: SGR codes become classes, other escapes vanish, markup stays text.
import { describe, expect, it } from 'vitest';
import { color256, parseAnsi, stripAnsi } from './ansi';

describe('parseAnsi', () => {
  it('turns foreground, bold and reset codes into classes on text segments', () => {
    expect(parseAnsi('\x1b[1;31merror\x1b[0m ok')).toEqual([
      { text: 'error', classes: 'ansi-bold ansi-fg-1' },
      { text: ' ok', classes: '' },
    ]);
  });

  it('maps bright, background, 256-colour and true-colour codes onto the 16 classes', () => {
    expect(parseAnsi('\x1b[92;44mx')).toEqual([{ text: 'x', classes: 'ansi-fg-10 ansi-bg-4' }]);
    expect(parseAnsi('\x1b[38;5;196mx')[0]?.classes).toBe('ansi-fg-1');
    expect(parseAnsi('\x1b[38;2;0;0;0mx')[0]?.classes).toBe('ansi-fg-0');
    expect(color256(3)).toBe(3);
  });

  it('keeps HTML in a log line as plain text and drops cursor and title escapes', () => {
    const segs = parseAnsi('<script>window.__pwned=1</script>\x1b[2K\x1b]0;title\x07 done');
    expect(segs).toEqual([{ text: '<script>window.__pwned=1</script> done', classes: '' }]);
  });

  it('strips every escape for search and download', () => {
    expect(stripAnsi('\x1b[31mred\x1b[0m and \x1b[?25lhidden cursor')).toBe('red and hidden cursor');
  });
});
