// A tiny SVG line chart (no chart library): one or two series over a fixed number of samples.
import { Group, Text } from '@mantine/core';

export interface Series {
  values: number[];
  className: 'pc-chart-a' | 'pc-chart-b';
  label: string;
}

const W = 100;
const H = 100;

function points(values: number[], max: number, slots: number): string {
  const step = W / Math.max(1, slots - 1);
  const offset = slots - values.length;
  return values.map((v, i) => `${((offset + i) * step).toFixed(2)},${(H - (Math.max(0, v) / max) * H).toFixed(2)}`).join(' ');
}

/** Plots the series on a shared scale from 0 to the largest value (or `max`). */
export function LineChart({ title, series, slots, max, format, testId }: {
  title: string; series: Series[]; slots: number; max?: number; format: (v: number) => string; testId?: string;
}) {
  const top = Math.max(max ?? 0, ...series.flatMap((s) => s.values), 1e-9);
  return (
    <div data-testid={testId}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={600}>{title}</Text>
        <Group gap="sm">
          {series.map((s) => (
            <Text key={s.label} size="xs" className={s.className === 'pc-chart-a' ? 'pc-chart-label-a' : 'pc-chart-label-b'}>
              {s.label}: {s.values.length ? format(s.values[s.values.length - 1] ?? 0) : '–'}
            </Text>
          ))}
        </Group>
      </Group>
      <svg className="pc-chart" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={title}>
        {[25, 50, 75].map((y) => <line key={y} className="pc-chart-grid" x1="0" x2={W} y1={y} y2={y} />)}
        {series.map((s) => <polyline key={s.label} className={`pc-chart-line ${s.className}`} points={points(s.values, top, slots)} />)}
      </svg>
      <Text size="xs" c="dimmed" ta="right">max {format(top)}</Text>
    </div>
  );
}
