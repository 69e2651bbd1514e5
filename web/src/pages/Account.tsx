// The own account: live sessions (revoke any but this one, or this one to log out elsewhere) and the password change.
import { Badge, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import { useMe } from '../api/queries';
import type { Session } from '../api/types';
import { ConfirmButton } from '../components/actions';
import { ErrorAlert, formatTime, Loading, PageTitle } from '../components/common';
import { PasswordForm } from './Password';

function Sessions() {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['sessions'], queryFn: () => api<{ sessions: Session[] }>('/api/v1/auth/sessions') });
  return (
    <Stack gap="xs">
      <Title order={4}>Sessions</Title>
      <ErrorAlert error={q.error} />
      {q.isLoading && <Loading />}
      <Table striped data-testid="sessions-table">
        <Table.Thead><Table.Tr><Table.Th>Started</Table.Th><Table.Th>Last seen</Table.Th><Table.Th>Expires</Table.Th><Table.Th>From</Table.Th><Table.Th>Browser</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {q.data?.sessions.map((s) => (
            <Table.Tr key={s.id} data-current={String(s.current)}>
              <Table.Td>{formatTime(s.createdAt)} {s.current && <Badge size="xs" variant="light">this session</Badge>}</Table.Td>
              <Table.Td>{formatTime(s.lastSeenAt)}</Table.Td>
              <Table.Td>{formatTime(s.expiresAt)}</Table.Td>
              <Table.Td>{s.clientIp ?? ''}</Table.Td>
              <Table.Td className="pc-wrap"><Text size="xs">{s.userAgent ?? ''}</Text></Table.Td>
              <Table.Td>
                {!s.current && (
                  <ConfirmButton question="End this session? That browser is logged out at once." testId="revoke-session"
                    onConfirm={async () => { await api(`/api/v1/auth/sessions/${s.id}`, { method: 'DELETE' }); await qc.invalidateQueries({ queryKey: ['sessions'] }); }}>
                    Revoke
                  </ConfirmButton>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** The account page. */
export function AccountPage() {
  const me = useMe();
  const qc = useQueryClient();
  return (
    <Stack>
      <PageTitle>Account: {me.user.username}</PageTitle>
      <Text size="sm" c="dimmed">Password last changed {formatTime(me.user.passwordChangedAt)}.</Text>
      <Sessions />
      <Paper withBorder p="md" maw={420}>
        <Title order={4} mb="sm">Change password</Title>
        <PasswordForm username={me.user.username} onDone={() => qc.invalidateQueries({ queryKey: ['sessions'] })} />
      </Paper>
    </Stack>
  );
}
