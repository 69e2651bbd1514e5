// The agent's local listener: /healthz (alive), /readyz (tunnel up) and Prometheus /metrics.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry, Counter, Gauge } from 'prom-client';
import type { Agent } from './agent.js';

/** The agent's metrics. */
export interface AgentMetrics {
  registry: Registry;
  connected: Gauge;
  connects: Counter;
  decisions: Counter<'decision' | 'operation'>;
}

/** Builds the agent's metric set (prom-client is loaded only here). */
export async function createAgentMetrics(): Promise<AgentMetrics> {
  const prom = await import('prom-client');
  const registry = new prom.Registry();
  prom.collectDefaultMetrics({ register: registry, prefix: 'portcullis_agent_' });
  return {
    registry,
    connected: new prom.Gauge({ name: 'portcullis_agent_connected', help: '1 while the tunnel to the control plane is up', registers: [registry] }),
    connects: new prom.Counter({ name: 'portcullis_agent_connections_total', help: 'Tunnels established since start', registers: [registry] }),
    decisions: new prom.Counter({
      name: 'portcullis_agent_requests_total', help: 'Requests from the control plane by policy decision', labelNames: ['decision', 'operation'], registers: [registry],
    }),
  };
}

/**
 * Listens on `listen` (127.0.0.1:18284 by default). /healthz answers 200 while the process runs;
 * /readyz answers 200 only while the tunnel is up (503 otherwise). Nothing here can change state.
 */
export async function startHealthServer(agent: Agent, metrics: AgentMetrics, listen: { host: string; port: number }): Promise<{ address: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: string, type = 'application/json'): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, JSON.stringify({ error: 'GET only' }));
    const state = { tunnel: agent.state, hostId: agent.hostId ?? null, host: agent.hostName ?? null, connections: agent.connections, lastError: agent.lastError ?? null };
    if (url === '/healthz') return send(200, JSON.stringify({ status: 'ok', ...state }));
    if (url === '/readyz') return send(agent.state === 'connected' ? 200 : 503, JSON.stringify({ ready: agent.state === 'connected', ...state }));
    if (url === '/metrics') {
      void metrics.registry.metrics().then((text) => send(200, text, metrics.registry.contentType), () => send(500, '{}'));
      return;
    }
    send(404, JSON.stringify({ error: 'not found' }));
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  return {
    address: a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
