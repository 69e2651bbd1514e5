// Small shared pieces: error alert, state badge, page title, host picker, formatting helpers.
import { Alert, Badge, Group, Loader, Select, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { errorText } from '../api/client';
import { useHosts } from '../api/queries';

/** An API error, shown with the server's own message and code. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  if (error === undefined || error === null) return null;
  return (
    <Alert color="red" title={title ?? 'Refused'} data-testid="error" className="pc-wrap">
      {errorText(error)}
    </Alert>
  );
}

const STATE_COLORS: Record<string, string> = {
  running: 'green', paused: 'yellow', restarting: 'orange', exited: 'gray', created: 'blue', dead: 'red', removing: 'red',
};

/** A container state as a coloured badge. */
export function StateBadge({ state }: { state: string }) {
  return (
    <Badge color={STATE_COLORS[state] ?? 'gray'} variant="light" size="sm" data-state={state}>
      {state}
    </Badge>
  );
}

/** The title row of a page, with optional controls on the right. */
export function PageTitle({ children, right }: { children: ReactNode; right?: ReactNode }) {
  return (
    <Group justify="space-between" mb="md" wrap="nowrap">
      <Title order={2}>{children}</Title>
      {right && <Group gap="xs">{right}</Group>}
    </Group>
  );
}

/** A loading indicator for a whole section. */
export function Loading() {
  return <Loader size="sm" m="md" />;
}

/** Picks one host by id (the per-host pages: images, networks, volumes, events). */
export function HostSelect({ value, onChange, label = 'Host' }: { value: string | null; onChange: (id: string | null) => void; label?: string }) {
  const { data } = useHosts();
  return (
    <Select
      label={label}
      placeholder="Choose a host"
      data={(data ?? []).map((h) => ({ value: h.id, label: `${h.name}${h.status.online ? '' : ' (offline)'}` }))}
      value={value}
      onChange={onChange}
      allowDeselect={false}
      w={240}
      data-testid="host-select"
    />
  );
}

/** Bytes in B/KiB/MiB/GiB. */
export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** A timestamp (ISO string, or Unix seconds) in the browser's locale. */
export function formatTime(t: string | number | null | undefined): string {
  if (t === null || t === undefined || t === '') return '–';
  const d = typeof t === 'number' ? new Date(t < 1e12 ? t * 1000 : t) : new Date(t);
  return Number.isNaN(d.getTime()) ? String(t) : d.toLocaleString();
}
