// Runs `bin/portcullis proxy` as a child process and talks raw HTTP/1.1 to it over node:net.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCKER_SOCKET } from './docker-cli.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PORTCULLIS_BIN = join(REPO_ROOT, 'bin', 'portcullis');

/** True once the proxy has been built (`npm run build` writes dist/cli/proxy.js). */
export function proxyBuilt(): boolean {
  return existsSync(join(REPO_ROOT, 'dist', 'cli', 'proxy.js'));
}

/** One JSON line the proxy printed on stdout. */
export type LogLine = Record<string, unknown> & { msg?: string; operation?: string; decision?: string; rule?: string; status?: number };

export interface ProxyProcess {
  /** TCP port (0 when listening on a unix socket). */
  port: number;
  /** What the `listening` line reported: `127.0.0.1:PORT` or `unix:/path`. */
  address: string;
  /** Metrics listener port when METRICS_LISTEN was set. */
  metricsPort: number | undefined;
  /** Every JSON line printed so far. */
  readonly logs: LogLine[];
  /** Raw stdout and stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Waits for a log line matching `pred` (rejects after `timeoutMs`). */
  waitForLog(pred: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

function portOf(address: string): number {
  const m = /:(\d+)$/.exec(address);
  return m ? Number(m[1]) : 0;
}

/**
 * Starts the proxy with exactly `env` (plus PATH/HOME, `LISTEN=127.0.0.1:0` and
 * `SOCKET_PATH=/var/run/docker.sock` unless given) and waits for its `listening` line.
 * @example const p = await startProxyProcess({ CONTAINERS: '1' }); // DOCKER_HOST=tcp://127.0.0.1:${p.port}
 */
export async function startProxyProcess(env: Record<string, string> = {}, opts: { timeoutMs?: number } = {}): Promise<ProxyProcess> {
  const child = spawn(process.execPath, [PORTCULLIS_BIN, 'proxy'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LISTEN: '127.0.0.1:0', SOCKET_PATH: DOCKER_SOCKET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let partial = '';
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    const s = d.toString();
    out += s;
    partial += s;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        logs.push({ msg: line, unparsed: true });
      }
    }
    for (const w of waiters) w();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const waitForLog = (pred: (l: LogLine) => boolean, timeoutMs = 5000): Promise<LogLine> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const hit = logs.find(pred);
        if (hit) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching proxy log line within ${timeoutMs} ms; exit=${child.exitCode} stderr=${err.slice(0, 2000)} stdout=${out.slice(-2000)}`));
      }, timeoutMs);
      waiters.add(check);
      void exited.then(() => {
        if (waiters.has(check)) check();
      });
      check();
    });

  let ready: LogLine;
  try {
    ready = await Promise.race([
      waitForLog((l) => l.msg === 'listening', opts.timeoutMs ?? 10_000),
      exited.then((code) => {
        throw new Error(`portcullis proxy exited with ${code} before listening: ${err}${out}`);
      }),
    ]);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  const address = typeof ready.listen === 'string' ? ready.listen : '';
  const metrics = typeof ready.metrics === 'string' ? ready.metrics : undefined;
  return {
    port: address.startsWith('unix:') ? 0 : portOf(address),
    address,
    metricsPort: metrics ? portOf(metrics) : undefined,
    logs,
    stdout: () => out,
    stderr: () => err,
    waitForLog,
    async stop(graceMs = 2000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

/** A response as read off the wire. */
export interface RawResponse {
  status: number;
  /** Header names lower-cased (last value wins). */
  headers: Record<string, string>;
  /** The body bytes read (complete for Content-Length/chunked answers; what arrived for streams). */
  body: string;
  /** Everything received, head included. */
  raw: string;
  /** The connection was closed by the server before a full response head arrived. */
  closedEarly: boolean;
}

export interface RawOptions {
  /** Stop after the head (streams, exports): default false = read the framed body. */
  headOnly?: boolean;
  timeoutMs?: number;
  /** Unix socket path instead of a TCP port. */
  socketPath?: string;
}

function decodeChunked(b: string): { body: string; complete: boolean } {
  let i = 0;
  let body = '';
  for (;;) {
    const eol = b.indexOf('\r\n', i);
    if (eol === -1) return { body, complete: false };
    const size = parseInt(b.slice(i, eol), 16);
    if (Number.isNaN(size)) return { body, complete: false };
    if (size === 0) return { body, complete: true };
    if (b.length < eol + 2 + size + 2) return { body: body + b.slice(eol + 2), complete: false };
    body += b.slice(eol + 2, eol + 2 + size);
    i = eol + 2 + size + 2;
  }
}

function parseResponse(raw: string, headOnly: boolean): RawResponse | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const lines = raw.slice(0, end).split('\r\n');
  const status = Number(lines[0]?.split(' ')[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const rest = raw.slice(end + 4);
  const done = (body: string): RawResponse => ({ status, headers, body, raw, closedEarly: false });
  if (headOnly || status === 101 || status === 204 || status === 304) return done(rest);
  if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
    const c = decodeChunked(rest);
    return c.complete ? done(c.body) : undefined;
  }
  if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    return Buffer.byteLength(rest, 'latin1') >= n ? done(rest.slice(0, n)) : undefined;
  }
  return undefined; // read until close
}

/**
 * Sends `bytes` exactly as given on a fresh connection and reads one response. Resolves on the
 * first complete response (or its head with `headOnly`), on close, or on timeout (status 0).
 * @example await rawExchange(port, 'GET /_ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
 */
export function rawExchange(port: number, bytes: string | Buffer, opts: RawOptions = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const sock: Socket = opts.socketPath ? connect({ path: opts.socketPath }) : connect({ port, host: '127.0.0.1' });
    let raw = '';
    let settled = false;
    const finish = (r: RawResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const fallback = (): RawResponse => {
      const r = parseResponse(raw, true);
      return r ? { ...r, closedEarly: false } : { status: 0, headers: {}, body: '', raw, closedEarly: true };
    };
    const timer = setTimeout(() => finish(fallback()), opts.timeoutMs ?? 10_000);
    sock.on('data', (d: Buffer) => {
      raw += d.toString('latin1');
      const r = parseResponse(raw, opts.headOnly ?? false);
      if (r) finish(r);
    });
    sock.on('error', () => finish(fallback()));
    sock.on('close', () => finish(fallback()));
    sock.on('connect', () => sock.write(bytes));
  });
}

/** Builds request bytes: `METHOD target HTTP/1.1`, Host, the given headers, Content-Length for a body. */
export function buildRequest(method: string, target: string, opts: { host?: string; headers?: Record<string, string>; body?: string; json?: unknown } = {}): string {
  const body = opts.json !== undefined ? JSON.stringify(opts.json) : opts.body;
  const headers: Record<string, string> = { Host: opts.host ?? '127.0.0.1', ...(opts.json !== undefined ? { 'Content-Type': 'application/json' } : {}), ...opts.headers };
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length' || h.toLowerCase() === 'transfer-encoding')) {
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  const head = [`${method} ${target} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  return `${head}\r\n\r\n${body ?? ''}`;
}
