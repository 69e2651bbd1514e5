// Prometheus metrics of the proxy; prom-client is loaded only when a metrics listener is configured.

export interface ProxyMetrics {
  record(operation: string, decision: string, status: number, seconds: number): void;
  tunnelOpened(): void;
  tunnelClosed(): void;
  render(): Promise<{ contentType: string; text: string }>;
}

/** Used when METRICS_LISTEN is off: costs nothing per request and keeps prom-client out of memory. */
export const NO_METRICS: ProxyMetrics = {
  record() {},
  tunnelOpened() {},
  tunnelClosed() {},
  render: () => Promise.resolve({ contentType: 'text/plain', text: '' }),
};

/** Creates the proxy's metrics in their own registry (several proxies in one process never collide). */
export async function createMetrics(): Promise<ProxyMetrics> {
  const { Counter, Gauge, Histogram, Registry } = await import('prom-client');
  const registry = new Registry();
  const requests = new Counter({
    name: 'portcullis_proxy_requests_total',
    help: 'Requests seen by the proxy, by operation, decision and status',
    labelNames: ['operation', 'decision', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'portcullis_proxy_request_duration_seconds',
    help: 'Time to the end of the response (streams: their whole life)',
    labelNames: ['decision'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1, 10, 60],
    registers: [registry],
  });
  const tunnels = new Gauge({ name: 'portcullis_proxy_open_tunnels', help: 'Hijacked attach/exec connections open now', registers: [registry] });
  return {
    record(operation, decision, status, seconds) {
      requests.inc({ operation, decision, status: String(status) });
      duration.observe({ decision }, seconds);
    },
    tunnelOpened: () => tunnels.inc(),
    tunnelClosed: () => tunnels.dec(),
    render: async () => ({ contentType: registry.contentType, text: await registry.metrics() }),
  };
}
