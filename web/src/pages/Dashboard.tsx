// Dashboard: hosts with status, container counts by state, the newest containers, live events and recent denials.
import { Badge, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { api } from '../api/client';
import { useLiveEvents } from '../api/live';
import { containersQuery, useHosts, usePermissions } from '../api/queries';
import type { AuditRecord, Container, Host } from '../api/types';
import { ErrorAlert, formatTime, Loading, PageTitle, StateBadge } from '../components/common';
import { ExposureBadge } from './Exposure';

const STATES = ['running', 'paused', 'restarting', 'created', 'exited', 'dead'];
/** Containers listed on the dashboard (the containers page has them all). */
const DASHBOARD_ROWS = 15;

function HostCard({ host, containers }: { host: Host; containers: Container[] }) {
  const counts = new Map<string, number>();
  for (const c of containers) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
  return (
    <Card withBorder padding="sm" data-testid={`host-card-${host.name}`}>
      <Group justify="space-between" mb={4}>
        <Text fw={600} className="pc-wrap">{host.name}</Text>
        <Badge color={host.status.online ? 'green' : 'red'} variant="light">{host.status.online ? 'online' : 'offline'}</Badge>
      </Group>
      <Text size="xs" c="dimmed">{host.kind}{host.status.dockerVersion ? ` · Docker ${host.status.dockerVersion}` : ''}</Text>
      {host.status.online && <Group mt={4}><ExposureBadge hostId={host.id} /></Group>}
      {host.status.error && <Text size="xs" c="red" className="pc-wrap">{host.status.error.message}</Text>}
      <Group gap={6} mt="xs">
        <Text size="sm" data-testid="count-total">{containers.length} containers</Text>
        {STATES.filter((s) => counts.has(s)).map((s) => (
          <Badge key={s} size="sm" variant="outline" data-testid={`count-${s}`}>{s}: {counts.get(s)}</Badge>
        ))}
      </Group>
    </Card>
  );
}

function NewestContainers({ containers }: { containers: Container[] }) {
  const [filter, setFilter] = useState('');
  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return containers
      .filter((c) => f === '' || c.name.toLowerCase().includes(f) || c.image.toLowerCase().includes(f))
      .sort((a, b) => b.created - a.created)
      .slice(0, DASHBOARD_ROWS);
  }, [containers, filter]);
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={4}>Newest containers</Title>
        <TextInput size="xs" placeholder="Filter by name or image" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} data-testid="dashboard-filter" />
      </Group>
      <Table striped highlightOnHover data-testid="dashboard-containers">
        <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Host</Table.Th><Table.Th>State</Table.Th><Table.Th>Image</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {rows.map((c) => (
            <Table.Tr key={`${c.hostId}/${c.id}`} data-name={c.name}>
              <Table.Td className="pc-wrap"><Link to="/containers/$host/$id" params={{ host: c.hostId, id: c.id }}>{c.name}</Link></Table.Td>
              <Table.Td>{c.hostName}</Table.Td>
              <Table.Td><StateBadge state={c.state} /></Table.Td>
              <Table.Td className="pc-wrap">{c.image}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {rows.length === 0 && <Text className="pc-empty">No containers.</Text>}
    </Stack>
  );
}

function LiveEvents() {
  const events = useLiveEvents();
  return (
    <Stack gap="xs">
      <Title order={4}>Recent events</Title>
      {events.length === 0 && <Text className="pc-empty">No events since this page opened.</Text>}
      <Stack gap={2} data-testid="live-events">
        {events.slice(0, 12).map((e, i) => (
          <Text size="sm" key={`${e.id}-${String(e.time)}-${i}`} className="pc-wrap">
            <Text span c="dimmed" size="xs">{formatTime(e.time)} </Text>
            {e.hostName} · {e.name} · <b>{e.action}</b>
          </Text>
        ))}
      </Stack>
    </Stack>
  );
}

function RecentDenials() {
  const q = useQuery({
    queryKey: ['audit', 'denied-recent'],
    queryFn: () => api<{ records: AuditRecord[] }>('/api/v1/audit', { query: { result: 'denied', limit: 10, order: 'desc' } }),
    refetchInterval: 15_000,
  });
  return (
    <Stack gap="xs">
      <Title order={4}>Recent denials</Title>
      <ErrorAlert error={q.error} />
      {q.data?.records.length === 0 && <Text className="pc-empty">No denials recorded.</Text>}
      <Stack gap={2} data-testid="recent-denials">
        {q.data?.records.map((r) => (
          <Text size="sm" key={r.seq} className="pc-wrap">
            <Text span c="dimmed" size="xs">{formatTime(r.time)} </Text>
            {r.actor} · <b>{r.action}</b>{r.target ? ` · ${r.target}` : ''}
          </Text>
        ))}
      </Stack>
    </Stack>
  );
}

/** The dashboard page. */
export function DashboardPage() {
  const perms = usePermissions();
  const hosts = useHosts();
  const mayList = perms.canSomewhere('container.read');
  const containers = useQuery({ ...containersQuery(), enabled: mayList });
  const byHost = useMemo(() => {
    const m = new Map<string, Container[]>();
    for (const c of containers.data?.containers ?? []) m.set(c.hostId, [...(m.get(c.hostId) ?? []), c]);
    return m;
  }, [containers.data]);
  return (
    <Stack>
      <PageTitle>Dashboard</PageTitle>
      <ErrorAlert error={hosts.error ?? containers.error} />
      {hosts.isLoading && <Loading />}
      <div className="pc-cards" data-testid="host-cards">
        {hosts.data?.map((h) => <HostCard key={h.id} host={h} containers={byHost.get(h.id) ?? []} />)}
      </div>
      {hosts.data?.length === 0 && <Text className="pc-empty">No hosts you may read.</Text>}
      <div className="pc-two">
        {mayList && <NewestContainers containers={containers.data?.containers ?? []} />}
        <Stack>
          <LiveEvents />
          {perms.can('audit.read') && <RecentDenials />}
        </Stack>
      </div>
    </Stack>
  );
}
