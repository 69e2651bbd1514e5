// Turns Docker log chunks into lines (per stream, split on newline bytes so multi-byte characters survive), with timestamps and search.
import type { LogChunk } from '../../docker/index.js';

/** Longest line kept, in bytes; a longer one is cut there and marked `truncated`. */
export const MAX_LOG_LINE_BYTES = 16 * 1024;

/** One log line as the API returns it: Docker's text as data (never markup). */
export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
  /** RFC 3339 time Docker stamped the line with (when timestamps were asked for). */
  time?: string;
  truncated?: true;
}

const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;

/**
 * Splits chunks into lines. `timestamps`: Docker prefixed each line with its time, which becomes `time`.
 * `search`: keep only lines whose text contains it, compared case-insensitively as plain text (never a pattern).
 */
export class LogLineSplitter {
  private readonly pending = new Map<'stdout' | 'stderr', Buffer>();
  private readonly needle: string | undefined;

  constructor(private readonly opts: { timestamps?: boolean; search?: string } = {}) {
    this.needle = opts.search !== undefined && opts.search !== '' ? opts.search.toLowerCase() : undefined;
  }

  /** The complete lines that `chunk` finishes. A TTY's merged output (`raw`) counts as stdout. */
  push(chunk: LogChunk): LogLine[] {
    const stream = chunk.stream === 'stderr' ? 'stderr' : 'stdout';
    let buf = this.pending.has(stream) ? Buffer.concat([this.pending.get(stream)!, chunk.data]) : chunk.data;
    const out: LogLine[] = [];
    for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a)) {
      this.emit(out, stream, buf.subarray(0, nl), false);
      buf = buf.subarray(nl + 1);
    }
    while (buf.length > MAX_LOG_LINE_BYTES) {
      this.emit(out, stream, buf.subarray(0, MAX_LOG_LINE_BYTES), true);
      buf = buf.subarray(MAX_LOG_LINE_BYTES);
    }
    if (buf.length > 0) this.pending.set(stream, Buffer.from(buf));
    else this.pending.delete(stream);
    return out;
  }

  /** The unterminated rest of each stream, as last lines. */
  flush(): LogLine[] {
    const out: LogLine[] = [];
    for (const [stream, buf] of this.pending) this.emit(out, stream, buf, false);
    this.pending.clear();
    return out;
  }

  private emit(out: LogLine[], stream: 'stdout' | 'stderr', bytes: Buffer, truncated: boolean): void {
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    let time: string | undefined;
    const m = this.opts.timestamps ? STAMP.exec(text) : null;
    if (m) {
      time = m[1];
      text = text.slice(m[0].length);
    }
    if (this.needle !== undefined && !text.toLowerCase().includes(this.needle)) return;
    out.push({ stream, text, ...(time !== undefined ? { time } : {}), ...(truncated ? { truncated: true as const } : {}) });
  }
}
