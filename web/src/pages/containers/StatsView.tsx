// The stats tab: CPU, memory and network over the last minute, streamed once a second over WebSocket.
import { Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { wsUrl } from '../../api/client';
import type { Stats } from '../../api/types';
import { formatBytes } from '../../components/common';
import { LineChart } from '../../components/LineChart';
import { containerPath } from './actions';

/** Samples kept (one a second). */
export const SAMPLES = 60;

interface Sample extends Stats {
  rxRate: number;
  txRate: number;
}

/** The stats tab. */
export function StatsView({ hostId, id, running }: { hostId: string; id: string; running: boolean }) {
  const [samples, setSamples] = useState<Sample[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!running) return;
    setSamples([]);
    setError(undefined);
    const ws = new WebSocket(wsUrl(`${containerPath(hostId, id)}/stats/stream`));
    ws.onmessage = (ev: MessageEvent<unknown>) => {
      if (typeof ev.data !== 'string') return;
      const msg = JSON.parse(ev.data) as ({ type: 'stats' } & Stats) | { type: 'error'; code: string; message: string };
      if (msg.type === 'error') {
        setError(`${msg.message} (${msg.code})`);
        return;
      }
      if (msg.type !== 'stats') return;
      setSamples((old) => {
        const prev = old[old.length - 1];
        const dt = prev ? Math.max(0.001, (Date.parse(msg.time) - Date.parse(prev.time)) / 1000) : 1;
        const rxRate = prev ? Math.max(0, (msg.networkRxBytes - prev.networkRxBytes) / dt) : 0;
        const txRate = prev ? Math.max(0, (msg.networkTxBytes - prev.networkTxBytes) / dt) : 0;
        return [...old, { ...msg, rxRate, txRate }].slice(-SAMPLES);
      });
    };
    ws.onerror = () => setError('the stats stream could not be opened');
    return () => ws.close();
  }, [hostId, id, running]);

  if (!running) return <Text className="pc-empty">The container is not running.</Text>;
  const last = samples[samples.length - 1];
  return (
    <Stack data-testid="stats">
      {error && <Text c="red" size="sm">{error}</Text>}
      <Group gap="lg">
        <Text size="sm">PIDs: {last?.pids ?? '–'}</Text>
        <Text size="sm">Block I/O: {formatBytes(last?.blockReadBytes)} read, {formatBytes(last?.blockWriteBytes)} written</Text>
      </Group>
      <div className="pc-two">
        <LineChart title="CPU" slots={SAMPLES} testId="chart-cpu" format={(v) => `${v.toFixed(1)} %`}
          series={[{ label: 'cpu', className: 'pc-chart-a', values: samples.map((s) => s.cpuPercent) }]} />
        <LineChart title="Memory" slots={SAMPLES} testId="chart-memory" format={formatBytes}
          series={[{ label: `used of ${formatBytes(last?.memoryLimitBytes)}`, className: 'pc-chart-a', values: samples.map((s) => s.memoryBytes) }]} />
        <LineChart title="Network" slots={SAMPLES} testId="chart-network" format={(v) => `${formatBytes(v)}/s`}
          series={[
            { label: 'rx', className: 'pc-chart-a', values: samples.map((s) => s.rxRate) },
            { label: 'tx', className: 'pc-chart-b', values: samples.map((s) => s.txRate) },
          ]} />
      </div>
    </Stack>
  );
}
