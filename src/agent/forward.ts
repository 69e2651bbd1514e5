// The agent's request path: every call from the control plane passes the agent's own policy, then goes to the local dockerd.
import http2, { type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { pipeline } from 'node:stream/promises';
import type { DockerClient } from '../docker/index.js';
import type { Decision, PolicyEngine } from '../policy/index.js';
import { DENIED_HEADER, HIJACK_HEADER } from '../tunnel/index.js';

/** Largest request body the agent reads (create/exec bodies are small; image loads are not offered through the tunnel). */
export const AGENT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Request headers passed on to dockerd. */
const PASSED_HEADERS = ['content-type', 'x-registry-auth'] as const;
/** Operations that may be hijacked (raw full-duplex after the answer). */
const HIJACKABLE = new Set(['exec.start']);

/** One decision of the agent's policy, for its log and metrics (no headers, no body). */
export interface AgentDecisionEvent {
  method: string;
  path: string;
  decision: Decision;
  observed: boolean;
}

/** What the forwarder needs. */
export interface ForwarderOptions {
  policy: PolicyEngine;
  docker: DockerClient;
  onDecision?: (e: AgentDecisionEvent) => void;
}

function answerJson(stream: ServerHttp2Stream, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (stream.destroyed || stream.closed) return;
  const payload = Buffer.from(JSON.stringify(body));
  try {
    stream.respond({ ':status': status, 'content-type': 'application/json', 'content-length': payload.length, ...extra });
    stream.end(payload);
  } catch {
    stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  }
}

function deny(stream: ServerHttp2Stream, d: Decision): void {
  answerJson(stream, d.status >= 400 ? d.status : 403, { message: `denied by the agent policy: ${d.reason}`, operation: d.operation, rule: d.rule }, { [DENIED_HEADER]: d.rule });
}

async function readBody(stream: ServerHttp2Stream, max: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Builds the stream handler of the agent's tunnel: policy first (head, then the JSON body of the
 * operations that can grant root), then dockerd; answers stream back with HTTP/2 flow control, and a
 * stream the server cancels aborts the dockerd call (so a closed /events or logs -f stops at once).
 */
export function createForwarder(opts: ForwarderOptions): (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void {
  const { policy, docker } = opts;
  return (stream, headers) => {
    void handle(stream, headers).catch(() => {
      if (!stream.headersSent) answerJson(stream, 502, { message: 'the agent could not reach its Docker Engine' });
      else stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    });
  };

  async function handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): Promise<void> {
    const method = String(headers[':method'] ?? '');
    const target = String(headers[':path'] ?? '');
    const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : undefined;
    const ev = policy.evaluate(method, target, contentType === undefined ? {} : { 'content-type': contentType });
    const observe = policy.mode === 'observe';
    const tell = (decision: Decision, observed: boolean): void => opts.onDecision?.({ method, path: target.split('?')[0] ?? '', decision, observed });
    if (!ev.decision.allow && !(observe && ev.decision.status === 403)) {
      tell(ev.decision, false);
      deny(stream, ev.decision);
      return;
    }
    const hijack = headers[HIJACK_HEADER] === '1';
    if (hijack && !HIJACKABLE.has(ev.decision.operation)) {
      const d: Decision = { allow: false, operation: ev.decision.operation, rule: 'agent:hijack', reason: `${ev.decision.operation} cannot be hijacked`, status: 403 };
      tell(d, false);
      deny(stream, d);
      return;
    }
    let stdinHead: Buffer = Buffer.alloc(0);
    let raw: Buffer | 'too-large';
    if (hijack) {
      const r = await readHijackBody(stream, Number(headers['content-length'] ?? 0));
      if (r !== 'too-large') stdinHead = r.rest;
      raw = r === 'too-large' ? r : r.body;
    } else {
      raw = await readBody(stream, AGENT_MAX_BODY_BYTES);
    }
    if (raw === 'too-large') {
      const d: Decision = { allow: false, operation: ev.decision.operation, rule: 'body:too-large', reason: `body larger than ${AGENT_MAX_BODY_BYTES} bytes`, status: 413 };
      tell(d, false);
      deny(stream, d);
      return;
    }
    let body: Buffer | undefined = raw.length > 0 ? raw : undefined;
    let decision = ev.decision;
    let observed = !ev.decision.allow;
    if (ev.decision.allow && ev.needsBody) {
      const v = policy.inspectBody(ev, contentType, raw);
      if (!v.allow) {
        decision = { ...decision, allow: false, rule: v.rule, reason: v.reason, status: v.status };
        if (!(observe && v.status === 403)) {
          tell(decision, false);
          deny(stream, decision);
          return;
        }
        observed = true;
      } else {
        body = v.body;
      }
    }
    tell(decision, observed);
    if (hijack) {
      await relayHijack(stream, target, body, stdinHead);
      return;
    }
    await relay(stream, method, target, headers, body);
  }

  async function relay(stream: ServerHttp2Stream, method: string, target: string, headers: IncomingHttpHeaders, body: Buffer | undefined): Promise<void> {
    const abort = new AbortController();
    stream.once('close', () => abort.abort());
    const passed: Record<string, string> = {};
    for (const h of PASSED_HEADERS) {
      const v = headers[h];
      if (typeof v === 'string') passed[h] = v;
    }
    const res = await docker.request({ method, path: target, headers: passed, ...(body !== undefined ? { body } : {}), signal: abort.signal, stream: true });
    if (stream.destroyed || stream.closed) {
      res.body.destroy();
      return;
    }
    const out: http2.OutgoingHttpHeaders = { ':status': res.status };
    const ct = res.headers['content-type'];
    if (typeof ct === 'string') out['content-type'] = ct;
    stream.respond(out);
    await pipeline(res.body, stream).catch(() => undefined);
  }

  async function relayHijack(stream: ServerHttp2Stream, target: string, body: Buffer | undefined, stdinHead: Buffer): Promise<void> {
    const parsed = body ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
    const path = target.replace(/^\/v\d+(\.\d+)?(?=\/)/, '');
    const { socket, head } = await docker.hijackRaw({ operation: 'exec.start', path, body: parsed });
    if (stream.destroyed || stream.closed) {
      socket.destroy();
      return;
    }
    stream.respond({ ':status': 200 });
    if (head.length > 0) stream.write(head);
    if (stdinHead.length > 0) socket.write(stdinHead);
    socket.pipe(stream);
    stream.pipe(socket);
    const end = (): void => {
      socket.destroy();
      if (!stream.closed) stream.close();
    };
    socket.once('close', end);
    stream.once('close', () => socket.destroy());
    socket.on('error', end);
  }
}

/**
 * A hijacked call's JSON body arrives first and the stream then stays open for stdin, so only
 * `content-length` bytes are read as the body; any bytes past it are stdin and are kept for dockerd.
 */
function readHijackBody(stream: ServerHttp2Stream, length: number): Promise<{ body: Buffer; rest: Buffer } | 'too-large'> {
  if (!Number.isInteger(length) || length < 0 || length > AGENT_MAX_BODY_BYTES) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', reject);
      stream.pause();
      const all = Buffer.concat(chunks);
      resolve({ body: all.subarray(0, length), rest: all.subarray(length) });
    };
    const onData = (c: Buffer): void => {
      chunks.push(c);
      size += c.length;
      if (size >= length) done();
    };
    const onEnd = (): void => (size >= length ? done() : reject(new Error('the hijack body ended early')));
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', reject);
    if (length === 0) done();
  });
}
