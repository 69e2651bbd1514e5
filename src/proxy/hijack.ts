// The upgrade path: attach/exec/session/grpc hijacks, tunnelled only after dockerd answers 101 (or 200+raw stream).
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Decision } from '../policy/index.js';
import { HOP_BY_HOP, denialBody, logRequest, upstreamErrorMessage, type DecisionWord, type ProxyContext } from './context.js';

/** Upgrade protocols dockerd speaks on its hijack routes. */
const UPGRADE_PROTOCOLS = new Set(['tcp', 'h2c', 'websocket']);
/** Longest upstream response head we wait for before giving up. */
export const MAX_UPSTREAM_HEAD_BYTES = 64 * 1024;
/** Content types with which dockerd answers 200 and then hijacks the connection. */
const HIJACK_CONTENT_TYPES = ['application/vnd.docker.raw-stream', 'application/vnd.docker.multiplexed-stream'];

function rawResponse(socket: Socket, status: number, text: string, body: string): void {
  const head = `HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`;
  socket.end(head + body);
}

/** Reads exactly `length` body bytes that follow the head; extra bytes are kept for after the 101. */
function readFramedBody(socket: Socket, head: Buffer, length: number, max: number): Promise<{ body: Buffer; rest: Buffer } | undefined> {
  if (length > max) return Promise.resolve(undefined);
  if (head.length >= length) return Promise.resolve({ body: head.subarray(0, length), rest: head.subarray(length) });
  return new Promise((resolve, reject) => {
    const chunks = [head];
    let size = head.length;
    const onData = (c: Buffer): void => {
      chunks.push(c);
      size += c.length;
      if (size >= length) {
        socket.off('data', onData);
        socket.off('error', reject);
        socket.pause();
        const all = Buffer.concat(chunks, size);
        resolve({ body: all.subarray(0, length), rest: all.subarray(length) });
      }
    };
    socket.on('data', onData);
    socket.on('error', reject);
    socket.resume();
  });
}

function serializeHead(req: IncomingMessage, body: Buffer): string {
  let head = `${req.method ?? 'POST'} ${req.url ?? '/'} HTTP/1.1\r\nHost: api.moby.localhost\r\n`;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const k = req.rawHeaders[i] ?? '';
    const lower = k.toLowerCase();
    if (HOP_BY_HOP.has(lower)) continue;
    head += `${k}: ${req.rawHeaders[i + 1] ?? ''}\r\n`;
  }
  const upgrade = String(req.headers.upgrade ?? '');
  head += `Connection: Upgrade\r\nUpgrade: ${upgrade}\r\nContent-Length: ${body.length}\r\n\r\n`;
  return head;
}

/** Handles one request that asked for `Connection: Upgrade`. */
export async function handleUpgrade(ctx: ProxyContext, req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
  const start = performance.now();
  const method = req.method ?? 'GET';
  const target = req.url ?? '/';
  const client = socket.remoteAddress;
  // Hold client bytes until dockerd has answered 101: nothing reaches the daemon before the verdict.
  socket.pause();
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  const deny = (d: Decision): void => {
    ctx.onDeny?.(method, target, d);
    rawResponse(socket, d.status, d.status === 400 ? 'Bad Request' : d.status === 413 ? 'Payload Too Large' : 'Forbidden', denialBody(d));
    logRequest(ctx, { method, target, decision: d, word: 'deny', status: d.status, start, client });
  };
  const ev = ctx.engine.evaluate(method, target, req.headers);
  let decision = ev.decision;
  let word: DecisionWord = 'allow';
  if (decision.allow && !ev.match?.spec.hijack) {
    return deny({ ...decision, allow: false, rule: 'upgrade:route', reason: 'Upgrade is only accepted on attach, exec start, session and grpc routes', status: 400 });
  }
  const proto = String(req.headers.upgrade ?? '').toLowerCase();
  if (!UPGRADE_PROTOCOLS.has(proto)) {
    return deny({ ...decision, allow: false, rule: 'upgrade:protocol', reason: 'Upgrade must be tcp, h2c or websocket', status: 400 });
  }
  if (req.headers['transfer-encoding'] !== undefined) {
    return deny({ ...decision, allow: false, rule: 'upgrade:chunked', reason: 'chunked bodies are refused on upgrade requests', status: 400 });
  }
  if (!decision.allow) {
    if (!(ctx.engine.mode === 'observe' && decision.status === 403)) return deny(decision);
    ctx.onDeny?.(method, target, decision);
    word = 'observe-deny';
  }
  const max = ev.constraints?.maxBodyBytes ?? 1024 * 1024;
  const framed = await readFramedBody(socket, head, Number(req.headers['content-length'] ?? 0), max);
  if (!framed) return deny({ ...decision, allow: false, rule: 'body:too-large', reason: `body larger than ${max} bytes`, status: 413 });
  let body = framed.body;
  if (ev.needsBody && decision.allow) {
    const v = ctx.engine.inspectBody(ev, req.headers['content-type'], body);
    if (!v.allow) {
      decision = { ...decision, allow: false, rule: v.rule, reason: v.reason, status: v.status };
      if (!(ctx.engine.mode === 'observe' && v.status === 403)) return deny(decision);
      word = 'observe-deny';
    } else body = v.body;
  }
  tunnel(ctx, req, socket, body, framed.rest, { method, target, decision, word, start, client });
}

