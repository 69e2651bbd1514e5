// Streaming calls (logs, events, stats, pulls) over node:http: a slow reader pauses the socket instead of growing a buffer.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { DockerTarget } from './target.js';

/** What a streaming call answers: status, headers and the body still to read. */
export interface StreamAnswer {
  statusCode: number;
  headers: IncomingMessage['headers'];
  body: IncomingMessage;
}

/**
 * Sends one request on its own connection and resolves with the answer once its headers arrived.
 * Used for streams because undici 7 keeps reading the socket while a consumer is slow (its buffer grew
 * without bound under a slow log reader); node:http stops reading when the body's buffer is full.
 * `signal` aborts before and after the answer; the connection ends with the body.
 */
export function streamRequest(
  target: DockerTarget,
  req: { method: string; path: string; headers: Record<string, string>; body: string | Buffer | Uint8Array | Readable | null },
  signal: AbortSignal,
  connectTimeoutMs: number,
): Promise<StreamAnswer> {
  return new Promise((resolve, reject) => {
    const base: http.RequestOptions = { method: req.method, path: req.path, headers: req.headers, agent: false, signal, timeout: connectTimeoutMs };
    let cr: http.ClientRequest;
    if (target.socketPath !== undefined) {
      cr = http.request({ ...base, socketPath: target.socketPath, host: 'localhost' });
    } else if (target.tls) {
      cr = https.request({
        ...base, host: target.host, port: target.port,
        ...(target.tls.ca !== undefined ? { ca: target.tls.ca } : {}), ...(target.tls.cert !== undefined ? { cert: target.tls.cert } : {}),
        ...(target.tls.key !== undefined ? { key: target.tls.key } : {}),
      });
    } else {
      cr = http.request({ ...base, host: target.host, port: target.port });
    }
    // the connect timeout only: once connected, a stream may stay quiet for as long as it likes
    cr.once('socket', (s) => s.once('connect', () => cr.setTimeout(0)));
    cr.once('timeout', () => cr.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })));
    cr.once('error', reject);
    cr.once('response', (res) => {
      res.on('error', () => undefined);
      resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: res });
    });
    const body = req.body;
    if (body === null) cr.end();
    else if (typeof body === 'string' || body instanceof Uint8Array) cr.end(body);
    else body.pipe(cr);
  });
}
