// Prometheus metrics of the server on a private registry (served by GET /metrics to system.read tokens).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServerMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
  rateLimited: Counter<'class'>;
  logins: Counter<'result'>;
  lockouts: Counter;
  auditRecords: Counter<'result'>;
  auditFailures: Counter;
}

/** A fresh registry with process metrics and the server's own counters. */
export function createMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'portcullis_' });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({ name: 'portcullis_http_requests_total', help: 'HTTP requests by route template and status', labelNames: ['method', 'route', 'status'], registers }),
    duration: new Histogram({
      name: 'portcullis_http_request_duration_seconds', help: 'HTTP request duration by route template', labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers,
    }),
    rateLimited: new Counter({ name: 'portcullis_rate_limited_total', help: 'Requests refused by a rate limit, by class', labelNames: ['class'], registers }),
    logins: new Counter({ name: 'portcullis_logins_total', help: 'Login attempts by result', labelNames: ['result'], registers }),
    lockouts: new Counter({ name: 'portcullis_lockouts_total', help: 'Account or client-address lockouts started', registers }),
    auditRecords: new Counter({ name: 'portcullis_audit_records_total', help: 'Audit records written, by result', labelNames: ['result'], registers }),
    auditFailures: new Counter({ name: 'portcullis_audit_write_failures_total', help: 'Audit records that could not be written', registers }),
  };
}
