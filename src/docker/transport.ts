// HTTP plumbing of the Docker client: undici pool, API-version negotiation, timeouts, error mapping.
import { Readable } from 'node:stream';
import { Pool } from 'undici';
import { DockerError, httpError, interruptedError, transportError } from './errors.js';
import { streamRequest, type StreamAnswer } from './stream-request.js';
import { resolveTarget, type DockerTarget, type DockerTlsOptions } from './target.js';
import type { Filters, PingInfo } from './types.js';

/** Newest Engine API version this client speaks; negotiation picks min(this, the daemon's). */
export const MAX_API_VERSION = '1.47';
/** Used when the daemon's /_ping sends no Api-Version header (very old daemons). */
export const FALLBACK_API_VERSION = '1.24';
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const API_VERSION_RE = /^\d{1,3}\.\d{1,3}$/;
/** Largest error body read from the daemon when a stream or hijack request is refused. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Options of {@link DockerClient}. */
export interface DockerClientOptions {
  /** Unix socket of dockerd (default /var/run/docker.sock when no `url` is given). */
  socketPath?: string;
  /** tcp://host:port (TLS when `tls` is given), http://host:port or https://host:port. */
  url?: string;
  tls?: DockerTlsOptions;
  /** Pins the API version (e.g. '1.41') and skips negotiation. */
  apiVersion?: string;
  /** Time allowed to open a connection. Default 5000. */
  connectTimeoutMs?: number;
  /** Total time for a finite call (headers and body). Default 60000. Never applied to streams. */
  requestTimeoutMs?: number;
}

/** A query value: booleans become 1/0, filter maps become JSON, undefined is left out. */
export type QueryValue = string | number | boolean | undefined | Filters;

/** A request as sent to the daemon. `path` has no version prefix; `versioned: false` keeps it that way. */
export interface RawRequest {
  method: string;
  path: string;
  query?: Record<string, QueryValue>;
  /** A plain object is sent as JSON; strings, bytes and streams are sent as they are. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** When true, `body` of the answer is a Readable and no total or idle timeout applies. */
  stream?: boolean;
  versioned?: boolean;
}

/** A raw answer; HTTP error statuses are returned, not thrown. */
export interface RawResponse<B> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: B;
}

/** Engine API version compare: negative when a < b. */
export function compareApiVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am !== bm ? am - bm : an - bn;
}

/** Encodes one path segment (ids, names); image references keep their slashes. */
export function seg(value: string, keepSlashes = false): string {
  const encoded = encodeURIComponent(value);
  return keepSlashes ? encoded.replace(/%2F/gi, '/') : encoded;
}

/** The transport under {@link DockerClient}: every call goes through {@link DockerTransport.send}. */
export class DockerTransport {
  readonly target: DockerTarget;
  protected readonly connectTimeoutMs: number;
  protected readonly requestTimeoutMs: number;
  private readonly pool: Pool;
  private readonly pinnedVersion: string | undefined;
  private negotiation: Promise<string> | undefined;
  private readonly closing = new AbortController();
  private readonly openStreams = new Set<{ destroy(err?: Error): void }>();

  constructor(opts: DockerClientOptions) {
    this.target = resolveTarget(opts);
    this.connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.pinnedVersion = opts.apiVersion?.replace(/^v/, '');
    if (this.pinnedVersion !== undefined && !API_VERSION_RE.test(this.pinnedVersion)) {
      throw new DockerError(`apiVersion must look like 1.41, got ${JSON.stringify(opts.apiVersion).slice(0, 40)}`, { statusCode: 0, operation: 'client.config', code: 'CONFIG' });
    }
    const t = this.target;
    this.pool = new Pool(t.origin, {
      connect: {
        timeout: this.connectTimeoutMs,
        ...(t.socketPath !== undefined ? { socketPath: t.socketPath } : {}),
        ...(t.tls?.ca !== undefined ? { ca: t.tls.ca } : {}),
        ...(t.tls?.cert !== undefined ? { cert: t.tls.cert } : {}),
        ...(t.tls?.key !== undefined ? { key: t.tls.key } : {}),
      },
      headersTimeout: this.requestTimeoutMs,
      bodyTimeout: this.requestTimeoutMs,
    });
  }

  /** Aborted when the client closes; streams and exec sessions listen to it. */
  protected get closeSignal(): AbortSignal {
    return this.closing.signal;
  }

