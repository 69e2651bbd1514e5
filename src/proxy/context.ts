// State shared by the proxy's request paths: engine, upstream agent, logger, metrics, access log.
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Agent } from 'node:http';
import { safeForLog, type Logger } from '../log/index.js';
import type { Decision, PolicyEngine } from '../policy/index.js';
import type { ProxyMetrics } from './metrics.js';

export interface ProxyContext {
  engine: PolicyEngine;
  /** Keep-alive agent for the upstream socket: no cap, so long streams never starve other requests. */
  agent: Agent;
  socketPath: string;
  logger: Logger;
  metrics: ProxyMetrics;
  /** Client sockets of open hijack tunnels (cut on shutdown after the grace period). */
  tunnels: Set<Socket>;
  /** Called for each denial, to warn once where tecnativa would have allowed the request. */
  onDeny?: (method: string, target: string, decision: Decision) => void;
}

/** The access-log decision word: allow, deny, or observe-deny (denied by policy but let through). */
export type DecisionWord = 'allow' | 'deny' | 'observe-deny';

/** Writes one JSON access-log line and counts it; never logs bodies, headers or the query. */
export function logRequest(
  ctx: ProxyContext,
  e: { method: string; target: string; decision: Decision; word: DecisionWord; status: number; start: number; client?: string | undefined; error?: string },
): void {
  const durationMs = Math.round((performance.now() - e.start) * 1000) / 1000;
  const q = e.target.indexOf('?');
  ctx.logger.info(
    {
      method: safeForLog(e.method, 16),
      path: safeForLog(q === -1 ? e.target : e.target.slice(0, q), 256),
      operation: e.decision.operation,
      decision: e.word,
      rule: e.decision.rule,
      ...(e.word === 'allow' ? {} : { reason: e.decision.reason }),
      status: e.status,
      durationMs,
      ...(e.client ? { client: e.client } : {}),
      ...(e.error ? { error: e.error } : {}),
    },
    'request',
  );
  ctx.metrics.record(e.decision.operation, e.word, e.status, durationMs / 1000);
}

/** The JSON body of a denial, shaped so the docker CLI prints it ("Error response from daemon: …"). */
export function denialBody(d: Decision): string {
  const what = d.operation === 'unknown' || d.operation === 'transport' ? 'request' : d.operation;
  return JSON.stringify({ message: `portcullis: denied ${what}: ${d.reason}` });
}

/** Headers that belong to one hop and are never forwarded. */
export const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'host', 'content-length',
]);

/** A clear message for an upstream socket failure, naming the socket and what to check. */
export function upstreamErrorMessage(socketPath: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? 'error';
  const hint =
    code === 'ENOENT' ? 'the socket does not exist: is dockerd running? (SOCKET_PATH)'
    : code === 'EACCES' ? 'permission denied: run the proxy in the docker group or as the socket owner'
    : code === 'ECONNREFUSED' ? 'nothing is listening on the socket: is dockerd running?'
    : 'the upstream connection failed';
  return `portcullis: cannot reach the Docker socket at ${socketPath} (${code}): ${hint}`;
}
