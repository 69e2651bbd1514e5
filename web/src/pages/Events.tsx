// Events: Docker events of one host over a time window, and the live feed of every readable host.
import { Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import { useLiveEvents } from '../api/live';
import { ErrorAlert, formatTime, HostSelect, Loading, PageTitle } from '../components/common';
import { field, useHostParam } from '../components/useHostParam';

type DockerEvent = Record<string, unknown>;
const WINDOWS: Record<string, number> = { '15m': 900, '1h': 3600, '24h': 86_400 };

function actorName(e: DockerEvent): string {
  const actor = field<{ ID?: string; Attributes?: Record<string, string> }>(e, 'Actor', 'actor');
  const id = actor?.ID ?? '';
  // Containers and images have hex ids (shortened); volumes and others are named by their id.
  return actor?.Attributes?.name ?? (/^(sha256:)?[0-9a-f]{64}$/.test(id) ? id.replace(/^sha256:/, '').slice(0, 12) : id);
}

/** The events page. */
export function EventsPage() {
  const [host, setHost] = useHostParam('system.read');
  const [win, setWin] = useState('1h');
  const live = useLiveEvents();
  const q = useQuery({
    queryKey: ['events', host?.id, win],
    queryFn: ({ signal }) => {
      const now = Math.floor(Date.now() / 1000);
      return api<{ events: DockerEvent[] }>(`/api/v1/hosts/${encodeURIComponent(host!.id)}/events`, { query: { since: String(now - (WINDOWS[win] ?? 3600)), until: String(now) }, signal });
    },
    enabled: host !== undefined,
  });
  const events = [...(q.data?.events ?? [])].reverse();
  return (
    <Stack>
      <PageTitle>Events</PageTitle>
      <Title order={4}>Live (all hosts)</Title>
      {live.length === 0 && <Text className="pc-empty">No live events since this page opened.</Text>}
      <Stack gap={2} data-testid="events-live">
        {live.slice(0, 20).map((e, i) => (
          <Text key={`${e.id}-${String(e.time)}-${i}`} size="sm" className="pc-wrap">
            <Text span size="xs" c="dimmed">{formatTime(e.time)} </Text>{e.hostName} · container {e.name} · <b>{e.action}</b>
          </Text>
        ))}
      </Stack>
      <Title order={4}>History</Title>
      <Group align="flex-end">
        <HostSelect value={host?.id ?? null} onChange={setHost} />
        <SegmentedControl data={Object.keys(WINDOWS)} value={win} onChange={setWin} />
      </Group>
      <ErrorAlert error={q.error} />
      {q.isLoading && <Loading />}
      <Table striped data-testid="events-table">
        <Table.Thead><Table.Tr><Table.Th>Time</Table.Th><Table.Th>Type</Table.Th><Table.Th>Action</Table.Th><Table.Th>Object</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {events.map((e, i) => (
            <Table.Tr key={i}>
              <Table.Td className="pc-nowrap">{formatTime(field<number>(e, 'time', 'Time'))}</Table.Td>
              <Table.Td>{field<string>(e, 'Type', 'type')}</Table.Td>
              <Table.Td className="pc-wrap">{field<string>(e, 'Action', 'action')}</Table.Td>
              <Table.Td className="pc-wrap">{actorName(e)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {q.data && events.length === 0 && <Text className="pc-empty">No events in this window.</Text>}
    </Stack>
  );
}
