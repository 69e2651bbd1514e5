// The ordinary request path: decide, read and inspect the body when needed, forward through the pool.
import { request as httpRequest, type IncomingMessage, type ServerResponse, type IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Decision, Evaluation } from '../policy/index.js';
import { HOP_BY_HOP, denialBody, logRequest, upstreamErrorMessage, type DecisionWord, type ProxyContext } from './context.js';

/** Reads a whole request body up to `max` bytes; resolves undefined when it is larger. */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });
}

function forwardHeaders(h: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  }
  return out;
}

function responseHeaders(h: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined && k !== 'connection' && k !== 'keep-alive' && k !== 'transfer-encoding') out[k] = v;
  }
  return out;
}

/** How long a refused body may keep arriving (and be discarded) before its connection is cut. */
export const LINGER_MS = 2_000;

/**
 * Answers a denial: 403/400/413 with the JSON message. A body still pending is read and discarded
 * (closing a socket with unread data sends a reset, and the client would lose the answer); if it has
 * not ended within LINGER_MS, the connection is cut.
 */
export function sendDenial(res: ServerResponse, d: Decision, bodyPending: boolean, req?: IncomingMessage): void {
  const body = denialBody(d);
  res.writeHead(d.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  if (!(bodyPending && req && !req.complete)) {
    res.end(body);
    return;
  }
  // The whole answer goes out now (its length is declared, so the client can read it at once), but the
  // response ends, and the socket may close, only once the pending body was read: closing with unread
  // bytes makes the kernel send a reset, and the client would lose the answer it already received.
  res.write(body);
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    res.end();
  };
  const timer = setTimeout(() => {
    ended = true;
    req.socket.destroy();
  }, LINGER_MS);
  timer.unref();
  req.once('end', end);
  req.socket.once('close', () => clearTimeout(timer));
  req.resume();
}

function hasRequestBody(req: IncomingMessage): boolean {
  const cl = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (cl !== undefined && cl !== '0');
}


/** Handles one ordinary (non-upgrade) request end to end. */
export async function handleRequest(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const start = performance.now();
  const method = req.method ?? 'GET';
  const target = req.url ?? '/';
  const client = req.socket.remoteAddress;
  const ev: Evaluation = ctx.engine.evaluate(method, target, req.headers);
  let decision = ev.decision;
  let word: DecisionWord = 'allow';
  const observe = ctx.engine.mode === 'observe';
  if (!decision.allow) {
    ctx.onDeny?.(method, target, decision);
    if (!(observe && decision.status === 403)) {
      sendDenial(res, decision, hasRequestBody(req), req);
      logRequest(ctx, { method, target, decision, word: 'deny', status: decision.status, start, client });
      return;
    }
    word = 'observe-deny';
  }
  let body: Buffer | IncomingMessage | undefined = hasRequestBody(req) ? req : undefined;
  if (ev.needsBody && ev.constraints) {
    const declared = Number(req.headers['content-length'] ?? 0);
    const raw = declared > ev.constraints.maxBodyBytes ? undefined : await readBody(req, ev.constraints.maxBodyBytes);
    const verdict =
      raw === undefined
        ? { allow: false as const, rule: 'body:too-large', reason: `body larger than ${ev.constraints.maxBodyBytes} bytes (MAX_BODY_BYTES)`, status: 413 }
        : ctx.engine.inspectBody(ev, req.headers['content-type'], raw);
    if (verdict.allow) {
      body = verdict.body;
    } else {
      decision = { ...decision, allow: false, rule: verdict.rule, reason: verdict.reason, status: verdict.status };
      ctx.onDeny?.(method, target, decision);
      if (!(observe && verdict.status === 403) || raw === undefined) {
        sendDenial(res, decision, raw === undefined, req);
        logRequest(ctx, { method, target, decision, word: 'deny', status: decision.status, start, client });
        return;
      }
      word = 'observe-deny';
      body = raw;
    }
  }
  await forward(ctx, req, res, { method, target, body, decision, word, start, client });
}

interface ForwardArgs {
  method: string;
  target: string;
  body: Buffer | IncomingMessage | undefined;
  decision: Decision;
  word: DecisionWord;
  start: number;
  client: string | undefined;
}

function forward(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse, a: ForwardArgs): Promise<void> {
  const headers = forwardHeaders(req.headers);
  if (Buffer.isBuffer(a.body)) headers['content-length'] = String(a.body.length);
  else if (a.body && req.headers['content-length']) headers['content-length'] = req.headers['content-length'];
  else if (a.body) headers['transfer-encoding'] = 'chunked';
  return new Promise<void>((resolve) => {
    let status = 0;
    let finished = false;
    const finish = (error?: string, statusOverride?: number): void => {
      if (finished) return;
      finished = true;
      const st = statusOverride ?? status;
      logRequest(ctx, { method: a.method, target: a.target, decision: a.decision, word: a.word, status: st, start: a.start, client: a.client, ...(error ? { error } : {}) });
      resolve();
    };
    const up = httpRequest({ socketPath: ctx.socketPath, agent: ctx.agent, method: a.method, path: a.target, headers });
    up.on('response', (upRes) => {
      status = upRes.statusCode ?? 502;
      res.writeHead(status, responseHeaders(upRes.headers));
      // Streams (events, logs -f, wait…) have no length: send the head now, not with the first event.
      if (upRes.headers['content-length'] === undefined) res.flushHeaders();
      upRes.pipe(res);
      upRes.on('end', () => finish());
      upRes.on('error', () => {
        res.destroy();
        finish('stream ended early');
      });
    });
    up.on('error', (err: NodeJS.ErrnoException) => {
      if (finished) return;
      if (status === 0 && !res.headersSent && !res.destroyed) {
        const body = JSON.stringify({ message: upstreamErrorMessage(ctx.socketPath, err) });
        res.writeHead(502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
        finish(err.code ?? 'upstream', 502);
      } else {
        res.destroy();
        finish(status === 0 ? 'client went away' : 'stream ended early', status === 0 ? 499 : undefined);
      }
    });
    res.on('close', () => {
      if (!res.writableFinished) {
        up.destroy();
        finish(status === 0 ? 'client went away' : 'client closed the stream', status === 0 ? 499 : undefined);
      }
    });
    if (Buffer.isBuffer(a.body)) up.end(a.body);
    else if (a.body) a.body.pipe(up);
    else up.end();
  });
}