interface TunnelLog {
  method: string;
  target: string;
  decision: Decision;
  word: DecisionWord;
  start: number;
  client: string | undefined;
}

function tunnel(ctx: ProxyContext, req: IncomingMessage, client: Socket, body: Buffer, early: Buffer, log: TunnelLog): void {
  const upstream = connect({ path: ctx.socketPath, allowHalfOpen: true });
  upstream.setNoDelay(true);
  let status = 0;
  let logged = false;
  const done = (error?: string): void => {
    if (logged) return;
    logged = true;
    logRequest(ctx, { ...log, status, ...(error ? { error } : {}) });
  };
  upstream.on('error', (err) => {
    if (status === 0) {
      const message = upstreamErrorMessage(ctx.socketPath, err);
      rawResponse(client, 502, 'Bad Gateway', JSON.stringify({ message }));
      status = 502;
    } else client.destroy();
    done((err as NodeJS.ErrnoException).code ?? 'upstream');
  });
  upstream.write(serializeHead(req, body));
  if (body.length) upstream.write(body);
  let headBuf = Buffer.alloc(0);
  const onHead = (c: Buffer): void => {
    headBuf = Buffer.concat([headBuf, c]);
    const end = headBuf.indexOf('\r\n\r\n');
    if (end === -1) {
      if (headBuf.length > MAX_UPSTREAM_HEAD_BYTES) {
        upstream.destroy();
        client.destroy();
        done('upstream head too large');
      }
      return;
    }
    upstream.off('data', onHead);
    const headText = headBuf.subarray(0, end).toString('latin1');
    status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(headText)?.[1] ?? 0);
    const ct = /\r\ncontent-type:\s*([^\r\n;]+)/i.exec(headText)?.[1]?.trim().toLowerCase() ?? '';
    const hijacked = status === 101 || (status === 200 && HIJACK_CONTENT_TYPES.includes(ct));
    client.write(headBuf);
    if (hijacked) return startPipes(ctx, client, upstream, early, done);
    // Not hijacked: relay this one response, then close; never forward more client bytes.
    const cl = /\r\ncontent-length:\s*(\d+)/i.exec(headText)?.[1];
    let remaining = cl === undefined ? Infinity : Number(cl) - (headBuf.length - end - 4);
    client.removeAllListeners('data');
    client.pause();
    const finish = (): void => {
      upstream.destroy();
      client.end();
      done();
    };
    if (remaining <= 0) return finish();
    upstream.on('data', (d: Buffer) => {
      client.write(d);
      remaining -= d.length;
      if (remaining <= 0) finish();
    });
    upstream.on('end', finish);
  };
  upstream.on('data', onHead);
}

function startPipes(ctx: ProxyContext, client: Socket, upstream: Socket, early: Buffer, done: (e?: string) => void): void {
  ctx.metrics.tunnelOpened();
  ctx.tunnels.add(client);
  let closed = 0;
  const closeOne = (): void => {
    closed += 1;
    if (closed === 2) {
      ctx.metrics.tunnelClosed();
      ctx.tunnels.delete(client);
      done();
    }
  };
  if (early.length) upstream.write(early);
  client.pipe(upstream, { end: false });
  upstream.pipe(client, { end: false });
  // Half-close: the client's EOF on stdin becomes the container's EOF, output keeps flowing back.
  client.on('end', () => upstream.end());
  upstream.on('end', () => client.end());
  client.on('close', (hadError) => {
    if (hadError) upstream.destroy();
    else upstream.end();
    closeOne();
  });
  upstream.on('close', (hadError) => {
    if (hadError) client.destroy();
    else client.end();
    closeOne();
  });
  client.on('error', () => upstream.destroy());
  client.resume();
}
