// TunnelChannel: the server's EngineChannel to one agent, an HTTP/2 client session over the agent's WebSocket.
import http2, { type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import type { Duplex, Readable } from 'node:stream';
import { DockerError, encodeQuery, readCapped, type JsonObject, type RawRequest, type RawResponse, type RawStream } from '../docker/index.js';
import { HostPolicyDenied, type EngineChannel } from '../hosts/index.js';
import {
  DENIED_HEADER, H2_MAX_SESSION_MEMORY_MB, H2_SETTINGS, HIJACK_BODY_LENGTH_HEADER, HIJACK_HEADER, MAX_TUNNEL_ANSWER_BYTES, TUNNEL_CALL_TIMEOUT_MS,
} from './limits.js';

/** Request headers passed to the agent; everything else is dropped. */
const FORWARDED_HEADERS = new Set(['content-type', 'x-registry-auth']);

/** Opens the HTTP/2 client side of a tunnel over `duplex` (the server is the HTTP/2 client). */
export function connectTunnel(duplex: Duplex): ClientHttp2Session {
  const session = http2.connect('http://agent.tunnel', {
    createConnection: () => duplex,
    settings: H2_SETTINGS,
    maxSessionMemory: H2_MAX_SESSION_MEMORY_MB,
    maxHeaderListPairs: 256,
  });
  // HTTP/2 must never write after the duplex ended (Node asserts and aborts the process)
  const end = (): void => {
    if (!session.destroyed) session.destroy();
  };
  duplex.once('end', end);
  duplex.once('close', end);
  return session;
}

function bodyBytes(body: unknown): Buffer | undefined {
  if (body === undefined) return undefined;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body);
  return Buffer.from(JSON.stringify(body), 'utf8');
}

/**
 * The Engine API of a host behind an agent. Detached (offline) until {@link attach} gives it a live
 * HTTP/2 session; calls while offline fail at once with code OFFLINE. A call in flight when the tunnel
 * drops fails with code UNREACHABLE; nothing is retried (a stop or a create may or may not have happened).
 */
export class TunnelChannel implements EngineChannel {
  readonly target: { readonly description: string };
  private session: ClientHttp2Session | undefined;

  constructor(private readonly hostName: string) {
    this.target = { description: `agent tunnel to ${hostName}` };
  }

  /** Whether a live session is attached. */
  get online(): boolean {
    const s = this.session;
    return s !== undefined && !s.closed && !s.destroyed;
  }

  /** Attaches a new session, closing the previous one (a reconnected agent replaces its old tunnel). */
  attach(session: ClientHttp2Session): void {
    const old = this.session;
    this.session = session;
    session.once('close', () => {
      if (this.session === session) this.session = undefined;
    });
    session.on('error', () => undefined);
    if (old && old !== session) old.destroy();
  }

  /** Drops the session (the tunnel closed or the host was revoked); in-flight calls fail. */
  detach(): void {
    const s = this.session;
    this.session = undefined;
    s?.destroy();
  }

  request(req: RawRequest & { stream: true }): Promise<RawResponse<Readable>>;
  request(req: RawRequest & { stream?: false }): Promise<RawResponse<Buffer>>;
  async request(req: RawRequest): Promise<RawResponse<Buffer> | RawResponse<Readable>> {
    const { stream, status, headers } = await this.open(req.method, `${req.path}${encodeQuery(req.query)}`, req.headers, bodyBytes(req.body), req.signal, req.stream !== true);
    if (req.stream === true) return { status, headers, body: stream };
    const body = await readCapped(stream, MAX_TUNNEL_ANSWER_BYTES).catch((err: unknown) => {
      throw this.failure('raw', err);
    });
    return { status, headers, body };
  }

  async hijackRaw(req: { operation: string; path: string; body: JsonObject; signal?: AbortSignal }): Promise<RawStream> {
    const { stream, status, headers } = await this.open('POST', req.path, { 'content-type': 'application/json', [HIJACK_HEADER]: '1' }, bodyBytes(req.body), req.signal, false, false);
    if (status !== 200) {
      const body = await readCapped(stream, 64 * 1024).catch(() => Buffer.alloc(0));
      throw denialOr(status, headers, body, req.operation, this.hostName);
    }
    return { socket: stream, head: Buffer.alloc(0) };
  }

  close(): Promise<void> {
    this.detach();
    return Promise.resolve();
  }

  private failure(operation: string, err: unknown): DockerError {
    if (err instanceof DockerError) return err;
    return new DockerError(`the tunnel to host "${this.hostName}" closed during the call: ${(err as Error).message}`, { statusCode: 0, operation, code: 'UNREACHABLE', cause: err });
  }

