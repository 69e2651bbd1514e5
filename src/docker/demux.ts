// Incremental decoder for Docker's 8-byte-header multiplexed stdout/stderr stream (Tty=false).

/** Which stream a demultiplexed piece came from. `system` is a daemon error (stream type 3, API ≥ 1.42). */
export type DemuxStream = 'stdout' | 'stderr' | 'system';

/** One decoded frame (or, for frames larger than {@link MAX_BUFFERED_FRAME_BYTES}, one piece of a frame). */
export interface DemuxFrame {
  stream: DemuxStream;
  data: Buffer;
}

/** Size of the frame header: stream type, three zero bytes, big-endian uint32 payload length. */
export const FRAME_HEADER_BYTES = 8;
/**
 * A frame's payload is buffered until complete so that one log line stays one chunk; a frame
 * larger than this is handed on in pieces of at most this size instead of held in memory.
 */
export const MAX_BUFFERED_FRAME_BYTES = 1024 * 1024;

const STREAM_BY_TYPE: Record<number, DemuxStream> = { 0: 'stdout', 1: 'stdout', 2: 'stderr', 3: 'system' };

/**
 * Stateful decoder: feed it chunks in arrival order with {@link StreamDemuxer.push}; it returns the
 * frames completed so far and keeps partial headers and payloads for the next chunk.
 * Throws on a header whose stream type or padding is invalid (the input is not multiplexed).
 */
export class StreamDemuxer {
  private header = Buffer.alloc(FRAME_HEADER_BYTES);
  private headerFill = 0;
  private stream: DemuxStream | undefined;
  private remaining = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** True when the input so far ends in the middle of a header or payload. */
  get midFrame(): boolean {
    return this.headerFill > 0 || this.stream !== undefined;
  }

  /** Decodes one chunk; returns the frames (or large-frame pieces) it completed. */
  push(chunk: Uint8Array): DemuxFrame[] {
    const out: DemuxFrame[] = [];
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    while (pos < buf.length) {
      if (this.stream === undefined) {
        const take = Math.min(FRAME_HEADER_BYTES - this.headerFill, buf.length - pos);
        buf.copy(this.header, this.headerFill, pos, pos + take);
        this.headerFill += take;
        pos += take;
        if (this.headerFill < FRAME_HEADER_BYTES) break;
        this.startFrame();
        continue;
      }
      const take = Math.min(this.remaining, buf.length - pos, MAX_BUFFERED_FRAME_BYTES - this.pendingBytes);
      this.pending.push(buf.subarray(pos, pos + take));
      this.pendingBytes += take;
      this.remaining -= take;
      pos += take;
      if (this.remaining === 0 || this.pendingBytes >= MAX_BUFFERED_FRAME_BYTES) this.emit(out);
      if (this.remaining === 0) this.stream = undefined;
    }
    return out;
  }

  /** Returns whatever payload of an unfinished frame is buffered (used when the stream ends early). */
  flush(): DemuxFrame[] {
    const out: DemuxFrame[] = [];
    if (this.pendingBytes > 0) this.emit(out);
    this.stream = undefined;
    this.remaining = 0;
    this.headerFill = 0;
    return out;
  }

  private startFrame(): void {
    const h = this.header;
    const stream = STREAM_BY_TYPE[h[0] ?? 255];
    if (stream === undefined || h[1] !== 0 || h[2] !== 0 || h[3] !== 0) {
      throw new Error(`not a multiplexed Docker stream: bad frame header ${h.toString('hex')}`);
    }
    this.headerFill = 0;
    this.remaining = h.readUInt32BE(4);
    if (this.remaining === 0) return; // an empty frame carries nothing: skip it
    this.stream = stream;
  }

  private emit(out: DemuxFrame[]): void {
    const data = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending, this.pendingBytes);
    out.push({ stream: this.stream ?? 'stdout', data });
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/**
 * Demultiplexes a Docker stdout/stderr stream (the body of logs/attach/exec when Tty=false).
 * Frames may be split across chunks at any byte, including inside the header.
 *
 * @example
 * for await (const f of demuxDockerStream(body)) process[f.stream === 'stderr' ? 'stderr' : 'stdout'].write(f.data);
 */
export async function* demuxDockerStream(source: AsyncIterable<Uint8Array>): AsyncGenerator<DemuxFrame> {
  const demuxer = new StreamDemuxer();
  for await (const chunk of source) {
    yield* demuxer.push(chunk);
  }
  yield* demuxer.flush();
}
