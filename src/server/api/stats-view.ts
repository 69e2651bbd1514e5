// Reduces Docker's stats JSON (cgroup v1 or v2) to the few figures the API returns, computed the way `docker stats` does.
import type { JsonObject } from '../../docker/index.js';

/** One container's resource use at one moment. */
export interface StatsView {
  /** Share of one CPU × 100 (200 = two full CPUs), as `docker stats` shows it. */
  cpuPercent: number;
  /** Memory in use, page cache excluded. */
  memoryBytes: number;
  memoryLimitBytes: number;
  networkRxBytes: number;
  networkTxBytes: number;
  blockReadBytes: number;
  blockWriteBytes: number;
  pids: number;
  /** When Docker read the figures (RFC 3339). */
  time: string;
}

function at(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const k of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * The figures of one stats sample. CPU is the change since the previous sample (`precpu_stats`),
 * 0 when there is none (the first sample of a stream); memory leaves out the inactive page cache.
 */
export function statsView(s: JsonObject): StatsView {
  const cpuDelta = num(at(s, 'cpu_stats', 'cpu_usage', 'total_usage')) - num(at(s, 'precpu_stats', 'cpu_usage', 'total_usage'));
  const sysDelta = num(at(s, 'cpu_stats', 'system_cpu_usage')) - num(at(s, 'precpu_stats', 'system_cpu_usage'));
  const percpu = at(s, 'cpu_stats', 'cpu_usage', 'percpu_usage');
  const cpus = num(at(s, 'cpu_stats', 'online_cpus')) || (Array.isArray(percpu) ? percpu.length : 0) || 1;
  const cpuPercent = cpuDelta > 0 && sysDelta > 0 ? Math.round((cpuDelta / sysDelta) * cpus * 10_000) / 100 : 0;
  const memStats = at(s, 'memory_stats', 'stats');
  // cgroup v1 reports total_inactive_file, v2 inactive_file; `docker stats` subtracts it from usage.
  const cache = num(at(memStats, 'total_inactive_file')) || num(at(memStats, 'inactive_file'));
  const usage = num(at(s, 'memory_stats', 'usage'));
  let rx = 0;
  let tx = 0;
  for (const n of Object.values((at(s, 'networks') ?? {}) as Record<string, unknown>)) {
    rx += num(at(n, 'rx_bytes'));
    tx += num(at(n, 'tx_bytes'));
  }
  let read = 0;
  let write = 0;
  const io = at(s, 'blkio_stats', 'io_service_bytes_recursive');
  for (const e of Array.isArray(io) ? io : []) {
    const op = at(e, 'op');
    const name = typeof op === 'string' ? op.toLowerCase() : '';
    if (name === 'read') read += num(at(e, 'value'));
    if (name === 'write') write += num(at(e, 'value'));
  }
  const time = at(s, 'read');
  return {
    cpuPercent, memoryBytes: Math.max(0, usage - cache), memoryLimitBytes: num(at(s, 'memory_stats', 'limit')),
    networkRxBytes: rx, networkTxBytes: tx, blockReadBytes: read, blockWriteBytes: write, pids: num(at(s, 'pids_stats', 'current')),
    time: typeof time === 'string' && !time.startsWith('0001-') ? time : new Date().toISOString(),
  };
}
