// Unit tests of the newline-delimited JSON splitter used for events, stats and pull progress.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseJsonLines } from './json-lines.js';

function chunks(...parts: string[]): AsyncIterable<Buffer> {
  return Readable.from(parts.map((p) => Buffer.from(p)));
}

async function collect(source: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const v of source) out.push(v);
  return out;
}

describe('parseJsonLines', () => {
  it('parses one value per line, with lines split across chunks and CRLF endings', async () => {
    const values = await collect(parseJsonLines(chunks('{"a":1}\r\n{"b"', ':2}\n', '\n{"c":', '3}\r\n')));
    expect(values).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('parses a last line that has no trailing newline', async () => {
    expect(await collect(parseJsonLines(chunks('{"a":1}\n{"b":2}')))).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('keeps multi-byte UTF-8 characters split between chunks intact', async () => {
    const bytes = Buffer.from('{"s":"é✓"}\n');
    const split = Readable.from([bytes.subarray(0, 7), bytes.subarray(7)]);
    expect(await collect(parseJsonLines(split))).toEqual([{ s: 'é✓' }]);
  });

  it('rejects a line longer than the limit, at the limit it still parses', async () => {
    const line = `{"x":"${'a'.repeat(20)}"}`; // 28 bytes
    expect(await collect(parseJsonLines(chunks(`${line}\n`), line.length))).toEqual([{ x: 'a'.repeat(20) }]);
    await expect(collect(parseJsonLines(chunks(line.slice(0, 10), `${line.slice(10)}\n`), line.length - 1))).rejects.toThrow(/exceeds 27 bytes/);
    await expect(collect(parseJsonLines(chunks(line.slice(0, 10), line.slice(10)), line.length - 1))).rejects.toThrow(/exceeds/);
  });

  it('rejects a line that is not JSON, quoting the start of it', async () => {
    await expect(collect(parseJsonLines(chunks('{"ok":1}\nnot json\n')))).rejects.toThrow(/invalid JSON line from the Docker daemon: not json/);
  });
});
