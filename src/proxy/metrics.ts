// Prometheus metrics of the proxy (own registry, so tests and several proxies never collide).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface ProxyMetrics {
  registry: Registry;
  requests: Counter<'operation' | 'decision' | 'status'>;
  duration: Histogram<'decision'>;
  tunnels: Gauge;
}

export function createMetrics(): ProxyMetrics {
  const registry = new Registry();
  return {
    registry,
    requests: new Counter({
      name: 'portcullis_proxy_requests_total',
      help: 'Requests seen by the proxy, by operation, decision and status',
      labelNames: ['operation', 'decision', 'status'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'portcullis_proxy_request_duration_seconds',
      help: 'Time to the end of the response (streams: their whole life)',
      labelNames: ['decision'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1, 10, 60],
      registers: [registry],
    }),
    tunnels: new Gauge({ name: 'portcullis_proxy_open_tunnels', help: 'Hijacked attach/exec connections open now', registers: [registry] }),
  };
}
