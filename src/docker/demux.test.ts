// Unit tests of the multiplexed-stream decoder: framing, split chunks, empty and oversized frames.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_BUFFERED_FRAME_BYTES, StreamDemuxer, demuxDockerStream, type DemuxFrame } from './demux.js';

function frame(type: number, payload: string | Buffer): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

function chunks(...parts: Buffer[]): AsyncIterable<Buffer> {
  return Readable.from(parts);
}

async function collect(source: AsyncIterable<DemuxFrame>): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for await (const f of source) out.push([f.stream, f.data.toString()]);
  return out;
}

describe('demuxDockerStream', () => {
  it('separates stdout and stderr frames delivered in one chunk', async () => {
    const input = Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), frame(1, 'more\n')]);
    expect(await collect(demuxDockerStream(chunks(input)))).toEqual([['stdout', 'out\n'], ['stderr', 'err\n'], ['stdout', 'more\n']]);
  });

  it('reassembles frames split at every byte, including inside the 8-byte header', async () => {
    const input = Buffer.concat([frame(2, 'hello'), frame(1, 'world')]);
    const single = [...input].map((b) => Buffer.from([b]));
    expect(await collect(demuxDockerStream(chunks(...single)))).toEqual([['stderr', 'hello'], ['stdout', 'world']]);
  });

  it('handles a header split into 3 + 5 bytes with the payload in a later chunk', async () => {
    const f = frame(1, 'abc');
    expect(await collect(demuxDockerStream(chunks(f.subarray(0, 3), f.subarray(3, 8), f.subarray(8))))).toEqual([['stdout', 'abc']]);
  });

  it('skips a 0-length frame and keeps decoding what follows', async () => {
    const input = Buffer.concat([frame(1, ''), frame(2, 'after')]);
    expect(await collect(demuxDockerStream(chunks(input)))).toEqual([['stderr', 'after']]);
  });

  it('treats stream type 0 (stdin) as stdout and type 3 as a system error frame', async () => {
    const input = Buffer.concat([frame(0, 'in'), frame(3, 'boom')]);
    expect(await collect(demuxDockerStream(chunks(input)))).toEqual([['stdout', 'in'], ['system', 'boom']]);
  });

  it('rejects input that is not multiplexed (raw TTY output)', async () => {
    await expect(collect(demuxDockerStream(chunks(Buffer.from('plain text output'))))).rejects.toThrow(/not a multiplexed Docker stream/);
  });

  it('returns the buffered part of a frame cut short when the stream ends', async () => {
    const f = frame(1, 'truncated-payload');
    expect(await collect(demuxDockerStream(chunks(f.subarray(0, 12))))).toEqual([['stdout', 'trun']]);
  });
});

describe('StreamDemuxer', () => {
  it('reports midFrame while a frame is incomplete and clears it once the frame is done', () => {
    const d = new StreamDemuxer();
    const f = frame(1, 'xyz');
    expect(d.push(f.subarray(0, 5))).toEqual([]);
    expect(d.midFrame).toBe(true);
    expect(d.push(f.subarray(5)).map((x) => x.data.toString())).toEqual(['xyz']);
    expect(d.midFrame).toBe(false);
  });

  it('hands a frame larger than the buffer limit on in pieces no larger than the limit', () => {
    const d = new StreamDemuxer();
    const payload = Buffer.alloc(MAX_BUFFERED_FRAME_BYTES * 2 + 10, 0x61);
    const f = frame(2, payload);
    const out: DemuxFrame[] = [];
    for (let i = 0; i < f.length; i += 64 * 1024) out.push(...d.push(f.subarray(i, i + 64 * 1024)));
    expect(out.every((x) => x.stream === 'stderr' && x.data.length <= MAX_BUFFERED_FRAME_BYTES)).toBe(true);
    expect(out.reduce((n, x) => n + x.data.length, 0)).toBe(payload.length);
    expect(out.length).toBe(3);
  });

  it('keeps a frame whose size equals the limit as one piece', () => {
    const d = new StreamDemuxer();
    const out = d.push(frame(1, Buffer.alloc(MAX_BUFFERED_FRAME_BYTES, 0x62)));
    expect(out.length).toBe(1);
    expect(out[0]!.data.length).toBe(MAX_BUFFERED_FRAME_BYTES);
  });
});
