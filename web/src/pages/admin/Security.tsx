// Rate-limit refusals, lockouts and login counts since the server started (GET /security/stats).
import { Card, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { SecurityStats } from '../../api/types';
import { ErrorAlert, formatTime, Loading } from '../../components/common';

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <Card withBorder padding="sm" miw={150}>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="xl" fw={700} data-testid={`stat-${label}`}>{value}</Text>
    </Card>
  );
}

/** The security statistics tab. */
export function SecurityTab() {
  const q = useQuery({ queryKey: ['security-stats'], queryFn: () => api<SecurityStats>('/api/v1/security/stats'), refetchInterval: 10_000 });
  if (q.isLoading) return <Loading />;
  if (!q.data) return <ErrorAlert error={q.error} />;
  const s = q.data;
  return (
    <Stack>
      <Text size="sm" c="dimmed">Since {formatTime(s.since)} (server start).</Text>
      <Group>
        <Figure label="lockouts" value={s.lockouts} />
        <Figure label="failed logins" value={s.loginFailures} />
        <Figure label="logins" value={s.loginSuccesses} />
        <Figure label="rate-limited" value={s.rateLimitedTotal} />
      </Group>
      <Table maw={360}>
        <Table.Thead><Table.Tr><Table.Th>Rate class</Table.Th><Table.Th>Refusals</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {Object.entries(s.rateLimited).map(([k, v]) => <Table.Tr key={k}><Table.Td>{k}</Table.Td><Table.Td>{v}</Table.Td></Table.Tr>)}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
