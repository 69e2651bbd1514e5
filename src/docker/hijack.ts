// Hijacked connections (exec start): HTTP upgrade to a raw duplex socket with half-close support.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { DockerError, httpError, interruptedError, transportError } from './errors.js';
import { readCapped } from './transport.js';
import type { DockerTarget } from './target.js';

/** Largest refusal body read when the daemon answers a hijack request with an error. */
const MAX_REFUSAL_BODY_BYTES = 64 * 1024;

/** What a successful upgrade hands back: the raw socket and any bytes that came with the 101. */
export interface Hijacked {
  socket: Socket;
  head: Buffer;
  headers: http.IncomingHttpHeaders;
}

/**
 * Sends `POST path` with `Connection: Upgrade, Upgrade: tcp` and resolves with the socket once the
 * daemon answers 101. Any other status is read and thrown as DockerError. `connectTimeoutMs` bounds
 * the time until the daemon answers; after the upgrade the socket has no timeout.
 */
export function hijack(
  target: DockerTarget,
  operation: string,
  path: string,
  body: unknown,
  opts: { connectTimeoutMs: number; answerTimeoutMs: number; signal?: AbortSignal },
): Promise<Hijacked> {
  const payload = Buffer.from(JSON.stringify(body ?? {}));
  const headers = { 'Content-Type': 'application/json', 'Content-Length': String(payload.length), Connection: 'Upgrade', Upgrade: 'tcp' };
  const base: http.RequestOptions = { method: 'POST', path, headers, agent: false };
  let req: http.ClientRequest;
  if (target.socketPath !== undefined) {
    req = http.request({ ...base, socketPath: target.socketPath, host: 'localhost' });
  } else if (target.tls) {
    const tls = target.tls;
    req = https.request({
      ...base,
      host: target.host,
      ...(target.port !== undefined ? { port: target.port } : {}),
      ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
      ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
      ...(tls.key !== undefined ? { key: tls.key } : {}),
    });
  } else {
    req = http.request({ ...base, host: target.host, ...(target.port !== undefined ? { port: target.port } : {}) });
  }
  const where = target.description;

  return new Promise<Hijacked>((resolve, reject) => {
    let settled = false;
    const finish = (err: DockerError | undefined, value?: Hijacked): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(answerTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) {
        req.destroy();
        reject(err);
      } else if (value) resolve(value);
    };
    const connectTimer = setTimeout(() => {
      finish(transportError(operation, where, Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })));
    }, opts.connectTimeoutMs);
    let answerTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => finish(interruptedError(operation, where, 'ABORTED'));
    if (opts.signal?.aborted) {
      queueMicrotask(onAbort);
    } else {
      opts.signal?.addEventListener('abort', onAbort, { once: true });
    }

    req.on('socket', (s: Socket) => {
      const connected = (): void => {
        clearTimeout(connectTimer);
        answerTimer = setTimeout(() => {
          finish(transportError(operation, where, Object.assign(new Error('no answer'), { code: 'UND_ERR_HEADERS_TIMEOUT' })));
        }, opts.answerTimeoutMs);
      };
      // unix sockets emit 'connect'; TLS sockets are usable after 'secureConnect'
      s.once(target.tls ? 'secureConnect' : 'connect', connected);
    });
    req.on('upgrade', (res: http.IncomingMessage, socket: Socket, head: Buffer) => {
      if (settled) {
        socket.destroy();
        return;
      }
      socket.setTimeout(0);
      socket.setNoDelay?.(true);
      finish(undefined, { socket, head, headers: res.headers });
    });
    req.on('response', (res: http.IncomingMessage) => {
      // the daemon refused the upgrade (e.g. 404 no such exec, 409 container not running)
      readCapped(res, MAX_REFUSAL_BODY_BYTES).then(
        (buf) => {
          const status = res.statusCode ?? 0;
          finish(status >= 400 ? httpError(operation, status, buf)
            : new DockerError(`${operation}: expected 101 Switching Protocols from Docker at ${where}, got ${status}`, { statusCode: status, operation, code: 'PROTOCOL' }));
        },
        (err: unknown) => finish(transportError(operation, where, err)),
      );
    });
    req.on('error', (err) => finish(transportError(operation, where, err)));
    req.end(payload);
  });
}
