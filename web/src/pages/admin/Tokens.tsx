// API tokens of the current user: create with scoped grants (the token is shown once), list, revoke.
import { Badge, Button, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import type { ApiToken } from '../../api/types';
import { ConfirmButton, ShownOnce, useAction } from '../../components/actions';
import { ErrorAlert, formatTime, Loading } from '../../components/common';
import { emptyGrant, GrantFields, grantBody } from './GrantFields';

function CreateToken({ onDone }: { onDone: () => Promise<unknown> }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [grant, setGrant] = useState(emptyGrant());
  const [token, setToken] = useState<string>();
  const action = useAction();
  const close = () => {
    setOpen(false);
    setToken(undefined);
    setName('');
  };
  const create = () => void action.run(async () => {
    const body = { name, grants: [grantBody(grant)], ...(expires ? { expiresAt: new Date(expires).toISOString() } : {}) };
    const r = await api<{ token: string }>('/api/v1/tokens', { method: 'POST', body });
    setToken(r.token);
    await onDone();
  });
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="create-token">Create token</Button>
      <Modal opened={open} onClose={close} title={token ? 'Token created' : 'Create API token'} size="lg" centered>
        {token ? (
          <Stack>
            <ShownOnce label="API token (send as Authorization: Bearer …)" value={token} testId="new-token" />
            <Group justify="flex-end"><Button onClick={close}>Done</Button></Group>
          </Stack>
        ) : (
          <Stack>
            <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <TextInput type="datetime-local" label="Expires (optional)" value={expires} onChange={(e) => setExpires(e.currentTarget.value)} />
            <GrantFields value={grant} onChange={setGrant} />
            <Text size="xs" c="dimmed">A token never holds more than you do.</Text>
            <ErrorAlert error={action.error} />
            <Button onClick={create} loading={action.busy} disabled={!name}>Create</Button>
          </Stack>
        )}
      </Modal>
    </>
  );
}

/** The tokens tab. */
export function TokensTab() {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['tokens'], queryFn: () => api<{ tokens: ApiToken[] }>('/api/v1/tokens') });
  const refresh = () => qc.invalidateQueries({ queryKey: ['tokens'] });
  return (
    <Stack>
      <Group justify="flex-end"><CreateToken onDone={refresh} /></Group>
      <ErrorAlert error={q.error} />
      {q.isLoading && <Loading />}
      <Table striped data-testid="tokens-table">
        <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Prefix</Table.Th><Table.Th>Created</Table.Th><Table.Th>Last used</Table.Th><Table.Th>Expires</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {q.data?.tokens.map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td className="pc-wrap">{t.name}</Table.Td>
              <Table.Td className="pc-mono">{t.prefix}…</Table.Td>
              <Table.Td>{formatTime(t.createdAt)}</Table.Td>
              <Table.Td>{formatTime(t.lastUsedAt)}</Table.Td>
              <Table.Td>{t.expiresAt ? formatTime(t.expiresAt) : 'never'}</Table.Td>
              <Table.Td>
                {t.revokedAt ? <Badge color="gray" variant="light">revoked</Badge> : (
                  <ConfirmButton question={`Revoke token ${t.name}? Anything using it stops working at once.`}
                    onConfirm={async () => { await api(`/api/v1/tokens/${t.id}`, { method: 'DELETE' }); await refresh(); }}>Revoke</ConfirmButton>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