  /** Registers a live stream or socket so close() can end it. Returns the unregister function. */
  protected track(s: { destroy(err?: Error): void }): () => void {
    this.openStreams.add(s);
    return () => this.openStreams.delete(s);
  }

  /** GET /_ping (unversioned); returns what the daemon's headers say. */
  async ping(opts: { signal?: AbortSignal } = {}): Promise<PingInfo> {
    const res = await this.send('system.ping', { method: 'GET', path: '/_ping', versioned: false, ...sig(opts.signal) });
    const h = (name: string): string | undefined => {
      const v = res.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    return { apiVersion: h('api-version'), osType: h('ostype'), experimental: h('docker-experimental') === 'true', builderVersion: h('builder-version') };
  }

  /** The API version used in paths: the pinned one, or min(MAX_API_VERSION, the daemon's), negotiated once. */
  async negotiate(opts: { signal?: AbortSignal } = {}): Promise<string> {
    if (this.pinnedVersion !== undefined) return this.pinnedVersion;
    this.negotiation ??= this.ping().then(
      (p) => {
        // the header ends up in every path: accept only a plain MAJOR.MINOR
        const server = p.apiVersion !== undefined && API_VERSION_RE.test(p.apiVersion) ? p.apiVersion : FALLBACK_API_VERSION;
        return compareApiVersions(server, MAX_API_VERSION) < 0 ? server : MAX_API_VERSION;
      },
      (err: unknown) => {
        this.negotiation = undefined;
        throw err;
      },
    );
    return raceSignal(this.negotiation, opts.signal, () => interruptedError('system.negotiate', this.target.description, 'ABORTED'));
  }

  /** Low-level call; non-2xx answers are returned, transport failures throw DockerError. */
  request(req: RawRequest & { stream: true }): Promise<RawResponse<Readable>>;
  request(req: RawRequest & { stream?: false }): Promise<RawResponse<Buffer>>;
  async request(req: RawRequest): Promise<RawResponse<Buffer> | RawResponse<Readable>> {
    return req.stream === true ? this.sendStream('raw', req, false) : this.send('raw', req, false);
  }

  /** Ends streams and exec sessions, then closes the connection pool. */
  async close(): Promise<void> {
    this.closing.abort();
    for (const s of this.openStreams) s.destroy();
    this.openStreams.clear();
    await this.pool.close();
  }

  /** A finite call under the total deadline; throws DockerError on non-2xx unless `throwOnHttp` is false. */
  protected async send(operation: string, req: RawRequest, throwOnHttp = true, timeoutMs = this.requestTimeoutMs): Promise<RawResponse<Buffer>> {
    if (this.closing.signal.aborted) throw interruptedError(operation, this.target.description, 'CLOSED');
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([deadline, this.closing.signal, ...(req.signal ? [req.signal] : [])]);
    try {
      const res = await this.dispatch(req, signal, timeoutMs, timeoutMs);
      const body = Buffer.from(await res.body.arrayBuffer());
      if (throwOnHttp && res.statusCode >= 400) throw httpError(operation, res.statusCode, body);
      return { status: res.statusCode, headers: res.headers, body };
    } catch (err) {
      if (err instanceof DockerError) throw err;
      throw this.failure(operation, err, req.signal, deadline, timeoutMs);
    }
  }

  /**
   * A streaming call: no total deadline and no idle timeout; `headersTimeoutMs` bounds the wait
   * for the answer's headers (0 = none). On non-2xx the error body is read and thrown.
   */
  protected async sendStream(operation: string, req: RawRequest, throwOnHttp = true, headersTimeoutMs = this.requestTimeoutMs): Promise<RawResponse<Readable>> {
    if (this.closing.signal.aborted) throw interruptedError(operation, this.target.description, 'CLOSED');
    const signal = AbortSignal.any([this.closing.signal, ...(req.signal ? [req.signal] : [])]);
    try {
      const headersDeadline = headersTimeoutMs > 0 ? AbortSignal.timeout(headersTimeoutMs) : undefined;
      const res = await this.dispatchStream(req, signal, headersDeadline).catch((err: unknown) => {
        throw this.failure(operation, err, req.signal, headersDeadline, headersTimeoutMs);
      });
      if (throwOnHttp && res.statusCode >= 400) {
        throw httpError(operation, res.statusCode, await readCapped(res.body, MAX_ERROR_BODY_BYTES));
      }
      const body = res.body;
      const untrack = this.track(body);
      body.once('close', untrack);
      return { status: res.statusCode, headers: res.headers, body };
    } catch (err) {
      if (err instanceof DockerError) throw err;
      throw this.failure(operation, err, req.signal);
    }
  }

  /** Classifies a failure: caller abort, deadline, client closed, or a transport error. */
  protected failure(operation: string, err: unknown, userSignal?: AbortSignal, deadline?: AbortSignal, timeoutMs = this.requestTimeoutMs): DockerError {
    const where = this.target.description;
    if (userSignal?.aborted) return interruptedError(operation, where, 'ABORTED', undefined, err);
    if (deadline?.aborted) return interruptedError(operation, where, 'ETIMEDOUT', timeoutMs, err);
    if (this.closing.signal.aborted) return interruptedError(operation, where, 'CLOSED', undefined, err);
    return transportError(operation, where, err);
  }

  /** A finite call whose JSON answer is returned (undefined for an empty body). */
  protected async json<T>(operation: string, req: RawRequest, timeoutMs?: number): Promise<T> {
    const res = await this.send(operation, req, true, timeoutMs);
    if (res.body.length === 0) return undefined as T;
    try {
      return JSON.parse(res.body.toString('utf8')) as T;
    } catch (err) {
      throw new DockerError(`${operation}: the daemon sent invalid JSON`, { statusCode: res.status, operation, code: 'PROTOCOL', cause: err });
    }
  }

  /** Builds the versioned path with its query string. */
  protected async fullPath(req: Pick<RawRequest, 'path' | 'query' | 'versioned' | 'signal'>): Promise<string> {
    const prefix = req.versioned === false ? '' : `/v${await this.negotiate(sig(req.signal))}`;
    return `${prefix}${req.path}${encodeQuery(req.query)}`;
  }

  /** A streaming call on its own node:http connection; `headersDeadline` aborts only until the answer's headers arrive. */
  private async dispatchStream(req: RawRequest, signal: AbortSignal, headersDeadline: AbortSignal | undefined): Promise<StreamAnswer> {
    const path = await this.fullPath(req);
    const { body, contentType } = encodeBody(req.body);
    const headers: Record<string, string> = { ...(contentType ? { 'content-type': contentType } : {}), ...req.headers };
    const untilHeaders = new AbortController();
    const onDeadline = (): void => untilHeaders.abort(headersDeadline?.reason);
    headersDeadline?.addEventListener('abort', onDeadline, { once: true });
    const both = AbortSignal.any([signal, untilHeaders.signal]);
    try {
      return await streamRequest(this.target, { method: req.method, path, headers, body }, both, this.connectTimeoutMs);
    } finally {
      headersDeadline?.removeEventListener('abort', onDeadline);
    }
  }

  private async dispatch(req: RawRequest, signal: AbortSignal, headersTimeout: number, bodyTimeout: number) {
    const path = await this.fullPath(req);
    const { body, contentType } = encodeBody(req.body);
    const headers: Record<string, string> = { ...(contentType ? { 'content-type': contentType } : {}), ...req.headers };
    return this.pool.request({ method: req.method, path, headers, body, signal, headersTimeout, bodyTimeout });
  }
}

/** Query string with Docker's conventions: booleans as 1/0, filters as JSON, undefined skipped. */
export function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (typeof v === 'boolean') params.set(k, v ? '1' : '0');
    else if (typeof v === 'object') params.set(k, JSON.stringify(v));
    else params.set(k, String(v));
  }
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

function encodeBody(body: unknown): { body: string | Buffer | Uint8Array | Readable | null; contentType?: string } {
  if (body === undefined || body === null) return { body: null };
  if (typeof body === 'string' || body instanceof Uint8Array || body instanceof Readable) return { body: body };
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

/** Reads at most `max` bytes of a body (an error message), then drops the rest. */
export async function readCapped(body: AsyncIterable<Uint8Array> & { destroy(): void }, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    parts.push(Buffer.from(chunk));
    size += chunk.length;
    if (size >= max) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(parts).subarray(0, max);
}

/** `{signal}` when defined (exactOptionalPropertyTypes-friendly spread). */
export function sig(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

async function raceSignal<T>(p: Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) throw onAbort();
  let listener: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    listener = () => reject(onAbort());
    signal.addEventListener('abort', listener, { once: true });
  });
  try {
    return await Promise.race([p, aborted]);
  } finally {
    if (listener) signal.removeEventListener('abort', listener);
  }
}
