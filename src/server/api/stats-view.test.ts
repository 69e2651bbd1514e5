import { describe, expect, it } from 'vitest';
import { statsView } from './stats-view.js';

describe('stats view', () => {
  it('computes CPU from the change since the previous sample, times the online CPUs, as docker stats does', () => {
    const v = statsView({
      read: '2024-05-01T10:00:01Z',
      cpu_stats: { cpu_usage: { total_usage: 3_000 }, system_cpu_usage: 20_000, online_cpus: 4 },
      precpu_stats: { cpu_usage: { total_usage: 1_000 }, system_cpu_usage: 10_000 },
      memory_stats: { usage: 10_000, limit: 50_000, stats: { inactive_file: 4_000 } },
      networks: { eth0: { rx_bytes: 5, tx_bytes: 7 }, eth1: { rx_bytes: 1, tx_bytes: 2 } },
      blkio_stats: { io_service_bytes_recursive: [{ op: 'read', value: 100 }, { op: 'Write', value: 30 }, { op: 'Read', value: 1 }] },
      pids_stats: { current: 3 },
    });
    expect(v).toEqual({
      cpuPercent: 80, memoryBytes: 6_000, memoryLimitBytes: 50_000, networkRxBytes: 6, networkTxBytes: 9, blockReadBytes: 101, blockWriteBytes: 30, pids: 3,
      time: '2024-05-01T10:00:01Z',
    });
  });

  it('reads cgroup v1 cache and per-CPU counts, and reports 0 % without a previous sample', () => {
    const v = statsView({
      cpu_stats: { cpu_usage: { total_usage: 5, percpu_usage: [1, 2] }, system_cpu_usage: 9 }, precpu_stats: {},
      memory_stats: { usage: 900, stats: { total_inactive_file: 100 } },
    });
    expect([v.cpuPercent, v.memoryBytes]).toEqual([Math.round((5 / 9) * 2 * 10_000) / 100, 800]);
    const stopped = statsView({ read: '0001-01-01T00:00:00Z', cpu_stats: {}, precpu_stats: {}, memory_stats: {} });
    expect([stopped.cpuPercent, stopped.memoryBytes, stopped.pids, stopped.networkRxBytes]).toEqual([0, 0, 0, 0]);
    expect(stopped.time).not.toMatch(/^0001/);
  });
});