  private open(
    method: string, path: string, extra: Record<string, string> | undefined, body: Buffer | undefined, signal: AbortSignal | undefined,
    finite: boolean, endAfterBody = true,
  ): Promise<{ stream: ClientHttp2Stream; status: number; headers: Record<string, string | string[] | undefined> }> {
    const session = this.session;
    if (!session || session.closed || session.destroyed) {
      return Promise.reject(new DockerError(`host "${this.hostName}" is offline (its agent is not connected)`, { statusCode: 0, operation: 'raw', code: 'OFFLINE' }));
    }
    const headers: http2.OutgoingHttpHeaders = { ':method': method, ':path': path };
    for (const [k, v] of Object.entries(extra ?? {})) if (FORWARDED_HEADERS.has(k.toLowerCase()) || k === HIJACK_HEADER) headers[k.toLowerCase()] = v;
    // a hijacked stream stays open for stdin after its body: its length travels in its own header
    if (body !== undefined) headers[endAfterBody ? 'content-length' : HIJACK_BODY_LENGTH_HEADER] = body.length;
    return new Promise((resolve, reject) => {
      let stream: ClientHttp2Stream;
      try {
        stream = session.request(headers, { endStream: body === undefined && endAfterBody, ...(signal ? { signal } : {}) });
      } catch (err) {
        reject(this.failure('raw', err));
        return;
      }
      const timer = finite ? setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), TUNNEL_CALL_TIMEOUT_MS) : undefined;
      timer?.unref();
      const clear = (): void => {
        if (timer) clearTimeout(timer);
      };
      stream.once('close', clear);
      let answered = false;
      stream.once('response', (h) => {
        answered = true;
        const status = Number(h[':status'] ?? 0);
        if (!finite) clear();
        const out: Record<string, string | string[] | undefined> = {};
        for (const [k, v] of Object.entries(h)) if (!k.startsWith(':')) out[k] = v;
        if (status >= 400 && typeof h[DENIED_HEADER] === 'string') {
          void readCapped(stream, 64 * 1024).catch(() => Buffer.alloc(0)).then((b) => reject(denialOr(status, out, b, 'raw', this.hostName)));
          return;
        }
        resolve({ stream, status, headers: out });
      });
      stream.once('error', (err) => answered || reject(signal?.aborted
        ? new DockerError('the call was aborted', { statusCode: 0, operation: 'raw', code: 'ABORTED', cause: err })
        : this.failure('raw', err)));
      stream.once('close', () => {
        // after the answer arrived the call settles on its own (a denial still reading its body must not become "closed")
        if (answered) return;
        if (stream.rstCode === http2.constants.NGHTTP2_CANCEL && finite && !signal?.aborted) {
          reject(new DockerError(`host "${this.hostName}" did not answer within ${TUNNEL_CALL_TIMEOUT_MS} ms`, { statusCode: 0, operation: 'raw', code: 'ETIMEDOUT' }));
        }
        // no-op when the answer already arrived
        reject(this.failure('raw', new Error('stream closed before an answer')));
      });
      if (body !== undefined) {
        if (endAfterBody) stream.end(body);
        else stream.write(body);
      }
    });
  }
}

/** The agent's own refusal (its local policy) as HostPolicyDenied; any other error status as the daemon's error. */
function denialOr(status: number, headers: Record<string, string | string[] | undefined>, body: Buffer, operation: string, hostName: string): Error {
  const rule = headers[DENIED_HEADER];
  if (typeof rule === 'string') {
    let reason = 'refused by the agent policy';
    let op = operation;
    try {
      const j = JSON.parse(body.toString('utf8')) as { message?: string; operation?: string };
      if (typeof j.message === 'string') reason = printable(j.message, 300);
      if (typeof j.operation === 'string') op = printable(j.operation, 64).replace(/[^a-z0-9._-]/gi, '');
    } catch {
      // keep the generic reason
    }
    return new HostPolicyDenied(hostName, { allow: false, operation: op, rule: `agent:${rule.replace(/[^A-Za-z0-9._:-]/g, '').slice(0, 64)}`, reason, status: status === 400 || status === 413 ? status : 403 });
  }
  let message = `${operation} failed with status ${status}`;
  try {
    const j = JSON.parse(body.toString('utf8')) as { message?: string };
    if (typeof j.message === 'string') message = printable(j.message, 500);
  } catch {
    // keep the generic message
  }
  return new DockerError(message, { statusCode: status, operation });
}

/** Text an agent sent, made safe to show: control characters dropped, angle brackets removed, length capped. */
function printable(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f<>]/g, ' ').slice(0, max);
}
