// A pass-through unix socket in front of the real dockerd that records every HTTP request it relays.
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_SOCKET } from './docker-cli.js';

/** One request head (and body) as it reached dockerd. */
export interface RecordedRequest {
  /** Which upstream connection carried it (1-based, in accept order). */
  connection: number;
  method: string;
  target: string;
  /** Header names lower-cased; repeated headers keep every value. */
  headers: Record<string, string[]>;
  /** The body bytes (capped at 1 MiB); filled in once the body has fully passed. */
  body: Buffer;
  /** The request head could not be parsed: everything after it is unknown bytes. */
  malformed?: boolean;
}

export interface RecordingUpstream {
  /** Point the proxy's SOCKET_PATH here. */
  socketPath: string;
  /** Every request seen so far, in order. */
  readonly requests: readonly RecordedRequest[];
  /** A position in `requests`; pass it to `since`. */
  mark(): number;
  /** Requests recorded after `mark`. */
  since(mark: number): RecordedRequest[];
  /** Resolves once `count` requests were recorded after `mark` (rejects after `timeoutMs`). */
  waitFor(mark: number, count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Waits a little, then returns what arrived after `mark` (for "the daemon received nothing"). */
  settle(mark: number, ms?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

const MAX_RECORDED_BODY = 1024 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');

interface Head {
  startLine: string;
  headers: Record<string, string[]>;
}

function parseHead(raw: string): Head | undefined {
  const lines = raw.split('\r\n');
  const startLine = lines.shift() ?? '';
  const headers: Record<string, string[]> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i <= 0) return undefined;
    const name = line.slice(0, i).trim().toLowerCase();
    (headers[name] ??= []).push(line.slice(i + 1).trim());
  }
  return { startLine, headers };
}

type Framing = { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' } | { kind: 'none' };

function framing(h: Head, isResponse: boolean, status = 0, requestMethod = ''): Framing {
  if (isResponse && (status === 101 || status === 204 || status === 304 || (status >= 100 && status < 200) || requestMethod === 'HEAD')) {
    return { kind: 'none' };
  }
  const te = (h.headers['transfer-encoding'] ?? []).join(',').toLowerCase();
  if (te.includes('chunked')) return { kind: 'chunked' };
  const cl = h.headers['content-length']?.[0];
  if (cl !== undefined) {
    const n = /^\d+$/.test(cl) ? Number(cl) : NaN;
    return Number.isSafeInteger(n) ? { kind: 'length', left: n } : { kind: 'close' };
  }
  return isResponse ? { kind: 'close' } : { kind: 'none' };
}

/**
 * Incremental HTTP/1.1 message splitter: feeds bytes, emits heads and bodies. Chunked bodies are
 * walked chunk by chunk; `close` framing swallows everything that follows.
 */
class Splitter {
  private buf: Buffer = Buffer.alloc(0);
  private body: Framing = { kind: 'none' };
  private bodyBytes: Buffer[] = [];
  private chunkState: 'size' | 'data' | 'crlf' | 'trailer' = 'size';
  private chunkLeft = 0;
  stopped = false;

  constructor(
    private readonly onHead: (h: Head) => Framing | 'stop',
    private readonly onMessageEnd: (body: Buffer) => void,
    private readonly onGarbage: (raw: string) => void,
  ) {}

  /** Holds parsing (hijack candidates wait for their response before more bytes are read as requests). */
  held = false;

  push(data: Buffer): void {
    if (this.stopped) return;
    this.buf = this.buf.length ? Buffer.concat([this.buf, data]) : data;
    this.drain();
  }

  release(): void {
    this.held = false;
    this.drain();
  }

  private take(n: number): Buffer {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  private collect(b: Buffer): void {
    const have = this.bodyBytes.reduce((a, x) => a + x.length, 0);
    if (have < MAX_RECORDED_BODY) this.bodyBytes.push(b.subarray(0, MAX_RECORDED_BODY - have));
  }

  private finish(): void {
    const body = Buffer.concat(this.bodyBytes);
    this.bodyBytes = [];
    this.body = { kind: 'none' };
    this.onMessageEnd(body);
  }

  /** One step through a chunked body; false when more bytes are needed. */
  private walkChunked(): boolean {
    if (this.chunkState === 'data') {
      const n = Math.min(this.chunkLeft, this.buf.length);
      this.collect(this.take(n));
      this.chunkLeft -= n;
      if (this.chunkLeft === 0) this.chunkState = 'crlf';
      return true;
    }
    if (this.chunkState === 'crlf') {
      if (this.buf.length < 2) return false;
      this.take(2);
      this.chunkState = 'size';
      return true;
    }
    const eol = this.buf.indexOf('\r\n');
    if (eol === -1) return false;
    const line = this.take(eol + 2).toString('latin1').slice(0, -2);
    if (this.chunkState === 'trailer') {
      if (line === '') {
        this.chunkState = 'size';
        this.finish();
      }
      return true;
    }
    const size = parseInt(line.split(';')[0] ?? '', 16);
    if (Number.isNaN(size) || size < 0) {
      this.stopped = true;
      return false;
    }
    if (size === 0) this.chunkState = 'trailer';
    else {
      this.chunkLeft = size;
      this.chunkState = 'data';
    }
    return true;
  }

  private drain(): void {
    while (!this.stopped && this.buf.length) {
      const b = this.body;
      if (b.kind === 'close') {
        this.collect(this.take(this.buf.length));
        return;
      }
      if (b.kind === 'length') {
        const n = Math.min(b.left, this.buf.length);
        this.collect(this.take(n));
        b.left -= n;
        if (b.left === 0) this.finish();
        continue;
      }
      if (b.kind === 'chunked') {
        if (!this.walkChunked()) return;
        continue;
      }
      if (this.held) return;
      // skip stray CRLFs between messages, as HTTP parsers do
      while (this.buf.length >= 2 && this.buf[0] === 13 && this.buf[1] === 10) this.take(2);
      if (!this.buf.length) return;
      const end = this.buf.indexOf(HEAD_END);
      if (end === -1) {
        if (this.buf.length > 256 * 1024) {
          this.onGarbage(this.take(200).toString('latin1'));
          this.stopped = true;
        }
        return;
      }
      const raw = this.take(end + 4).toString('latin1').slice(0, -4);
      const head = parseHead(raw);
      if (!head) {
        this.onGarbage(raw);
        this.stopped = true;
        return;
      }
      const f = this.onHead(head);
      if (f === 'stop') {
        this.stopped = true;
        return;
      }
      this.body = f;
      if (f.kind === 'none' || (f.kind === 'length' && f.left === 0)) this.finish();
    }
  }
}

const HIJACK_ROUTE = /\/(attach(\/ws)?|exec\/.+\/start|session|grpc)$/;

function relay(client: Socket, socketPath: string, connection: number, record: (r: RecordedRequest) => void): void {
  const upstream = createConnection({ path: socketPath, allowHalfOpen: true });
  const pending: { method: string; target: string; mayHijack: boolean }[] = [];
  let current: RecordedRequest | undefined;

  const requests: Splitter = new Splitter(
    (h) => {
      const [method = '', target = ''] = h.startLine.split(' ');
      current = { connection, method, target, headers: h.headers, body: Buffer.alloc(0) };
      record(current); // recorded at its head: a body that never ends still counts as received
      const path = target.split('?')[0] ?? '';
      const mayHijack = HIJACK_ROUTE.test(path) || h.headers.upgrade !== undefined;
      pending.push({ method, target, mayHijack });
      return framing(h, false);
    },
    (body) => {
      if (current) current.body = body;
      current = undefined;
      if (pending.at(-1)?.mayHijack) requests.held = true;
    },
    (raw) => record({ connection, method: '?', target: raw.slice(0, 120), headers: {}, body: Buffer.alloc(0), malformed: true }),
  );

  const responses = new Splitter(
    (h) => {
      const status = Number(h.startLine.split(' ')[1]);
      if (status >= 100 && status < 200 && status !== 101) return { kind: 'none' };
      const req = pending.shift();
      const f = framing(h, true, status, req?.method ?? '');
      if (status === 101 || f.kind === 'close') {
        // hijacked (or read-until-close): the rest of the client bytes are a raw stream, not requests
        requests.stopped = true;
        return 'stop';
      }
      if (requests.held) queueMicrotask(() => requests.release());
      return f;
    },
    () => undefined,
    () => undefined,
  );

  client.on('data', (d: Buffer) => {
    requests.push(d);
    upstream.write(d);
  });
  upstream.on('data', (d: Buffer) => {
    responses.push(d);
    client.write(d);
  });
  client.on('end', () => upstream.end());
  upstream.on('end', () => client.end());
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
}

/**
 * Starts a unix socket that forwards byte for byte to the real Docker socket and records the HTTP
 * requests it carries (parsing stops on a connection once it is hijacked).
 * @example const up = await startRecordingUpstream(); // SOCKET_PATH=up.socketPath
 */
export async function startRecordingUpstream(upstreamPath: string = DOCKER_SOCKET): Promise<RecordingUpstream> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-rec-'));
  const socketPath = join(dir, 'docker.sock');
  const requests: RecordedRequest[] = [];
  const waiters = new Set<() => void>();
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    relay(client, upstreamPath, ++connections, (r) => {
      requests.push(r);
      for (const w of waiters) w();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  const since = (mark: number): RecordedRequest[] => requests.slice(mark);
  return {
    socketPath,
    requests,
    mark: () => requests.length,
    since,
    waitFor(mark, count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (requests.length - mark >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(since(mark));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} request(s) at dockerd, saw ${requests.length - mark}: ${JSON.stringify(since(mark).map((r) => `${r.method} ${r.target}`))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async settle(mark, ms = 150) {
      await new Promise((r) => setTimeout(r, ms));
      return since(mark);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
