// The socket proxy: an HTTP listener in front of the Docker socket, every request through the policy engine.
import { Agent, createServer, type Server } from 'node:http';
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../log/index.js';
import type { Decision, PolicyEngine } from '../policy/index.js';
import { performance } from 'node:perf_hooks';
import { denialBody, logRequest, type ProxyContext } from './context.js';
import { handleRequest } from './forward.js';
import { handleUpgrade } from './hijack.js';
import { bind, isLoopback, parseListen, type ListenTarget } from './listen.js';
import { createMetrics, NO_METRICS } from './metrics.js';

/** Slowloris guard: the whole request head must arrive within this time. */
export const HEADER_TIMEOUT_MS = 10_000;
/** Idle keep-alive connections are closed after this time. */
export const KEEP_ALIVE_TIMEOUT_MS = 10_000;
/** Largest request head accepted (X-Registry-Config on /build can be large). */
export const MAX_HEADER_BYTES = 64 * 1024;
/** Idle keep-alive connections kept open to dockerd (active ones are not capped: streams must not starve requests). */
export const UPSTREAM_IDLE_SOCKETS = 128;
/** On shutdown, finite requests get this long before streams and tunnels are cut. */
export const SHUTDOWN_GRACE_MS = 5_000;

export interface ProxyOptions {
  engine: PolicyEngine;
  socketPath: string;
  listen: string;
  disableIpv6?: boolean;
  metricsListen?: string;
  logger: Logger;
  /** Access-log logger (one line per request); defaults to `logger`. */
  accessLogger?: Logger;
  onDeny?: (method: string, target: string, decision: Decision) => void;
}

export interface RunningProxy {
  /** Where it listens: `host:port` or `unix:/path`. */
  address: string;
  metricsAddress: string | undefined;
  close(): Promise<void>;
}

function describe(server: Server, target: ListenTarget): string {
  if (target.kind === 'unix') return `unix:${target.path}`;
  const a = server.address();
  if (a && typeof a === 'object') return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
  return `${target.host}:${target.port}`;
}

/** Answers whether dockerd responds to GET /_ping on the socket (for /healthz). */
export function pingUpstream(socketPath: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpRequest({ socketPath, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Starts the proxy (and its metrics listener when asked). */
export async function startProxy(opts: ProxyOptions): Promise<RunningProxy> {
  const metrics = opts.metricsListen ? await createMetrics() : NO_METRICS;
  const agent = new Agent({ keepAlive: true, keepAliveMsecs: 30_000, maxFreeSockets: UPSTREAM_IDLE_SOCKETS, scheduling: 'lifo' });
  const ctx: ProxyContext = {
    engine: opts.engine,
    agent,
    socketPath: opts.socketPath,
    logger: opts.accessLogger ?? opts.logger,
    metrics,
    tunnels: new Set(),
    ...(opts.onDeny ? { onDeny: opts.onDeny } : {}),
  };
  const server = createServer({
    headersTimeout: HEADER_TIMEOUT_MS,
    requestTimeout: 0,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    maxHeaderSize: MAX_HEADER_BYTES,
    connectionsCheckingInterval: 1000,
    noDelay: true,
  });
  server.timeout = 0;
  server.on('request', (req, res) => {
    handleRequest(ctx, req, res).catch((err: unknown) => {
      opts.logger.error({ err: (err as Error).message }, 'request handler failed');
      res.destroy();
    });
  });
  server.on('upgrade', (req, socket: Socket, head: Buffer) => {
    handleUpgrade(ctx, req, socket, head).catch((err: unknown) => {
      opts.logger.error({ err: (err as Error).message }, 'upgrade handler failed');
      socket.destroy();
    });
  });
  // Without a listener Node drops CONNECT silently; answer it like any other non-route, and log it.
  server.on('connect', (req, socket: Socket) => {
    const start = performance.now();
    const decision = { allow: false, operation: 'unknown', rule: 'route:unknown', reason: 'CONNECT is not a Docker Engine API method', status: 403 };
    const body = denialBody(decision);
    socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    logRequest(ctx, { method: 'CONNECT', target: req.url ?? '', decision, word: 'deny', status: 403, start, client: socket.remoteAddress });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (socket.writable) {
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      const body = JSON.stringify({ message: `portcullis: malformed request (${err.code ?? 'parse error'})` });
      socket.end(`HTTP/1.1 ${status} Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
    } else socket.destroy();
  });
  const target = parseListen(opts.listen);
  await bind(server, target, { disableIpv6: opts.disableIpv6 ?? false });
  const address = describe(server, target);
  if (target.kind === 'tcp' && !isLoopback(target.host)) {
    opts.logger.warn({ listen: address }, 'listening beyond loopback: any client that can reach this port gets the access the policy allows (no authentication)');
  }

  let metricsServer: Server | undefined;
  let metricsAddress: string | undefined;
  if (opts.metricsListen) {
    metricsServer = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/metrics') {
        metrics.render().then(
          ({ contentType, text }) => {
            res.writeHead(200, { 'content-type': contentType });
            res.end(text);
          },
          () => res.writeHead(500).end(),
        );
      } else if (req.method === 'GET' && (path === '/healthz' || path === '/health')) {
        void pingUpstream(opts.socketPath).then((ok) => {
          const body = JSON.stringify(ok ? { status: 'ready' } : { status: 'not ready', message: `Docker socket ${opts.socketPath} does not answer` });
          res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
          res.end(body);
        });
      } else {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'not found: GET /metrics or /healthz' }));
      }
    });
    const mt = parseListen(opts.metricsListen);
    await bind(metricsServer, mt);
    metricsAddress = describe(metricsServer, mt);
  }

  return {
    address,
    metricsAddress,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => {
        server.closeAllConnections();
        for (const s of ctx.tunnels) s.destroy();
      }, SHUTDOWN_GRACE_MS);
      timer.unref();
      await closed;
      clearTimeout(timer);
      if (metricsServer) await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      agent.destroy();
    },
  };
}
