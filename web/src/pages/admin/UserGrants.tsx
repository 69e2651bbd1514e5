// The grants of one user: list, remove, and add a role on all hosts, one host or a tag.
import { Button, Group, Stack, Table } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, setCsrfToken } from '../../api/client';
import { useHostIndex } from '../../api/queries';
import type { Grant, User } from '../../api/types';
import { ConfirmButton, useAction } from '../../components/actions';
import { ErrorAlert, Loading } from '../../components/common';
import { emptyGrant, GrantFields, grantBody } from './GrantFields';

/** The grants editor of one user. */
export function UserGrants({ user }: { user: User }) {
  const qc = useQueryClient();
  const hosts = useHostIndex();
  const [draft, setDraft] = useState(emptyGrant());
  const action = useAction();
  const key = ['grants', user.id];
  const q = useQuery({ queryKey: key, queryFn: () => api<{ grants: Grant[] }>(`/api/v1/users/${user.id}/grants`) });
  // A change to the own grants rotates this session: the server returns the new CSRF token.
  const after = async (r: { csrfToken?: string }) => {
    if (r.csrfToken) setCsrfToken(r.csrfToken);
    await qc.invalidateQueries({ queryKey: key });
    await qc.invalidateQueries({ queryKey: ['me'] });
  };
  const add = () => void action.run(async () => after(await api<{ csrfToken?: string }>(`/api/v1/users/${user.id}/grants`, { method: 'POST', body: grantBody(draft) })));
  const scope = (g: Grant) => (g.scopeType === 'all' ? 'all hosts' : g.scopeType === 'host' ? `host ${hosts.get(g.scopeValue ?? '')?.name ?? g.scopeValue ?? ''}` : `tag ${g.scopeValue ?? ''}`);
  return (
    <Stack>
      <ErrorAlert error={q.error} />
      {q.isLoading && <Loading />}
      <Table data-testid="grants-table">
        <Table.Thead><Table.Tr><Table.Th>Role</Table.Th><Table.Th>Scope</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {q.data?.grants.map((g) => (
            <Table.Tr key={g.id}>
              <Table.Td>{g.role}</Table.Td>
              <Table.Td className="pc-wrap">{scope(g)}</Table.Td>
              <Table.Td>
                <ConfirmButton question={`Remove ${g.role} on ${scope(g)} from ${user.username}?`}
                  onConfirm={async () => after(await api<{ csrfToken?: string }>(`/api/v1/users/${user.id}/grants/${g.id}`, { method: 'DELETE' }))}>
                  Remove
                </ConfirmButton>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group align="flex-end">
        <GrantFields value={draft} onChange={setDraft} />
        <Button onClick={add} loading={action.busy}>Add grant</Button>
      </Group>
      <ErrorAlert error={action.error} />
    </Stack>
  );
}
