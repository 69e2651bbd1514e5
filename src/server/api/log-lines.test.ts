import { describe, expect, it } from 'vitest';
import { LogLineSplitter, MAX_LOG_LINE_BYTES } from './log-lines.js';

const chunk = (stream: 'stdout' | 'stderr' | 'raw', s: string | Buffer) => ({ stream, data: typeof s === 'string' ? Buffer.from(s) : s });

describe('log line splitter', () => {
  it('joins lines split across chunks and keeps the streams apart', () => {
    const sp = new LogLineSplitter();
    expect(sp.push(chunk('stdout', 'hel'))).toEqual([]);
    expect(sp.push(chunk('stderr', 'oops\n'))).toEqual([{ stream: 'stderr', text: 'oops' }]);
    expect(sp.push(chunk('stdout', 'lo\nwor'))).toEqual([{ stream: 'stdout', text: 'hello' }]);
    expect(sp.flush()).toEqual([{ stream: 'stdout', text: 'wor' }]);
  });

  it('keeps a multi-byte character cut between two chunks intact', () => {
    const bytes = Buffer.from('café ☕\n');
    const sp = new LogLineSplitter();
    expect(sp.push(chunk('stdout', bytes.subarray(0, 4)))).toEqual([]);
    expect(sp.push(chunk('stdout', bytes.subarray(4)))).toEqual([{ stream: 'stdout', text: 'café ☕' }]);
  });

  it('reads a TTY stream as stdout and drops the carriage return', () => {
    expect(new LogLineSplitter().push(chunk('raw', 'a\r\nb\r\n'))).toEqual([{ stream: 'stdout', text: 'a' }, { stream: 'stdout', text: 'b' }]);
  });

  it('moves the Docker timestamp into time when timestamps are on, and leaves text alone when off', () => {
    const line = '2024-05-01T10:00:00.123456789Z started\n';
    expect(new LogLineSplitter({ timestamps: true }).push(chunk('stdout', line))).toEqual([{ stream: 'stdout', text: 'started', time: '2024-05-01T10:00:00.123456789Z' }]);
    expect(new LogLineSplitter().push(chunk('stdout', line))).toEqual([{ stream: 'stdout', text: line.trimEnd() }]);
  });

  it('searches as case-insensitive plain text, so regex metacharacters match only themselves', () => {
    const sp = new LogLineSplitter({ search: 'ERROR (.*)' });
    const lines = sp.push(chunk('stdout', 'error (.*) here\nerror x here\nall fine\n'));
    expect(lines.map((l) => l.text)).toEqual(['error (.*) here']);
    expect(new LogLineSplitter({ search: 'ERR' }).push(chunk('stdout', 'an error\nok\n')).map((l) => l.text)).toEqual(['an error']);
  });

  it('cuts an endless line at the limit and marks the pieces truncated', () => {
    const sp = new LogLineSplitter();
    const out = sp.push(chunk('stdout', 'x'.repeat(MAX_LOG_LINE_BYTES * 2 + 5)));
    expect(out.map((l) => [l.text.length, l.truncated])).toEqual([[MAX_LOG_LINE_BYTES, true], [MAX_LOG_LINE_BYTES, true]]);
    expect(sp.flush()).toEqual([{ stream: 'stdout', text: 'xxxxx' }]);
  });
});
