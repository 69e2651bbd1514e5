// Roles: the built-in and custom roles with their permissions; create a custom role from permissions held on all hosts.
import { Badge, Button, Checkbox, Group, Modal, Stack, Table, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import type { Role } from '../../api/types';
import { useAction } from '../../components/actions';
import { ErrorAlert, Loading } from '../../components/common';

function CreateRole({ permissions, onDone }: { permissions: string[]; onDone: () => Promise<unknown> }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const action = useAction();
  const create = () => void action.run(async () => {
    await api('/api/v1/roles', { method: 'POST', body: { name, permissions: chosen } });
    setOpen(false);
    setName('');
    setChosen([]);
    await onDone();
  });
  return (
    <>
      <Button onClick={() => setOpen(true)}>Create role</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Create role" size="lg" centered>
        <Stack>
          <TextInput label="Name" description="lower-case letters, digits, . _ -" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Checkbox.Group label="Permissions" value={chosen} onChange={setChosen}>
            <div className="pc-cards">{permissions.map((p) => <Checkbox key={p} value={p} label={p} />)}</div>
          </Checkbox.Group>
          <ErrorAlert error={action.error} />
          <Button onClick={create} loading={action.busy} disabled={!name || chosen.length === 0}>Create</Button>
        </Stack>
      </Modal>
    </>
  );
}

/** The roles tab. */
export function RolesTab() {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['roles'], queryFn: () => api<{ roles: Role[]; permissions: string[] }>('/api/v1/roles') });
  return (
    <Stack>
      <Group justify="flex-end">{q.data && <CreateRole permissions={q.data.permissions} onDone={() => qc.invalidateQueries({ queryKey: ['roles'] })} />}</Group>
      <ErrorAlert error={q.error} />
      {q.isLoading && <Loading />}
      <Table striped data-testid="roles-table">
        <Table.Thead><Table.Tr><Table.Th>Role</Table.Th><Table.Th>Permissions</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {q.data?.roles.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{r.name} {r.builtin && <Badge size="xs" variant="light">built-in</Badge>}</Table.Td>
              <Table.Td><Group gap={4}>{r.permissions.map((p) => <Badge key={p} size="xs" variant="outline">{p}</Badge>)}</Group></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
