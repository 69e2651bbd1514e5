// The agent's request path: every call from the control plane passes the agent's own policy, then goes to the local dockerd.
import http2, { type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { pipeline } from 'node:stream/promises';
import type { DockerClient } from '../docker/index.js';
import type { Decision, PolicyEngine } from '../policy/index.js';
import { DENIED_HEADER, HIJACK_BODY_LENGTH_HEADER, HIJACK_HEADER } from '../tunnel/index.js';
import { BodyBudget, readBody, readHijackBody } from './read-body.js';

/** Largest request body the agent reads (create/exec bodies are small; image loads are not offered through the tunnel). */
export const AGENT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Request body bytes buffered at once across all streams of one tunnel. */
export const AGENT_MAX_BODY_BYTES_IN_FLIGHT = 16 * 1024 * 1024;
/** A request body must arrive whole within this. */
export const AGENT_BODY_DEADLINE_MS = 30_000;
/** Request headers passed on to dockerd. */
const PASSED_HEADERS = ['content-type', 'x-registry-auth'] as const;
/** Operations that may be hijacked (raw full-duplex after the answer). */
const HIJACKABLE = new Set(['exec.start']);
/** Methods that never carry a request body. */
const BODYLESS = new Set(['GET', 'HEAD', 'DELETE']);

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

function answerJson(stream: ServerHttp2Stream, status: number, body: unknown, extra: Record<string, string> = {}, head = false): void {
  if (stream.destroyed || stream.closed || stream.headersSent) return;
  const payload = Buffer.from(JSON.stringify(body));
  try {
    if (head) {
      stream.respond({ ':status': status, 'content-type': 'application/json', ...extra }, { endStream: true });
      return;
    }
    stream.respond({ ':status': status, 'content-type': 'application/json', 'content-length': payload.length, ...extra });
    stream.end(payload);
  } catch {
    stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  }
}

function deny(stream: ServerHttp2Stream, d: Decision, head: boolean): void {
  answerJson(stream, d.status >= 400 ? d.status : 403, { message: `denied by the agent policy: ${d.reason}`, operation: d.operation, rule: d.rule }, { [DENIED_HEADER]: d.rule }, head);
}

const refusal = (operation: string, rule: string, reason: string, status: number): Decision => ({ allow: false, operation, rule, reason, status });

/**
 * Builds the stream handler of the agent's tunnel: policy first (head, then the JSON body of the
 * operations that can grant root), then dockerd; answers stream back with HTTP/2 flow control, and a
 * stream the server cancels aborts the dockerd call (so a closed /events or logs -f stops at once).
 * Nothing the control plane sends can throw out of it: every stream error ends that stream only.
 */
export function createForwarder(opts: ForwarderOptions): (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void {
  const { policy, docker } = opts;
  const budget = new BodyBudget(AGENT_MAX_BODY_BYTES_IN_FLIGHT);
  return (stream, headers) => {
    const abort = new AbortController();
    stream.on('error', () => abort.abort());
    stream.once('close', () => abort.abort());
    void handle(stream, headers, abort.signal).catch(() => {
      if (!stream.headersSent) answerJson(stream, 502, { message: 'the agent could not reach its Docker Engine' }, {}, headers[':method'] === 'HEAD');
      else if (!stream.closed) stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    });
  };

  async function handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, signal: AbortSignal): Promise<void> {
    const method = String(headers[':method'] ?? '');
    const target = String(headers[':path'] ?? '');
    const head = method === 'HEAD';
    const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : undefined;
    const ev = policy.evaluate(method, target, contentType === undefined ? {} : { 'content-type': contentType });
    const observe = policy.mode === 'observe';
    const tell = (decision: Decision, observed: boolean): void => opts.onDecision?.({ method, path: target.split('?')[0] ?? '', decision, observed });
    const refuse = (d: Decision): void => {
      tell(d, false);
      deny(stream, d, head);
    };
    if (!ev.decision.allow && !(observe && ev.decision.status === 403)) return refuse(ev.decision);
    const op = ev.decision.operation;
    const hijack = headers[HIJACK_HEADER] === '1';
    if (hijack && !HIJACKABLE.has(op)) return refuse(refusal(op, 'agent:hijack', `${op} cannot be hijacked`, 403));
    // a GET with a body is nothing the control plane sends; buffering it would only cost the host memory
    if (BODYLESS.has(method) && !stream.endAfterHeaders) return refuse(refusal(op, 'agent:body-not-allowed', `${method} requests carry no body`, 400));
    let stdinHead: Buffer = Buffer.alloc(0);
    let raw: Buffer | 'too-large' | 'busy';
    if (hijack) {
      const r = await readHijackBody(stream, Number(headers[HIJACK_BODY_LENGTH_HEADER] ?? 0), AGENT_MAX_BODY_BYTES, AGENT_BODY_DEADLINE_MS);
      if (typeof r === 'string') raw = r;
      else {
        stdinHead = r.rest;
        raw = r.body;
      }
    } else {
      raw = await readBody(stream, AGENT_MAX_BODY_BYTES, budget, AGENT_BODY_DEADLINE_MS);
    }
    if (raw === 'too-large') return refuse(refusal(op, 'body:too-large', `body larger than ${AGENT_MAX_BODY_BYTES} bytes`, 413));
    if (raw === 'busy') return refuse(refusal(op, 'agent:busy', 'too many request bodies in flight on this tunnel; retry', 503));
    let body: Buffer | undefined = raw.length > 0 ? raw : undefined;
    let decision = ev.decision;
    let observed = !ev.decision.allow;
    if (ev.decision.allow && ev.needsBody) {
      const v = policy.inspectBody(ev, contentType, raw);
      if (!v.allow) {
        decision = { ...decision, allow: false, rule: v.rule, reason: v.reason, status: v.status };
        if (!(observe && v.status === 403)) return refuse(decision);
        observed = true;
      } else {
        body = v.body;
      }
    }
    tell(decision, observed);
    if (signal.aborted) return;
    if (hijack) return relayHijack(stream, target, body, stdinHead, signal);
    return relay(stream, method, target, headers, body, signal);
  }

  async function relay(stream: ServerHttp2Stream, method: string, target: string, headers: IncomingHttpHeaders, body: Buffer | undefined, signal: AbortSignal): Promise<void> {
    const passed: Record<string, string> = {};
    for (const h of PASSED_HEADERS) {
      const v = headers[h];
      if (typeof v === 'string') passed[h] = v;
    }
    const res = await docker.request({ method, path: target, headers: passed, ...(body !== undefined ? { body } : {}), signal, stream: true });
    if (stream.destroyed || stream.closed || signal.aborted) {
      res.body.destroy();
      return;
    }
    const out: http2.OutgoingHttpHeaders = { ':status': res.status };
    const ct = res.headers['content-type'];
    if (typeof ct === 'string') out['content-type'] = ct;
    if (method === 'HEAD') {
      res.body.destroy();
      stream.respond(out, { endStream: true });
      return;
    }
    stream.respond(out);
    await pipeline(res.body, stream).catch(() => res.body.destroy());
  }

  async function relayHijack(stream: ServerHttp2Stream, target: string, body: Buffer | undefined, stdinHead: Buffer, signal: AbortSignal): Promise<void> {
    let parsed: Record<string, unknown> = {};
    try {
      if (body) parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return deny(stream, refusal('exec.start', 'body:invalid-json', 'the exec start body is not JSON', 400), false);
    }
    const path = target.replace(/^\/v\d+(\.\d+)?(?=\/)/, '');
    const { socket, head } = await docker.hijackRaw({ operation: 'exec.start', path, body: parsed, signal });
    if (stream.destroyed || stream.closed || signal.aborted) {
      socket.destroy();
      return;
    }
    stream.respond({ ':status': 200 });
    if (head.length > 0) stream.write(head);
    if (stdinHead.length > 0) socket.write(stdinHead);
    // both directions with backpressure; the end of either side half-closes the other
    const down = pipeline(socket, stream).catch(() => undefined);
    const up = pipeline(stream, socket, { end: true }).catch(() => undefined);
    await Promise.all([down, up]);
    socket.destroy();
    if (!stream.closed) stream.close();
  }
}
